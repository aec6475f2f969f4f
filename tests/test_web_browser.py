"""The web inbox in a real browser (Debian's Chromium via Playwright) against a real server.

One walk through the day: the owner sets up, invites staff, staff logs in and works the inbox,
the owner sees what was flagged, a new conversation arrives live, the person card, a phone.
Screenshots go to test-artifacts/ (set SOCIABLE_DOCS_IMG=1 to refresh docs/img/today.png).
"""
from __future__ import annotations

import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.store import open_store, settings
from tests.helpers import BOOK, act, write_jsonl, write_people

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts"
PASSWORD = "correct horse battery"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs chromium: make chromium"),
]


def ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    import uvicorn

    from sociable.web import create_app

    store = open_store(str(tmp_path / "web.db"))
    with store.begin() as conn:
        settings.put(conn, "owner_name", "Claire Brennan")
        settings.put(conn, "store_name", "Brennan Jewelers")
    import_people(store, write_people(tmp_path / "people.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "day.jsonl", [
        act("1", "comment", "lenny.b", "Lenny", "Walter would love this bracelet. When do you "
            "open tomorrow?", at=ago(0.5)),
        act("2", "comment", "ana_r", "Ana Ruiz", "My mom passed away on Sunday. Hug your loved "
            "ones.", at=ago(2)),
        act("3", "comment", "kathyo", "Kathy O'Neil", "Do you resize rings? Mine is too tight.",
            at=ago(3), platform="mastodon"),
        act("4", "like", "lenny.b", "Lenny", at=ago(0.6)),
        act("5", "review", "jo.m", "Jo Marsh", "Terrible service, waited 40 minutes and nobody "
            "helped me.", at=ago(5)),
    ]))
    port = free_port()
    config = uvicorn.Config(create_app(store, live_poll=0.3), host="127.0.0.1", port=port,
                            log_level="warning", timeout_graceful_shutdown=1)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", store, tmp_path
    srv.should_exit = True
    thread.join(5)
    store.close()


def shot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_a_day_in_the_web_inbox(server):
    from playwright.sync_api import expect, sync_playwright

    base, store, tmp = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            owner = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
            owner.set_default_timeout(10_000)

            # First run: the owner's account.
            owner.goto(base + "/")
            expect(owner).to_have_url(base + "/setup")
            owner.get_by_label("Your name").fill("Claire Brennan")
            owner.get_by_label("Username").fill("claire")
            owner.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
            owner.get_by_role("button", name="Create the owner's account").click()
            expect(owner.get_by_role("heading", name="Talk to these people today")).to_be_visible()

            # The owner invites staff; staff accepts, logs out and logs in again.
            owner.goto(base + "/team")
            owner.get_by_role("button", name="Create invite link").click()
            invite = owner.get_by_label("Invite link").input_value()
            staff = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
            staff.set_default_timeout(10_000)
            staff.goto(invite)
            staff.get_by_label("Your name").fill("Maria Lopez")
            staff.get_by_label("Username").fill("maria")
            staff.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
            staff.get_by_role("button", name="Create my account").click()
            expect(staff.get_by_role("heading", name="Talk to these people today")).to_be_visible()
            expect(staff.get_by_role("link", name="Team")).to_have_count(0)
            staff.get_by_text("Maria Lopez").click()
            staff.get_by_role("button", name="Log out", exact=True).click()
            staff.get_by_label("Username").fill("maria")
            staff.get_by_label("Password").fill(PASSWORD)
            staff.get_by_role("button", name="Log in").click()

            # The inbox: the family friend comes with who he is and why.
            lenny = staff.locator(".card", has_text="Lenny B")
            expect(lenny).to_contain_text("family friend of Walter Brennan")
            expect(lenny).to_contain_text("Walter would love this bracelet")
            expect(lenny).to_contain_text("Suggested reply")
            shot(staff, "today-staff")
            if os.environ.get("SOCIABLE_DOCS_IMG"):
                (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
                staff.screenshot(path=str(ROOT / "docs" / "img" / "today.png"))
            staff.keyboard.press("j")
            expect(staff.locator(".card.selected")).to_have_count(1)
            staff.keyboard.press("?")
            expect(staff.locator("#help")).to_be_visible()
            staff.keyboard.press("Escape")

            # Open the family friend's item, edit the reply and send it.
            lenny.get_by_role("link", name="Lenny B").click()
            staff.get_by_label("Your reply (edit the suggestion)").fill(
                "Hi Lenny! We open at 10 tomorrow; say hello to Walter for us.")
            staff.get_by_role("button", name="Send reply").click()
            expect(staff.get_by_role("status")).to_contain_text("Reply recorded")
            expect(staff.locator(".sent")).to_contain_text("recorded, not sent")
            expect(staff.locator(".sent")).to_contain_text("say hello to Walter")
            shot(staff, "item-replied")

            # Staff flags Ana's item for the owner; the owner sees it on Flagged.
            staff.goto(base + "/today")
            staff.locator(".card", has_text="Ana Ruiz").get_by_role("link", name="Flag").click()
            expect(staff.get_by_label("Flag for the owner: a note")).to_be_focused()
            staff.get_by_label("Flag for the owner: a note").fill("You knew her mother well")
            staff.get_by_role("button", name="Flag for owner").click()
            owner.goto(base + "/flagged")
            flagged = owner.locator(".card", has_text="Ana Ruiz")
            expect(flagged).to_contain_text("Flagged by maria")
            expect(flagged).to_contain_text("You knew her mother well")

            # A new conversation arrives while Today is open: no reload.
            owner.goto(base + "/today")
            expect(owner.locator(".card").first).to_be_visible()
            owner.wait_for_timeout(500)  # the live stream is connected
            import_interactions(store, write_jsonl(tmp / "live.jsonl", [
                act("10", "comment", "sam.lee", "Sam Lee", "We just got engaged!! Thank you for "
                    "the ring", at=ago(0.1))]))
            fresh = owner.locator(".card.fresh", has_text="We just got engaged")
            expect(fresh).to_be_visible()
            expect(owner.get_by_role("status")).to_contain_text("New:")
            shot(owner, "today-live")

            # The person card: story, links, handles, history and our reply.
            owner.goto(base + "/people?q=lenny")
            owner.get_by_role("link", name="Lenny B").click()
            card = owner.locator("main")
            expect(card).to_contain_text("Walter's fishing buddy")
            expect(card).to_contain_text("family friend: Walter Brennan")
            expect(card).to_contain_text("mastodon: @lennyb@mastodon.social")
            expect(card).to_contain_text("say hello to Walter")
            owner.get_by_label("Notes").fill("Prefers a phone call")
            owner.get_by_role("button", name="Save", exact=True).click()
            expect(owner.get_by_role("status")).to_contain_text("Saved")
            expect(card).to_contain_text("Prefers a phone call")
            shot(owner, "person")

            # A phone: 390 px wide, nothing sideways.
            phone = browser.new_context(viewport={"width": 390, "height": 844},
                                        storage_state=owner.context.storage_state()).new_page()
            phone.goto(base + "/today")
            expect(phone.locator(".card").first).to_be_visible()
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"the page is {width}px wide on a 390px phone"
            shot(phone, "today-phone")
        finally:
            browser.close()
