"""Today's key scenarios: the interactions the demo inbox must show in the last 24 hours.

Texts are fixed so docs and tests can quote them; times move with `now` and the seed.
"""
from __future__ import annotations

import bisect
import random
from typing import TYPE_CHECKING

from sociable.demo.world import CAST, Account, Member

if TYPE_CHECKING:
    from sociable.demo.generate import Generator

BLACKOUT = ("Day 2 of this power blackout on Linden Street and the freezer is a total loss. "
            "Tell Tom I can't come for Frank's Bulova until the lights are back on, I'm staying "
            "at my daughter's 😞")
ENGAGED = ("SHE SAID YES!!! 💍 Jess and I are engaged. Thank you Maeve for three Saturdays of "
           "ring talk, it was perfect @brennananddaughters #engaged #shesaidyes")
REPAIR = ("Picked up my Speedmaster from repair on Saturday and it's already running 4 minutes "
          "slow again. Third time this year. Not happy, please call me.")
RING_SIZE = "do you resize rings same day? my wedding band is way too tight since the baby 😅"
HOURS = "are you open sunday? want to come see the emerald earrings in this post"
GIFT = ("Hi! Our anniversary is next week ({years} years!) and I'm looking for a gift for Grace "
        "under $500. She loves pearls, any ideas?")
PRAISE = ("Rosa restored my grandmother's engagement ring and it looks brand new. Three "
          "generations of our family have shopped here and it only gets better. Thank you "
          "Brennan & Daughters ❤️")
FUZZY = "Such a beautiful window this week, Walter would be proud 😊"


def _account(m: Member, platform: str) -> Account:
    return next(a for a in m.accounts if a.platform == platform)


def today_scenarios(gen: Generator, rng: random.Random) -> list[tuple]:
    """(ts, platform, kind, account, text, store post or None) for each key scenario."""
    c, end = gen.w.cast, gen.end

    def at(lo: int, hi: int) -> int:  # minutes before now
        return end - rng.randint(lo * 60, hi * 60)

    def post(platform: str, ts: int, back: int = 0) -> tuple[str, str]:
        p = gen.posts[platform]
        return p.posts[max(0, bisect.bisect_right(p.times, ts) - 1 - back)]

    lenny = _account(c["family_friend"], "instagram")
    t_like = at(35, 300)
    anniv = c["gift_shopper"].anniversary
    years = gen.w.today.year - anniv.year + (1 if anniv.month < gen.w.today.month else 0)
    jules = next(a for a in gen.w.strangers if a.display == CAST.hours_question)
    events = [
        (t_like, "instagram", "like", lenny, "", post("instagram", t_like)),
        (t_like + rng.randint(40, 300), "instagram", "like", lenny, "",
         post("instagram", t_like, back=2)),
        (t := at(300, 900), "facebook", "comment", _account(c["blackout"], "facebook"),
         BLACKOUT, post("facebook", t)),
        (at(60, 600), "instagram", "mention", _account(c["engaged"], "instagram"), ENGAGED,
         None),
        (at(120, 1000), "facebook", "review", _account(c["repair_complaint"], "facebook"),
         REPAIR, None),
        (t := at(30, 1300), "instagram", "comment",
         _account(c["ring_size_question"], "instagram"), RING_SIZE, post("instagram", t)),
        (t := at(20, 800), "instagram", "comment", jules, HOURS, post("instagram", t)),
        (at(90, 1200), "instagram", "message", _account(c["gift_shopper"], "instagram"),
         GIFT.format(years=years), None),
        (at(200, 1400), "facebook", "review", _account(c["praise"], "facebook"), PRAISE, None),
        (t := at(100, 1300), "facebook", "comment", _account(c["fuzzy"], "facebook"), FUZZY,
         post("facebook", t)),
    ]
    return events
