"""The whole flow on the demo store: what `make demo` shows must hold on both databases."""
from typer.testing import CliRunner

from sociable.cli import app
from sociable.demo.load import load_demo
from sociable.store import inbox as repo
from sociable.store import users
from tests.conftest import NOW


def test_demo_store_surfaces_the_moments_that_matter(store, tmp_path):
    result = load_demo(store, tmp_path / "files", seed=7, now=NOW, people=120,
                       interactions=3000)
    assert result.people >= 120 and result.interactions == 3000
    with store.begin() as conn:
        items = repo.list_items(conn, now=NOW, days=2, limit=200)
        assert {u.username for u in users.all_users(conn)} == {"maeve", "rosa"}
    by_name = {}
    for item in items:
        by_name.setdefault(item.person_name, item)
    lenny = by_name["Leonard Bianchi"]
    assert lenny.reasons[0].startswith("Leonard Bianchi: family friend of Walter Brennan")
    assert "liked your post" in lenny.reasons[-1]
    assert "hardship" in by_name["Dorothy Kowalski"].moments
    assert "celebration" in by_name["Marcus Webb"].moments
    assert "complaint" in by_name["Gary Holt"].moments
    assert "question" in by_name["Aisha Rahman"].moments
    assert "purchase_intent" in by_name["Daniel Cho"].moments
    hardship = by_name["Dorothy Kowalski"].suggested_reply
    assert "Dorothy" in hardship and "$" not in hardship
    # Today's top of the list is people with something to talk about, not gestures.
    assert all(i.moments for i in items[:5])


def test_demo_command_prints_the_inbox(tmp_path):
    db = tmp_path / "demo.db"
    out = CliRunner().invoke(app, ["--db", str(db), "demo", "--people", "60",
                                   "--interactions", "1500", "--now", NOW.isoformat()])
    assert out.exit_code == 0, out.output
    assert "Talk to these people today" in out.output
    assert "maeve / brennan-demo" in out.output
