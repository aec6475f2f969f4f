"""Suggested replies: personal, in the owner's voice, and right for the moment."""
import re

from sociable.domain.people import Tier
from sociable.inbox.drafts import Facts, answer, draft
from sociable.inbox.prioritize import Who

FACTS = Facts(store_name="Brennan & Daughters", owner_name="Claire Brennan",
              hours={"mon": "10:00-18:00", "sat": "10:00-16:00", "sun": "closed"},
              services={"ring resizing": "same day for most bands, from $35",
                        "repairs": "most repairs take 5-7 days"})
ANA = Who(name="Ana Ruiz", person_id=4, tier=Tier.REGULAR)
SALES = re.compile(r"\$|sale|discount|offer|shop|buy|visit|collection|piece", re.I)


def test_hardship_offers_support_and_never_sells():
    for key in range(20):
        text = draft(ANA, {"hardship": "no power for 3 days", "purchase_intent": "x"}, {}, FACTS,
                     key=str(key))
        assert "Ana" in text and not SALES.search(text), text


def test_complaint_owns_it_and_offers_a_fix():
    text = draft(ANA, {"complaint": "my ring came back from repair with a scratch"}, {}, FACTS)
    assert "sorry" in text.lower() and "make it right" in text
    assert text.endswith("– Claire")


def test_question_answers_from_facts_or_says_it_will_find_out():
    text = draft(ANA, {"question": "Are you open Saturday? Can you resize my ring?"}, {}, FACTS)
    assert "Saturday 10:00-16:00" in text and "same day for most bands" in text
    unknown = draft(ANA, {"question": "Do you buy gold coins?"}, {}, FACTS)
    assert "let me check and get back to you" in unknown
    assert answer("Are you open Sunday?", FACTS) == "Our hours: Sunday we are closed."


def test_celebration_congratulates_by_name():
    text = draft(ANA, {"celebration": "she said yes!"}, {}, FACTS)
    assert "ongratulations" in text and "Ana" in text


def test_known_person_interacting_gets_a_warm_hello_with_the_circle():
    lenny = Who(name="Lenny B", person_id=3, tier=Tier.VIP,
                circle=["family friend of Walter Brennan (owner's parent)"])
    text = draft(lenny, {}, {"like": 1}, FACTS, key="k")
    assert text.startswith(("Hi Lenny", "Thanks for the love, Lenny", "Lenny!"))


def test_same_item_same_draft():
    assert draft(ANA, {"praise": "love you guys"}, {}, FACTS, key="a") == \
        draft(ANA, {"praise": "love you guys"}, {}, FACTS, key="a")
