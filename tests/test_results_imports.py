"""Results imports from hand-made files in the real export formats, good and malformed."""
from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

import sociable.store.results_tables as rt
from sociable.ingest.errors import ImportFailed
from sociable.ingest.people import import_people
from sociable.results import imports
from sociable.results.imports.common import number
from sociable.store import settings
from tests.helpers import BOOK, write_people

DATA = Path(__file__).parent / "data" / "results"
NY = ZoneInfo("America/New_York")


def parse(kind: str, name: str):
    return imports.read(kind, DATA / name, NY)


def test_shopify_folds_line_items_into_orders_and_leaves_out_cancelled():
    p = parse("shopify", "shopify_orders.csv")
    assert not p.errors
    orders = {s.order_ref: s for s in p.records}
    assert set(orders) == {"#1001", "#1002", "#1004"}
    assert orders["#1001"].amount_cents == 127440 and orders["#1001"].items == 2
    assert orders["#1001"].ordered_at == datetime(2026, 11, 20, 19, 31, 5, tzinfo=UTC)
    assert orders["#1004"].amount_cents == 25000  # 300 less a 50 refund
    assert any("#1003" in n and "cancelled" in n for n in p.notes)


def test_shopify_malformed_rows_name_line_field_and_reason():
    p = parse("shopify", "shopify_bad.csv")
    found = {(e.line, e.field) for e in p.errors}
    assert found == {(2, "Name"), (3, "Total"), (4, "Created at")}
    assert "before the order's first row" in str(p.errors[0])
    assert str(p.errors[0]).startswith(f"{DATA / 'shopify_bad.csv'}:2:")


def test_mailchimp_zip_reads_the_three_lists():
    p = parse("mailchimp", "mailchimp_audience.zip")
    assert not p.errors
    by = {s.email: s for s in p.records}
    assert by["ana@example.com"].status == "subscribed"
    assert by["ana@example.com"].signed_up_at == datetime(2026, 11, 10, 15, 3, 40, tzinfo=UTC)
    assert by["kathy@example.com"].status == "unsubscribed"
    # Imported into Mailchimp without an opt-in time: dated by LAST_CHANGED.
    assert by["imported@example.org"].signed_up_at.date() == date(2026, 10, 2)


def test_mailchimp_bad_rows():
    p = parse("mailchimp", "mailchimp_bad.csv")
    assert [(e.line, e.field) for e in p.errors] == [(3, "Email Address"), (4, "OPTIN_TIME")]


def test_ga4_skips_the_preamble_and_later_tables():
    p = parse("ga4", "ga4_traffic.csv")
    assert not p.errors
    assert len(p.records) == 6 and p.records[0].line == 10
    ig = p.records[1]
    assert (ig.source, ig.medium, ig.campaign, ig.sessions) == ("instagram", "social",
                                                                "holiday-rings-2026", 30)


def test_ga4_without_date_uses_the_report_range_and_skips_totals():
    p = parse("ga4", "ga4_range.csv")
    assert [r.source for r in p.records] == ["google", "bsky.app", "linktr.ee"]
    assert p.records[0].sessions == 3000
    assert (p.records[0].start, p.records[0].end) == (date(2026, 11, 1), date(2026, 11, 30))


def test_ga4_wrong_report_is_refused():
    p = parse("ga4", "ga4_bad.csv")
    assert len(p.errors) == 1 and "source / medium" in p.errors[0].reason


def test_meta_ads_english_with_bom_and_summary_row():
    p = parse("meta_ads", "meta_ads_en.csv")
    assert not p.errors
    assert [r.campaign for r in p.records] == ["Holiday rings — boost", "Engagement week"]
    assert p.records[0].spend_cents == 40000 and p.records[0].currency == "USD"


def test_meta_ads_german_headers_decimal_comma_and_dates():
    p = parse("meta_ads", "meta_ads_de.csv")
    assert not p.errors
    r = p.records[0]
    assert (r.spend_cents, r.currency, r.start, r.impressions) == (123456, "EUR",
                                                                   date(2026, 11, 1), 15400)


def test_meta_ads_without_currency_column_is_refused():
    p = parse("meta_ads", "meta_ads_bad.csv")
    assert "Amount spent (CUR)" in p.errors[0].reason


def test_pos_sales_and_bad_rows():
    p = parse("pos", "pos_sales.csv")
    assert not p.errors and len(p.records) == 4
    assert p.records[0].amount_cents == 125000
    # A date alone is the end of that local day.
    assert p.records[1].ordered_at == datetime(2026, 11, 20, 4, 59, 59, tzinfo=UTC)
    bad = parse("pos", "pos_bad.csv")
    assert [(e.line, e.field) for e in bad.errors] == [(3, "date"), (4, "email"), (5, "amount")]


@pytest.mark.parametrize("text,value,comma", [("1,234.56", 1234.56, False),
                                              ("1.234,56", 1234.56, True),
                                              ("$12", 12, False), ("(5.00)", -5, False),
                                              ("1 234,5", 1234.5, True), ("3,000", 3000, False)])
def test_numbers_in_export_formats(text, value, comma):
    assert number(text, decimal_comma=comma) == pytest.approx(value)


def test_unknown_kind():
    with pytest.raises(ValueError, match="kinds are"):
        imports.kind_of("quickbooks")


@pytest.fixture
def book(store, tmp_path):
    with store.begin() as conn:
        settings.put(conn, "timezone", "America/New_York")
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    return store


def _count(store, table) -> int:
    with store.begin() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_import_matches_customers_and_is_idempotent(book):
    report = imports.import_results(book, "shopify", DATA / "shopify_orders.csv")
    assert report.rows == 3 and report.matched == 2  # Ana by e-mail, Lenny by phone
    imports.import_results(book, "shopify", DATA / "shopify_orders.csv")
    assert _count(book, rt.sales) == 3
    with book.begin() as conn:
        rules = dict(conn.execute(select(rt.sales.c.order_ref, rt.sales.c.match_rule)).all())
    assert rules == {"#1001": "email", "#1002": "phone", "#1004": None}
    pos = imports.import_results(book, "pos", DATA / "pos_sales.csv")
    assert pos.matched == 2  # Katherine by e-mail, Lenny by phone; Sam Lee is two people
    for kind, name in (("mailchimp", "mailchimp_audience.zip"), ("ga4", "ga4_traffic.csv"),
                       ("meta_ads", "meta_ads_en.csv")):
        imports.import_results(book, kind, DATA / name)
    assert _count(book, rt.signups) == 4
    assert _count(book, rt.web_traffic) == 6
    assert _count(book, rt.ad_spend) == 2


def test_a_bad_file_writes_nothing(book):
    with pytest.raises(ImportFailed) as exc:
        imports.import_results(book, "shopify", DATA / "shopify_bad.csv")
    assert len(exc.value.errors) == 3
    assert _count(book, rt.sales) == 0
    assert _count(book, rt.results_imports) == 0
