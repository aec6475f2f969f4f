"""The results commands, the weekly report (HTML and a PDF checked as a picture), the digest
over a real local SMTP server, and the Results and Goals pages."""
from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sociable.cli.results  # noqa: F401  (registers the commands until cli/__init__ does)
from sociable.cli import app
from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.results import report
from sociable.store import open_store, settings
from tests.helpers import BOOK, act, write_jsonl, write_people

DATA = Path(__file__).parent / "data" / "results"
NOW = "2026-11-23T15:00:00+00:00"
runner = CliRunner()


@pytest.fixture
def db(tmp_path) -> str:
    """A small SQLite store with a book and a week of activity (the CLI and pages read it)."""
    path = str(tmp_path / "shop.db")
    store = open_store(path)
    with store.begin() as conn:
        settings.put(conn, "timezone", "America/New_York")
        settings.put(conn, "store_name", "Brennan & Daughters Jewelers")
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", "comment", "ana_r", "Ana Ruiz", "Do you resize rings?",
            at="2026-11-20T14:00:00+00:00"),
        act("2", "like", "lenny.b", "Lenny B", at="2026-11-19T23:00:00+00:00"),
        act("3", "comment", "jules.makes", "Jules", "So beautiful, thank you!",
            at="2026-11-23T13:00:00+00:00"),
    ]))
    store.close()
    return path


class Out:
    def __init__(self, result):
        self.exit_code = result.exit_code
        # Rich wraps long lines at the terminal width; compare words, not line breaks.
        self.output = " ".join(result.output.split())


def run(db: str, *args: str) -> Out:
    return Out(runner.invoke(app, ["--db", db, *args], catch_exceptions=False))


def test_goals_add_list_edit(db):
    r = run(db, "goals", "add", "engaged_people", "150", "--period", "month", "--why",
            "A shop full of people")
    assert r.exit_code == 0, r.output
    r = run(db, "goals", "list", "--now", NOW)
    assert "People who interacted: 3 of 150 this month" in r.output
    assert "A shop full of people" in r.output
    assert run(db, "goals", "edit", "1", "--target", "2").exit_code == 0
    assert "— met" in run(db, "goals", "list", "--now", NOW).output
    assert run(db, "goals", "edit", "9", "--target", "2").exit_code == 1
    bad = run(db, "goals", "add", "followers_gained", "10")
    assert bad.exit_code == 2 and "unknown metric" in bad.output


def test_link_is_remembered(db):
    r = run(db, "link", "https://shop.example/rings", "--campaign", "Holiday Rings",
            "--platform", "Instagram")
    assert r.exit_code == 0
    assert "utm_campaign=holiday-rings" in r.output.replace(" ", "")
    from sociable.results import links

    store = open_store(db)
    with store.begin() as conn:
        assert [x.campaign for x in links.all_links(conn)] == ["holiday-rings"]
    store.close()


def test_import_results_preview_import_and_errors(db):
    r = run(db, "import", "results", "shopify", str(DATA / "shopify_orders.csv"), "--preview")
    assert r.exit_code == 0 and "3 sales" in r.output
    r = run(db, "import", "results", "shopify", str(DATA / "shopify_orders.csv"))
    assert r.exit_code == 0 and "2 customers matched" in r.output
    r = run(db, "import", "results", "pos", str(DATA / "pos_bad.csv"))
    assert r.exit_code == 2
    assert "pos_bad.csv:4: field 'email'" in r.output
    assert run(db, "import", "results", "pos", "nope.csv").exit_code == 3
    assert run(db, "import", "results", "quickbooks", str(DATA / "pos_sales.csv")).exit_code == 2


def test_results_prints_figures_with_sparklines_and_behind(db):
    run(db, "import", "results", "shopify", str(DATA / "shopify_orders.csv"))
    r = run(db, "results", "--now", NOW)
    assert r.exit_code == 0, r.output
    assert "This month 3 people interacted with you" in r.output
    assert "Revenue from engaged" in r.output
    r = run(db, "results", "behind", "revenue_engaged", "2026-11", "--csv")
    assert "#1001" in r.output and "Ana Ruiz" in r.output
    assert run(db, "results", "behind", "likes", "2026-11").exit_code == 2
    assert run(db, "results", "set", "attribution_days", "14").exit_code == 0
    assert run(db, "results", "set", "colour", "blue").exit_code == 2
    assert run(db, "results", "followers", "instagram", "shop", "2000", "--on",
               "2026-11-01").exit_code == 0
    assert "14" in run(db, "results", "settings").output


def test_chart_svg_and_csv(db, tmp_path):
    svg, csv = tmp_path / "e.svg", tmp_path / "e.csv"
    assert run(db, "results", "chart", "engaged", "--out", str(svg), "--now", NOW).exit_code == 0
    assert svg.read_text().startswith("<svg") and "People who interacted" in svg.read_text()
    run(db, "results", "chart", "engaged", "--out", str(csv), "--now", NOW)
    assert csv.read_text().splitlines()[0].startswith("period,People you know,Others")
    assert run(db, "results", "chart", "pie", "--out", str(svg)).exit_code == 2


@pytest.mark.skipif(report.chromium() is None, reason="Chromium is needed for PDFs")
def test_weekly_report_html_and_pdf_page_as_image(db, tmp_path):
    html, pdf, png = tmp_path / "w.html", tmp_path / "w.pdf", tmp_path / "w.png"
    run(db, "goals", "add", "engaged_people", "150")
    r = run(db, "report", "--week", "--out", str(html), "--pdf", str(pdf), "--now", NOW)
    assert r.exit_code == 0, r.output
    text = html.read_text()
    assert "week of Nov 16" in text and "People who interacted" in text and "<svg" in text
    assert pdf.read_bytes().startswith(b"%PDF")
    width, height, ink = report.page_png(pdf, png)
    assert height > width > 500  # a portrait page
    assert 0.01 < ink < 0.6      # drawn on, but not a black page
    assert png.read_bytes().startswith(b"\x89PNG")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_digest_is_sent_over_a_real_smtp_server(db):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    port = _free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert "Good morning" in run(db, "digest", "--now", NOW).output
        failed = run(db, "digest", "--send")
        assert failed.exit_code == 1 and "smtp_host" in failed.output
        for key, value in (("smtp_host", "127.0.0.1"), ("smtp_port", str(port)),
                           ("smtp_tls", "none"), ("mail_from", "sociable@shop.example"),
                           ("digest_to", "maeve@shop.example")):
            assert run(db, "results", "set", key, value).exit_code == 0
        run(db, "goals", "add", "engaged_people", "150")
        r = run(db, "digest", "--send", "--now", NOW)
        assert r.exit_code == 0, r.output
    finally:
        controller.stop()
    assert len(received) == 1
    msg = received[0]
    assert msg["To"] == "maeve@shop.example"
    assert "people to talk to today" in msg["Subject"]
    body = msg.get_payload()[0].get_payload(decode=True).decode()
    assert "People to talk to today" in body and "People who interacted" in body


def test_smtp_failure_is_a_clear_error(db):
    for key, value in (("smtp_host", "127.0.0.1"), ("smtp_port", str(_free_port())),
                       ("smtp_tls", "none"), ("mail_from", "a@shop.example"),
                       ("digest_to", "b@shop.example")):
        run(db, "results", "set", key, value)
    r = run(db, "digest", "--send")
    assert r.exit_code == 1 and "could not send" in r.output


# --- the web pages ----------------------------------------------------------------------------

@pytest.fixture
def client(db):
    from fastapi.testclient import TestClient

    from sociable.results import web
    from sociable.web import create_app

    store = open_store(db)
    app = create_app(store)
    app.include_router(web.router)
    app.state.results_now = datetime.fromisoformat(NOW)
    c = TestClient(app)
    r = c.post("/api/setup", json={"username": "claire", "password": "correct horse battery",
                                   "name": "Claire"})
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    c.app_ = app
    yield c
    store.close()


def test_results_page_charts_csv_and_behind(client):
    page = client.get("/results")
    assert page.status_code == 200
    assert page.text.count("<svg") >= 5 and "Download the numbers (CSV)" in page.text
    assert 'name="viewport"' in page.text
    csv = client.get("/results/chart/conversations.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.startswith("period,Conversations")
    assert client.get("/results/chart/response.svg").text.startswith("<svg")
    assert client.get("/results/chart/nope.svg").status_code == 404
    who = client.get("/results/behind", params={"metric": "engaged_people",
                                                "period": "2026-11"})
    assert who.status_code == 200 and "Ana Ruiz" in who.text and "Jules" in who.text
    assert client.get("/results/report").text.count("<svg") >= 4


def test_goals_page_add_and_archive(client):
    r = client.post("/goals", data={"metric": "engaged_people", "target": "150",
                                    "period": "month", "why": "Saturday mornings"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/goals").text
    assert "Saturday mornings" in page and "3 of 150" in page
    bad = client.post("/goals", data={"metric": "engaged_people", "target": "lots",
                                      "period": "month"})
    assert bad.status_code == 400 and "not a number" in bad.text
    client.post("/goals/1", data={"action": "archive"})
    assert "Restore" in client.get("/goals").text


def test_import_page_previews_then_imports(client):
    data = (DATA / "pos_sales.csv").read_bytes()
    r = client.post("/results/import", data={"kind": "pos"},
                    files={"file": ("pos_sales.csv", data, "text/csv")})
    assert r.status_code == 200 and "4 sales" in r.text
    import re

    token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    done = client.post("/results/import/confirm", data={"token": token},
                       follow_redirects=False)
    assert done.status_code == 303
    assert "pos_sales.csv" in client.get("/results/import").text
    bad = client.post("/results/import", data={"kind": "pos"},
                      files={"file": ("pos_bad.csv", (DATA / "pos_bad.csv").read_bytes())})
    assert bad.status_code == 422 and "pos_bad.csv:5: field" in bad.text.replace("&#39;", "'")


def test_pages_are_for_the_owner_only(client):
    from fastapi.testclient import TestClient

    anonymous = TestClient(client.app_)
    assert anonymous.get("/results", follow_redirects=False).status_code in (302, 303, 401)
    token = client.post("/api/invites", json={"role": "staff"}).json()["token"]
    staff = TestClient(client.app_)
    staff.post(f"/api/invites/{token}/accept", json={"username": "nora", "password":
                                                     "correct horse battery", "name": "Nora"})
    assert staff.get("/results").status_code == 403
    assert staff.get("/goals").status_code == 403


