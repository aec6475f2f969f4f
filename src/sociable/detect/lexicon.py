"""Curated phrases that signal a moment, written by hand from how people post.

Phrases are matched on tokens (see text.tokenize), so "She said YES!!" matches "she said yes".
Each hit adds its weight to the label's logit and is shown as evidence. The statistical model
covers the long tail; this layer covers the retail/jewelry vocabulary the public training data
lacks (engagements, anniversaries, repairs) and gives a human-readable reason.

Weights: STRONG alone is enough to fire a label, MEDIUM needs support from the model or another
phrase, WEAK only nudges. Negative weights veto common false friends ("rip off" is not grief).
"""
from __future__ import annotations

STRONG, MEDIUM, WEAK = 4.5, 2.0, 0.8

_KIN = (
    "mom mum mother dad father husband wife grandma grandmother grandpa grandfather nan nana "
    "son daughter brother sister uncle aunt best friend baby dog cat cousin partner boyfriend "
    "girlfriend fiance fiancé papa mama grandad granddad"
).split()
_KIN = [k for k in _KIN if k not in ("best", "friend")] + ["best friend", "friend"]

PHRASES: dict[str, dict[float, str]] = {
    "hardship": {
        STRONG: "passed away | rest in peace | rest easy | funeral | cancer | chemo | chemotherapy"
        " | diagnosed | hospice | in the hospital | in hospital | intensive care | icu"
        " | without power | no power | power outage | power is out | power's out | power went out"
        " | blackout | lost power | no electricity | no water | flooded | flooding"
        " | evacuated | evacuate | evacuation | lost everything | house fire | wildfire"
        " | storm damage | tornado | hurricane | earthquake | quarantine | quarantined"
        " | isolating | self isolating | tested positive | covid | laid off | lost my job"
        " | got fired | unemployed | can't afford | cant afford | struggling | depressed"
        " | depression | heartbroken | devastated | grieving | miscarriage | homeless"
        " | evicted | eviction | prayers for | please pray | pray for | my condolences"
        " | miss you so much | miss her so much | miss him so much | surgery | in pain"
        " | car accident | broke my leg | broke my arm | broke my wrist | sick | injured"
        " | lonely | so alone | hard time | tough time | difficult time | rough time"
        " | rough week | worst week | anxiety | panic attack | stressed | stressed out | so stressed"
        " | grief | died | passed on | lost our",
        MEDIUM: "hospital | sad | so sad | scared | terrified | worried | afraid | crying | cried"
        " | storm | fire | damage | destroyed | disaster | illness | ill | ambulance | emergency"
        " | bills | rent | debt | divorce | broke up | breakup | hurting | alone | tired"
        " | exhausted | help us | need help | death | loss | stress | nightmare",
        WEAK: "rip | 😢 | 💔 | 😞 | 😔 | 🙏",
        -STRONG: "rip off | ripoff | ripped off",
    },
    "celebration": {
        STRONG: "she said yes | he said yes | said yes | got engaged | just engaged | we're engaged"
        " | engaged | engagement party | just married | got married | getting married"
        " | wedding day | our wedding | my wedding | happy anniversary | our anniversary"
        " | my anniversary | year anniversary | years anniversary | wedding anniversary"
        " | happy birthday | birthday | bday | new baby | baby girl | baby boy | it's a girl"
        " | it's a boy | welcome to the world | newborn | pregnant | expecting"
        " | graduated | graduation | graduating | new job | got the job | dream job"
        " | promoted | promotion | new home | new house | first home | bought a house"
        " | homeowners | retired | retirement | cancer free | in remission | congrats"
        " | congratulations | celebrate | celebrating | celebration | milestone"
        " | mr and mrs | years married | years together | proposed | proposal | i do"
        " | sweet 16 | got accepted | accepted into | passed my | we did it | 🎉 | 🥳 | 🎂 | 🍾"
        " | 🥂 | 🎊 | 🎈",
        MEDIUM: "anniversary | wedding | married | fiance | fiancé | fiancee | wifey | hubby | proud | so proud"
        " | proud of | baby | born | hired | finally | cheers to | years ago today | 💍"
        " | best day | happiest | blessed",
        -STRONG: "not engaged | not married",
    },
    "complaint": {
        STRONG: "worst | terrible | horrible | awful | disappointed | disappointing"
        " | disappointment | unacceptable | ridiculous | rude | never again | still waiting"
        " | still haven't | still hasn't | still havent | still not | still no"
        " | no response | no reply | not happy | not impressed | unhappy | scam | rip off"
        " | ripoff | ripped off | never arrived | never received | hasn't arrived"
        " | didn't arrive | not arrived | hasn't been delivered | wrong order | wrong item"
        " | charged twice | overcharged | double charged | waste of money | waste of time"
        " | poor service | bad service | terrible service | poor quality | fell apart"
        " | nobody helped | no one helped | shocking | disgusting | useless | pathetic"
        " | fed up | sick of | tired of | thanks for nothing | doesn't work | does not work"
        " | thank you for nothing | not working | stopped working | won't work | false advertising | misleading"
        " | incompetent | ignored | ignoring me | lost my order | order is lost"
        " | lost my package | lost my bag | lost my luggage | no help | not helpful"
        " | unhelpful | complaint | frustrating | frustrated | annoyed | furious"
        " | turned green | tarnished | fell off | fell out | came back with | cancelled my"
        " | canceled my | refund | want my money back | hung up | on hold | wtf | smh",
        MEDIUM: "broken | broke | damaged | scratched | scratch | missing | late | delayed"
        " | delay | cancelled | canceled | waited | waiting | waiting for | on hold for | hours"
        " | fix this | sort this out | sort it out | joke | fail | failed | fails | ugh"
        " | annoying | seriously | again | why is | why does | why do | why can't"
        " | how hard is it | lied | lies | overpriced | too expensive | cheap | poor | bad"
        " | horrendous | mess | issue | problem | problems | error | glitch | 😡 | 😤 | 🤬 | 😠"
        " | 👎 | can't even | yet again | every time | for the third time | for the second time",
        -MEDIUM: "not bad | no problem | no problems | no issues | not disappointed",
    },
    "question": {
        STRONG: "do you have | do you sell | do you do | do you offer | do you carry | are you open"
        " | what time do you | what are your hours | your hours | opening hours | how much is"
        " | how much does | how much for | how much would | how much to | how long does"
        " | how long will | how long to | can you resize | do you resize | do you repair"
        " | does anyone know | anyone know | can anyone | i was wondering | wondering if"
        " | is it possible | in stock | do you ship | do you deliver | can i return"
        " | what is the price | what's the price | please advise | any update | any updates",
        MEDIUM: "can you | can i | could you | could i | do you | does it | does this | is there"
        " | are there | is it | where can i | where is | where do | when will | when does"
        " | when do | what time | how do i | how can i | how do you | which one | should i"
        " | do they | is this | are these | will it | will you | would you",
        -MEDIUM: "why would anyone | who cares | guess what | you know what | how dare"
        " | are you kidding | are you serious | how hard is it | what the",
    },
    "purchase_intent": {
        STRONG: "looking for a | looking for an | looking to buy | want to buy | wanna buy"
        " | going to buy | gonna buy | gonna get | going to get | need a new | want a new"
        " | shopping for | in the market for | saving up for | saving for | can't wait to get"
        " | cant wait to get | preorder | pre order | pre-order | preordered | pre ordered"
        " | where can i buy | where can i get | where to buy | take my money | gift ideas"
        " | gift for | present for | birthday gift | anniversary gift | christmas gift"
        " | need a gift | any recommendations | recommend a | recommendations for"
        " | ring shopping | engagement ring | wishlist | wish list | treat myself"
        " | i want one | i need one | i want this | i need this | want it so bad | need it"
        " | i want the | i need the | buying a | buying the | buy a | buy the | buy one"
        " | upgrade to | upgrading to | thinking of getting | thinking about getting"
        " | planning to buy | plan to buy | ordering | to order | under $",
        MEDIUM: "buy | buying | purchase | purchasing | shopping | looking for | 🛍",
        WEAK: "want | need | getting | order | budget | afford | price | gift | present",
        -MEDIUM: "don't want | dont want | not buying | never buy | won't buy | don't need",
    },
    "praise": {
        STRONG: "thank you | thanks so much | thank u | thx | love my | love it | love this"
        " | love them | love these | love you guys | loving my | obsessed | amazing | awesome"
        " | excellent | fantastic | wonderful | gorgeous | stunning | beautiful | perfect"
        " | great service | great customer service | great job | highly recommend"
        " | recommend them | so helpful | very helpful | super helpful | friendly | 5 stars"
        " | five stars | appreciate | grateful | thankful | you rock | you guys rock"
        " | shout out | shoutout | kudos | exceeded | the best | best ever | well done"
        " | top notch | incredible | so happy with | happy with | pleased with | delighted"
        " | blown away | impressed | favorite | favourite | brilliant | lovely | 😍 | 🥰"
        " | ❤ | 💕 | 💖 | 😘 | 👏 | 🙌 | 💯",
        WEAK: "thanks",
        MEDIUM: "love | loved | best | great | good job | nice | beautiful | happy"
        " | helpful | recommend | fab | fabulous | cute | pretty | 👍 | 😊 | ☺",
        -STRONG: "thanks for nothing | thank you for nothing | thanks a lot for nothing | not happy | not impressed | not the best | not great"
        " | not good | no thanks",
    },
}

# Tokens that, within three tokens before a praise/celebration phrase, cancel it.
NEGATORS = frozenset("not no never don't dont didn't didnt isn't isnt wasn't wasnt hardly".split())
NEGATABLE = frozenset({"praise", "celebration", "purchase_intent"})


def _generated() -> dict[str, dict[float, list[str]]]:
    """Family/pet phrases, spelled out for every relative rather than listed by hand."""
    grief = [f"lost my {k}" for k in _KIN] + [f"my {k} passed" for k in _KIN]
    grief += [f"my {k} died" for k in _KIN] + [f"my {k} is sick" for k in _KIN]
    grief += [f"my {k} is in the hospital" for k in _KIN]
    joy = [f"my {k}'s birthday" for k in _KIN] + [f"my {k} graduated" for k in _KIN]
    joy += [f"my {k} got engaged" for k in _KIN] + [f"my {k} proposed" for k in _KIN]
    return {"hardship": {STRONG: grief}, "celebration": {STRONG: joy}}


def phrase_table(tokenize) -> dict[str, list[tuple[str, float]]]:
    """phrase (tokens joined by spaces) -> [(label, weight)], tokenized like the posts."""
    table: dict[str, list[tuple[str, float]]] = {}

    def add(label: str, weight: float, phrase: str) -> None:
        key = " ".join(tokenize(phrase.strip()))
        if key:
            entries = table.setdefault(key, [])
            if (label, weight) not in entries:
                entries.append((label, weight))

    for label, tiers in PHRASES.items():
        for weight, phrases in tiers.items():
            for phrase in phrases.split("|"):
                add(label, weight, phrase)
    for label, tiers in _generated().items():
        for weight, phrases in tiers.items():
            for phrase in phrases:
                add(label, weight, phrase)
    return table
