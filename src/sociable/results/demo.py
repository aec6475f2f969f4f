"""Give the demo store a year of results: the team's replies, follower counts, and the exports
a real store would have (Shopify orders, POS sales, Mailchimp audience, GA4, Meta Ads),
written in their real formats and imported through the same importers.

    seed_results(store, Path("demo-files/results"), now=now)
"""
from __future__ import annotations

import csv
import io
import math
import random
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from sociable.domain.inbox import Action
from sociable.results import goals as goals_mod
from sociable.results import links
from sociable.results.hours import BusinessHours
from sociable.results.imports import import_results
from sociable.store import Store
from sociable.store import inbox as inbox_repo
from sociable.store import results as repo
from sociable.store import tables as t

STAFF = ("Maeve", "Nora", "Rosa", "Tom")
FIRST = ("Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Mia", "Lucas",
         "Harper", "Mason", "Ella", "Logan", "Grace", "Owen", "Chloe", "Ethan", "Zoe", "Aiden")
LAST = ("Nguyen", "Patel", "Murphy", "Schmidt", "Rossi", "Kim", "Silva", "Cohen", "Dubois",
        "Hughes", "Novak", "Larsen", "Okoye", "Tanaka", "Reyes", "Walsh", "Becker", "Moreau")
PRODUCTS = (("Ring resizing", 35, 90), ("Watch battery", 15, 25), ("Pearl strand restring", 60,
            140), ("Sterling pendant", 120, 320), ("Diamond stud earrings", 450, 1900),
            ("Engagement ring", 1800, 7500), ("Wedding band", 350, 1600),
            ("Gold hoop earrings", 220, 780), ("Custom signet ring", 600, 2200))
DEMO_GOALS = (
    ("engaged_people", "420", "month", "Enough people talking to us that the shop feels alive "
                                       "online, like Saturday mornings in the store."),
    ("engaged_known", "200", "month", "Our regulars should hear from us, not just strangers."),
    ("first_response_median", "2", "month", "Dad answered the phone by the second ring; we "
                                            "answer online within two business hours."),
    ("signups_social", "15", "month", "The newsletter is how we fill the holiday trunk show."),
    ("revenue_engaged", "60000", "quarter", "Social has to pay for the hours we put in."),
    ("ad_return", "5", "month", "Every ad dollar brings five back, or we stop the ads."),
)


@dataclass
class SeedReport:
    replies: int
    closed: int
    files: dict[str, Path]
    sales: int
    goals: int


def _replies(store: Store, rng: random.Random, now: datetime,
             days: int | None = None) -> tuple[int, int]:
    """The team worked the inbox: most moments answered, quickly in business hours."""
    with store.begin() as conn:
        tz = repo.timezone(conn)
        hours = BusinessHours.from_spec(repo.get_setting(conn, "business_hours"), tz)
        it, iii, i = t.inbox_items, t.inbox_item_interactions, t.interactions
        firsts = (select(iii.c.item_id, func.min(i.c.created_at).label("first_at"))
                  .join(i, i.c.id == iii.c.interaction_id).group_by(iii.c.item_id).subquery())
        rows = conn.execute(
            select(it.c.id, it.c.moments, it.c.person_id, it.c.suggested_reply,
                   firsts.c.first_at)
            .join(firsts, firsts.c.item_id == it.c.id)
            .where(it.c.status == "new", it.c.last_at < now - timedelta(hours=30),
                   it.c.last_at >= now - timedelta(days=days or 3660))
            .order_by(it.c.id)).all()
    replied = closed = 0
    with store.begin() as conn:
        for r in rows:
            months_ago = (now - r.first_at).days / 30.4
            # The team got better over the year (the story the charts tell).
            skill = 0.55 + 0.3 * max(0.0, 1 - months_ago / 12)
            p = skill if r.moments else 0.15 + 0.1 * (1 - months_ago / 12)
            if rng.random() < p:
                delay = rng.lognormvariate(math.log(1.2 + months_ago * 0.35), 0.8)
                at = _add_business_hours(hours, r.first_at, delay)
                if at >= now - timedelta(hours=2):
                    continue
                inbox_repo.transition(conn, r.id, Action.REPLY, actor=rng.choice(STAFF),
                                      text=r.suggested_reply or "Thank you!", now=at)
                replied += 1
            elif rng.random() < 0.7:
                at = r.first_at + timedelta(hours=rng.uniform(4, 40))
                action = Action.DONE if rng.random() < 0.6 else Action.DISMISS
                inbox_repo.transition(conn, r.id, action, actor=rng.choice(STAFF), now=at)
                closed += 1
    return replied, closed


def _add_business_hours(hours: BusinessHours, start: datetime, h: float) -> datetime:
    """The instant `h` business hours after `start` (15-minute steps)."""
    at = start
    left = h
    step = timedelta(minutes=15)
    for _ in range(24 * 4 * 30):
        if left <= 0:
            break
        nxt = at + step
        left -= hours.between(at, nxt) if hours.spans[at.astimezone(hours.tz).weekday()] else 0
        at = nxt
    return at


def _people(store: Store, now: datetime):
    """Book people with e-mails and the times they interacted (for believable sales)."""
    with store.begin() as conn:
        p, h, i = t.people, t.handles, t.interactions
        people = conn.execute(select(p.c.id, p.c.name, p.c.email, p.c.phone, p.c.tier)).all()
        recent = defaultdict(list)
        for pid, at in conn.execute(select(h.c.person_id, i.c.created_at)
                                    .join(h, h.c.id == i.c.handle_id)
                                    .where(h.c.person_id.is_not(None),
                                           i.c.created_at >= now - timedelta(days=400))):
            recent[pid].append(at)
    return people, recent


def _write_exports(out: Path, store: Store, rng: random.Random, now: datetime) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    people, recent = _people(store, now)
    with store.begin() as conn:
        tz = repo.timezone(conn)
    start = (now - timedelta(days=365)).astimezone(tz).date()
    today = now.astimezone(tz).date()
    days = [(start + timedelta(days=k)) for k in range((today - start).days + 1)]
    active = [pp for pp in people if pp.email and recent.get(pp.id)]

    def stranger():
        f, l_ = rng.choice(FIRST), rng.choice(LAST)
        return f"{f} {l_}", f"{f.lower()}.{l_.lower()}{rng.randint(1, 99)}@example.net", ""

    def when_on(d: date) -> datetime:
        return datetime(d.year, d.month, d.day, rng.randint(10, 17), rng.randint(0, 59),
                        rng.randint(0, 59), tzinfo=tz)

    shopify_rows, pos_rows = [], []
    order_no = 1001
    for d in days:
        season = 2.2 if d.month == 12 else 1.5 if d.month in (2, 5, 11) else 1.0
        for _ in range(_poisson(rng, 1.6 * season)):
            at = when_on(d)
            buyer = None
            if active and rng.random() < 0.55:
                # People who talked to us lately buy more often.
                cands = [pp for pp in rng.sample(active, min(8, len(active)))
                         if any(at - timedelta(days=45) <= x < at for x in recent[pp.id])]
                buyer = cands[0] if cands else rng.choice(active)
            name, email, phone = (buyer.name, buyer.email, buyer.phone or "") if buyer \
                else stranger()
            product, lo, hi = rng.choice(PRODUCTS)
            price = round(rng.uniform(lo, hi), 2)
            if rng.random() < 0.5:
                lines = [(product, price, 1)]
                if rng.random() < 0.25:
                    p2, lo2, hi2 = rng.choice(PRODUCTS[:4])
                    lines.append((p2, round(rng.uniform(lo2, hi2), 2), 1))
                total = sum(pr * q for _, pr, q in lines)
                stamp = at.strftime("%Y-%m-%d %H:%M:%S %z")
                for k, (prod, pr, q) in enumerate(lines):
                    first = k == 0
                    shopify_rows.append({
                        "Name": f"#{order_no}", "Email": email,
                        "Financial Status": "paid" if first else "",
                        "Paid at": stamp if first else "", "Currency": "USD" if first else "",
                        "Subtotal": f"{total:.2f}" if first else "",
                        "Total": f"{total:.2f}" if first else "",
                        "Created at": stamp if first else "", "Lineitem quantity": q,
                        "Lineitem name": prod, "Lineitem price": f"{pr:.2f}",
                        "Billing Name": name if first else "",
                        "Billing Phone": phone if first else "", "Cancelled at": "",
                        "Refunded Amount": "0.00" if first else ""})
                order_no += 1
            else:
                pos_rows.append({"date": at.strftime("%Y-%m-%d %H:%M"),
                                 "receipt": f"R-{d:%y%m%d}-{len(pos_rows):04d}",
                                 "customer name": name if rng.random() < 0.85 else "",
                                 "email": email if rng.random() < 0.6 else "",
                                 "phone": phone if rng.random() < 0.4 else "",
                                 "amount": f"{price:.2f}"})
    files = {}
    files["shopify"] = _csv(out / "orders_export_1.csv", SHOPIFY_HEADER, shopify_rows)
    files["pos"] = _csv(out / "pos_sales.csv", ["date", "receipt", "customer name", "email",
                                                "phone", "amount"], pos_rows)
    # Mailchimp: sign-ups through the year; people who interacted sign up more.
    subs, unsubs = [], []
    seen = set()
    for d in days:
        for _ in range(_poisson(rng, 1.3)):
            pp = rng.choice(active) if active and rng.random() < 0.5 else None
            name, email, phone = (pp.name, pp.email, pp.phone or "") if pp else stranger()
            if email in seen:
                continue
            seen.add(email)
            at = when_on(d).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
            first, _, last = name.partition(" ")
            row = {"Email Address": email, "First Name": first, "Last Name": last,
                   "Phone Number": phone, "MEMBER_RATING": 2, "OPTIN_TIME": at,
                   "CONFIRM_TIME": at, "LAST_CHANGED": at, "TAGS": ""}
            if rng.random() < 0.08:
                unsubs.append(row | {"UNSUB_TIME": at, "UNSUB_REASON": "NORMAL"})
            else:
                subs.append(row)
    zpath = out / "members_export_brennan.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("subscribed_members_export_1a2b3c.csv", _csv_text(MC_HEADER, subs))
        z.writestr("unsubscribed_members_export_1a2b3c.csv",
                   _csv_text(MC_HEADER + ["UNSUB_TIME", "UNSUB_REASON"], unsubs))
        z.writestr("cleaned_members_export_1a2b3c.csv",
                   _csv_text(MC_HEADER + ["CLEAN_TIME"], []))
    files["mailchimp"] = zpath
    # GA4: sessions by source / medium per day.
    link = links.build("https://brennanjewelers.example/holiday", campaign="Holiday Rings 2026",
                       platform="instagram")
    with store.begin() as conn:
        links.remember(conn, link)
    ga_rows = []
    for k, d in enumerate(days):
        growth = 1 + k / 365 * 0.6
        season = 1.6 if d.month == 12 else 1.2 if d.month == 11 else 1.0
        for source, medium, camp, base in (
                ("google", "organic", "(organic)", 38), ("(direct)", "(none)", "(direct)", 21),
                ("instagram", "social", "(not set)", 9 * growth),
                ("l.instagram.com", "referral", "(not set)", 4 * growth),
                ("m.facebook.com", "referral", "(not set)", 5 * growth),
                ("bsky.app", "referral", "(not set)", 1.2 * growth),
                ("newsletter", "email", "weekly-letter", 6),
                ("instagram", "social", link.campaign,
                 14 if d >= today - timedelta(days=30) else 0)):
            n = _poisson(rng, base * season)
            if n:
                ga_rows.append([d.strftime("%Y%m%d"), f"{source} / {medium}", camp, n,
                                max(1, round(n * 0.85)), round(n * 0.6), 0])
    buf = io.StringIO()
    buf.write("# ----------------------------------------\n"
              "# Traffic acquisition: Session source / medium\n"
              "# Account: Brennan & Daughters\n# Property: brennanjewelers.example\n"
              "# ----------------------------------------\n#\n"
              f"# Start date: {days[0]:%Y%m%d}\n# End date: {days[-1]:%Y%m%d}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Date", "Session source / medium", "Session campaign", "Sessions",
                "Total users", "Engaged sessions", "Key events"])
    w.writerows(ga_rows)
    files["ga4"] = out / "ga4_traffic_acquisition.csv"
    files["ga4"].write_text(buf.getvalue(), encoding="utf-8")
    # Meta Ads: one boosted campaign a month, a bigger one for the holidays.
    ad_rows = []
    m = date(start.year, start.month, 1)
    while m <= today:
        nxt = date(m.year + m.month // 12, m.month % 12 + 1, 1)
        end = min(nxt - timedelta(days=1), today)
        spend = 900 + rng.uniform(-150, 300) + (1400 if m.month in (11, 12) else 0)
        ad_rows.append({"Campaign name": f"{m:%B} boosted posts", "Reporting starts":
                        f"{m:%Y-%m-%d}", "Reporting ends": f"{end:%Y-%m-%d}",
                        "Amount spent (USD)": f"{spend:.2f}",
                        "Impressions": round(spend * 95), "Reach": round(spend * 60),
                        "Link clicks": round(spend * 1.4), "Results": round(spend * 1.4),
                        "Result indicator": "actions:link_click"})
        m = nxt
    text = _csv_text(list(ad_rows[0]), ad_rows)
    files["meta_ads"] = out / "meta_ads_campaigns.csv"
    files["meta_ads"].write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return files


SHOPIFY_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Currency", "Subtotal",
                  "Total", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
                  "Billing Name", "Billing Phone", "Cancelled at", "Refunded Amount"]
MC_HEADER = ["Email Address", "First Name", "Last Name", "Phone Number", "MEMBER_RATING",
             "OPTIN_TIME", "CONFIRM_TIME", "LAST_CHANGED", "TAGS"]


def _csv_text(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\r\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _csv(path: Path, header: list[str], rows: list[dict]) -> Path:
    path.write_text(_csv_text(header, rows), encoding="utf-8", newline="")
    return path


def _poisson(rng: random.Random, lam: float) -> int:
    k, p, target = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= target:
            return k
        k += 1


def _followers(store: Store, now: datetime, rng: random.Random) -> None:
    with store.begin() as conn:
        tz = repo.timezone(conn)
        today = now.astimezone(tz).date()
        for platform, account, base, growth in (("instagram", "brennanjewelers", 2300, 70),
                                                ("facebook", "BrennanDaughters", 1900, 25),
                                                ("mastodon", "@brennan@mastodon.social", 180, 9),
                                                ("bluesky", "brennanjewelers.bsky.social", 90,
                                                 22)):
            for k in range(13):
                on = date(today.year, today.month, 1) - timedelta(days=31 * (12 - k))
                on = on.replace(day=1)
                repo.add_followers(conn, platform, account, on,
                                   base + growth * k + rng.randint(-10, 10), "demo")


def seed_results(store: Store, out: Path, *, now: datetime, seed: int = 7,
                 goals: bool = True, reply_days: int | None = None) -> SeedReport:
    """Replies, follower snapshots, exports and goals for the demo store (run once).

    `reply_days` limits the simulated replies to items of the last N days (for big stores).
    """
    rng = random.Random(f"{seed}/results")
    replied, closed = _replies(store, rng, now, reply_days)
    _followers(store, now, rng)
    files = _write_exports(out, store, rng, now)
    sales = 0
    for kind in ("shopify", "pos", "mailchimp", "ga4", "meta_ads"):
        report = import_results(store, kind, files[kind])
        if kind in ("shopify", "pos"):
            sales += report.rows
    n = 0
    if goals:
        with store.begin() as conn:
            if not repo.goals(conn):
                for metric, target, period, why in DEMO_GOALS:
                    goals_mod.add(conn, metric, target, period, why)
                    n += 1
    return SeedReport(replied, closed, files, sales, n)
