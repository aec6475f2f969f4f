"""Phrase banks for the demo store's social posts, and `compose()` that mixes them.

Every category is built from openers, bodies and closers plus emoji and hashtags, then lightly
roughed up (lower case, dropped apostrophes, a typo) so the texts do not look like templates.
Categories follow docs/moments.md; `chatter` is the everyday talk that needs no response.
Slots in braces (`{staff}`, `{partner}`...) are filled by the caller's `Slots` mapping.
"""
from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Bank:
    bodies: tuple[str, ...]
    openers: tuple[str, ...] = ()
    closers: tuple[str, ...] = ()
    emoji: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    p_opener: float = 0.35
    p_closer: float = 0.35
    p_emoji: float = 0.4
    p_tag: float = 0.12


def _b(*bodies: str, **kw) -> Bank:
    for name in ("openers", "closers", "emoji", "tags"):
        if name in kw:
            kw[name] = tuple(kw[name])
    return Bank(bodies=tuple(bodies), **kw)


# ---------------------------------------------------------------------------------------------
# Everyday chatter: most text posts. Nothing here asks for a reply.
CHATTER = {
    "photo": _b(
        "love the photo of the sunset", "that light though", "what a shot",
        "the window display looks amazing this week", "this is such a pretty picture",
        "main street looks so cozy in this one", "those colors!!", "gorgeous photo",
        "whoever takes your pictures deserves a raise", "the sparkle on that is unreal",
        "ok this one is my new phone background", "so pretty in the snow",
        "the old clock over the door is the best part", "this made me smile",
        "beautiful as always", "wow look at that blue", "that emerald is stunning",
        "the fall leaves out front!!", "such a classic look", "stunning work",
        "can't stop looking at this", "those vintage pieces are so cool",
        "the gold in this light", "the flowers in the window are so pretty",
        "nice", "pretty", "so elegant", "love this", "love love love",
        "that {piece} is {adj}", "the {piece}!! {adj}", "{adj}, that {piece}",
        "need that {piece} in my life", "the {piece} on the left is {adj}",
        "looks like a painting", "simple and perfect", "timeless",
        openers=("omg", "wow", "ok", "honestly", "oh", "yesss", "aww"),
        closers=("", "!!", "!", "."),
        emoji=("😍", "✨", "💎", "❤️", "🔥", "👏", "😊", "🤩", "💛", "🌅"),
        tags=("#shoplocal", "#smallbusiness", "#mainstreet", "#sparkle", "#jewelry", "#tbt",
              "#vintage", "#handmade", "#goldsmith"),
        p_opener=0.25, p_closer=0.5, p_emoji=0.5, p_tag=0.15,
    ),
    "pet": _b(
        "haha that dog", "the shop dog is the real star here", "who is this good boy",
        "lol the cat in the window", "i would come in just to pet him", "that face 😂",
        "is that Biscuit?? he got so big", "the dog looks so done with this photoshoot",
        "give the pup a treat from me", "the dog photobomb lol",
        emoji=("🐶", "😂", "🐾", "🥰", "😆"), p_emoji=0.6, p_opener=0, p_closer=0,
    ),
    "friend": _b(
        "@{friend} look at this", "@{friend} this is the one i was telling you about",
        "@{friend} we should go saturday", "@{friend} remember when we got our ears pierced here",
        "lol @{friend}", "@{friend} 👀", "@{friend} your mom would love this",
        "@{friend} this is so you", "@{friend} add it to the list haha",
        "tagging @{friend} bc she needs to see this", "@{friend} hint hint",
        emoji=("👀", "😂", "💕", "😏", "🙈"), p_emoji=0.3, p_opener=0, p_closer=0, p_tag=0,
    ),
    "emoji": _b(
        "🔥🔥", "😍😍😍", "👏👏", "❤️", "💎✨", "🙌", "😮", "🥹", "💯", "✨✨✨", "❤️❤️",
        "👌", "🤍", "😍", "💛💛", "👀", "🔥", "🤩🤩",
        p_opener=0, p_closer=0, p_emoji=0, p_tag=0,
    ),
    "nostalgia": _b(
        "#tbt to when this corner was still the hardware store",
        "I remember Walter fixing my dad's watch in this exact spot",
        "been walking past this window since I was a kid",
        "my grandma's locket came from here, still wear it",
        "nothing changes on this street and I love it",
        "the bell on the door still makes the same sound haha",
        "this takes me back", "old school main street vibes",
        "the original sign!!", "we used to get ice cream next door then look at the rings",
        emoji=("🥹", "❤️", "😊", "🕰️"), tags=("#tbt", "#throwbackthursday", "#hometown",
                                              "#mainstreet"),
        p_opener=0, p_closer=0.2, closers=("!", "."), p_tag=0.3,
    ),
    "life": _b(
        "beautiful day for a walk downtown", "coffee and errands kind of saturday",
        "finally some sunshine", "farmers market was packed today",
        "the parade was so fun this year", "snow day!!", "first pumpkin spice of the season",
        "beach day with the kids", "long week, glad it's friday", "kids are back in school 🙌",
        "garden is finally coming in", "nothing like a sunday drive along the shore",
        "the holiday lights downtown are up", "high school football tonight, go tigers",
        "made grandma's lasagna, house smells amazing",
        emoji=("☀️", "🌊", "🍂", "❄️", "🎃", "🌷", "☕"), tags=("#weekend", "#localife",
                                                           "#sundayfunday", "#fall", "#summer"),
        p_opener=0, p_closer=0.2, closers=("!", "."), p_tag=0.25,
    ),
    "thread": _b(
        "thank you!", "thanks so much", "will do", "see you saturday then",
        "sounds good", "perfect, thanks {owner}", "ok great", "haha yes", "got it 👍",
        "you're the best", "noted!", "same here", "agreed", "that's what i thought lol",
        "thanks for getting back to me", "ok I'll swing by after work",
        p_opener=0, p_closer=0, emoji=("🙏", "😊", "👍", "❤️"), p_emoji=0.3, p_tag=0,
    ),
}

# ---------------------------------------------------------------------------------------------
HARDSHIP = {
    "blackout": _b(
        "day {n} without power and the freezer is a total loss",
        "still no power on our street since the storm, running everything off the car charger",
        "power's been out since last night, whole neighborhood is dark",
        "third blackout this month and we just lost all the food in the fridge",
        "no electricity here for {n} days now, staying with my sister till it's back",
        "the ice storm took down the lines on our road, no power, no heat",
        "we lost power again, my mom's oxygen machine is on the backup and I'm worried",
        "blackout on the east side, can't even charge my phone",
        openers=("ugh.", "well.", "update:", "anyone else?", "honestly"),
        closers=("hope everyone is ok", "hang in there everyone",
                 "not sure when it'll be back", "this is exhausting", "trying to stay positive"),
        emoji=("😞", "🕯️", "😩", "⚡"), p_tag=0.1, tags=("#blackout", "#poweroutage"),
    ),
    "storm": _b(
        "a tree came down on our garage in the storm last night",
        "the basement flooded again, lost a lot of old family photos",
        "storm took half the roof shingles off, waiting on the insurance adjuster",
        "water came in through the ceiling during the storm, what a mess",
        "our street flooded and the car is done",
        "hail wrecked the garden and dented the car",
        openers=("rough night.", "well that happened.", "ugh."),
        closers=("at least everyone is safe", "long cleanup ahead", "one day at a time"),
        emoji=("😔", "🌧️", "😩", "💔"), tags=("#stormdamage",),
    ),
    "illness": _b(
        "back in the hospital with my dad this week, prayers appreciated",
        "just got the diagnosis, starting chemo next month",
        "been sick in bed all week with pneumonia",
        "my wife had surgery yesterday, long recovery ahead",
        "mom had a fall and broke her hip, she's in rehab now",
        "kids all have the flu, so does the dog probably",
        "my husband is in the ICU after a heart attack",
        openers=("not an easy post to write.", "life update:", "asking for your prayers."),
        closers=("thank you all for the kind messages", "we'll get through it",
                 "please keep us in your thoughts"),
        emoji=("🙏", "💔", "😔"), p_tag=0,
    ),
    "death": _b(
        "my mom passed on {weekday}, peacefully, with all of us around her",
        "we lost my father this morning",
        "saying goodbye to my husband of {years} years today",
        "my grandmother passed away last night, she wore her pearls from you every sunday",
        "rest easy dad, you were the best of us",
        "we had to say goodbye to our dog today, 14 years of love",
        "my brother passed suddenly last week, still can't believe it",
        openers=("heartbroken.", "there are no words.", ""),
        closers=("the service is on {weekday}", "hug your people tonight",
                 "thank you for all the love"),
        emoji=("💔", "🕊️", "🙏"), p_tag=0, p_emoji=0.5,
    ),
    "job": _b(
        "got laid off today after {years} years at the plant",
        "the mill is closing and we all lost our jobs",
        "lost my job this week, going to have to put the ring layaway on hold",
        "our whole team got let go on {weekday}",
        "job hunting again, if anyone hears of anything please let me know",
        "money is really tight since I lost my job",
        openers=("well.", "not the news I wanted.", "rough week."),
        closers=("new chapter I guess", "trying to stay hopeful", "any leads appreciated"),
        emoji=("😔", "😞"), p_tag=0,
    ),
    "quarantine": _b(
        "stuck home in quarantine for another week",
        "tested positive, so I'm quarantined and missing everything",
        "whole family is in quarantine, the kids are climbing the walls",
        "on quarantine till {weekday}, can't pick up my ring until then",
        "home on quarantine and going a little stir crazy honestly",
        openers=("ugh.", "so…", "update:"),
        closers=("stay healthy everyone", "see you on the other side", "wash your hands lol"),
        emoji=("😷", "🤒", "😩"), p_tag=0,
    ),
    "lonely": _b(
        "first holidays alone since the divorce, harder than I thought",
        "it's been a lonely winter since my wife passed",
        "feeling pretty low lately, long week",
        "the house is so quiet since the kids moved out",
        emoji=("😔", "💙"), p_tag=0, p_opener=0,
    ),
}

CELEBRATION = {
    "engagement": _b(
        "she said yes!!", "SHE SAID YES", "he asked and I said YES",
        "we're engaged!!", "I'm engaged!!! still shaking",
        "{partner} proposed on the beach last night and I said yes",
        "asked my best friend to marry me and she said yes",
        "engaged!! and the ring is perfect",
        openers=("ok I can finally post this:", "ahhh", "so...", "big news!"),
        closers=("thank you {store} for the most perfect ring", "best night of my life",
                 "couldn't be happier", "still can't believe it"),
        emoji=("💍", "😭", "❤️", "🥂", "💕", "🥹"),
        tags=("#engaged", "#shesaidyes", "#putaringonit", "#engagementring"),
        p_emoji=0.8, p_tag=0.3, p_closer=0.45,
    ),
    "wedding": _b(
        "we got married!!", "married my best friend on saturday",
        "{n} days till the wedding!", "officially Mr and Mrs",
        "our wedding day was everything we dreamed of",
        "just married!", "we did it, married in the backyard with everyone we love",
        closers=("the bands are perfect, thank you {owner}", "best day ever",
                 "thank you to everyone who came"),
        emoji=("💒", "💍", "🥂", "👰", "🤵", "❤️"), tags=("#justmarried", "#weddingday"),
        p_emoji=0.7, p_tag=0.3, p_opener=0,
    ),
    "anniversary": _b(
        "{years} years married to my best friend today",
        "happy {years}th anniversary to the love of my life",
        "{years} years ago today we said I do",
        "celebrating {years} years with {partner} tonight",
        "our anniversary today, {years} years and still laughing",
        closers=("here's to {more} more", "still wearing the ring from {store}",
                 "love you {partner}"),
        emoji=("❤️", "🥂", "💕", "🌹"), tags=("#anniversary",), p_opener=0, p_emoji=0.6,
    ),
    "birthday": _b(
        "birthday dinner tonight", "another trip around the sun", "it's my birthday!!",
        "{n} and fabulous", "birthday girl today", "the kids surprised me for my birthday",
        "celebrating my {n}th today", "happy birthday to me",
        closers=("feeling so loved", "and the new bracelet is perfect", "cake time"),
        emoji=("🎂", "🎉", "🥳", "🎈"), tags=("#birthday",), p_opener=0, p_emoji=0.7,
    ),
    "baby": _b(
        "welcome to the world, little {baby}", "she's here!! {baby}, 7 lbs 2 oz",
        "we had the baby!! everyone is healthy", "it's a boy!", "it's a girl!",
        "meet our son {baby}", "our little {baby} arrived on {weekday}",
        closers=("we are over the moon", "so tired and so happy", "mom and baby doing great"),
        emoji=("👶", "💙", "💗", "🍼", "🥹"), tags=("#newborn", "#baby"), p_opener=0,
        p_emoji=0.7,
    ),
    "graduation": _b(
        "our daughter graduated from nursing school today", "I graduated!!",
        "so proud of my son, class of {year}", "finally finished my degree at {age}",
        "graduation day, so proud of this kid",
        closers=("she wore the pendant you made", "onward!", "proud mom moment"),
        emoji=("🎓", "🎉", "👏"), tags=("#graduation", "#classof{year}"), p_opener=0,
    ),
    "retirement": _b(
        "last day at work after {years} years, I'm officially retired",
        "retired!! after {years} years of teaching",
        "dad retired today after {years} years at the firehouse",
        "happy retirement to my mom, {years} years at the hospital",
        closers=("the gold watch was the perfect touch", "time for the lake house",
                 "so deserved"),
        emoji=("🎉", "🥳", "⛳", "🎣"), tags=("#retirement",), p_opener=0,
    ),
    "newhome": _b(
        "we got the keys today!!", "first night in the new house",
        "closed on our first home this morning", "new job starts monday!!",
        "got the job!!",
        emoji=("🏡", "🔑", "🎉"), p_opener=0, closers=("so grateful", "pinch me"),
    ),
}

COMPLAINT = {
    "repair": _b(
        "picked up my watch from repair and it stopped again two days later",
        "my ring came back from repair with a scratch on the band",
        "it's been {n} weeks and my necklace still isn't fixed",
        "was told my repair would be ready {weekday} and it still isn't",
        "the clasp you replaced broke again already",
        "paid for a resize and the ring is still too loose",
        "my watch came back from service running {n} minutes slow",
        "the stone fell out of the setting a week after the repair",
        openers=("not happy.", "disappointed.", "hi,", "honestly"),
        closers=("not what I expect from you guys", "please call me",
                 "I've been coming here for years", "what's going on?", "really frustrating"),
        emoji=("😡", "😤", "😕"), p_emoji=0.25, p_tag=0,
    ),
    "service": _b(
        "waited {n} minutes and nobody helped me", "no one answered the phone all afternoon",
        "the sign said open but the door was locked at 4",
        "I was quoted one price and charged another",
        "nobody called me back about my appraisal",
        "the engraving has my name spelled wrong",
        openers=("hmm.", "not great.", "fyi"),
        closers=("expected better", "kind of annoyed honestly", "please fix this"),
        emoji=("😕", "😒", "🙄"), p_emoji=0.25, p_tag=0,
    ),
    "other": _b(
        "the airline lost my bag AGAIN", "great, my package is lost again",
        "the mall jeweler lost the back of my earring and shrugged",
        "three hours on hold with the cable company",
        "the contractor never showed up, second time this week",
        "online order arrived broken and they won't refund it",
        "the new restaurant on elm street took 90 minutes to bring our food",
        "the dealership charged me $400 for nothing",
        openers=("rant:", "seriously?", "ugh", "psa:"),
        closers=("wish everyone ran things like {store}", "never again",
                 "customer service is dead"),
        emoji=("🙄", "😤", "😡"), p_tag=0.05, tags=("#fail",),
    ),
}

QUESTION = {
    "hours": _b(
        "are you open sunday?", "what time do you close today?",
        "are you open on {holiday}?", "what are your hours saturday?",
        "are you open late on thursdays?", "is the store open this morning?",
        "do you close early on christmas eve?",
        openers=("hi!", "quick question,", "hey", "hello,"),
        closers=("thanks!", "thank you", "", "want to stop by"),
        emoji=("🙂",), p_emoji=0.1, p_tag=0,
    ),
    "sizing": _b(
        "do you resize rings same day?", "can you make my ring a size smaller?",
        "how much to resize a white gold band?", "can you size up a ring with stones all around?",
        "do you do ring sizing while I wait?", "how long does a ring resize take?",
        "can you resize my grandmother's ring? it's a 5 and I'm a 7",
        openers=("hi!", "question:", "hey,", "hello"),
        closers=("my wedding band is way too tight", "thanks!", "it keeps sliding off",
                 "it's for a gift"),
        emoji=("😅", "💍"), p_emoji=0.2, p_tag=0,
    ),
    "turnaround": _b(
        "how long do watch repairs usually take?", "is my necklace repair ready yet?",
        "how long for a chain repair?", "when will my ring be ready?",
        "do you fix broken chains while I wait?", "how long does a watch service take?",
        openers=("hi,", "hey", "quick one:"), closers=("thanks", "", "no rush"),
        p_emoji=0, p_tag=0,
    ),
    "battery": _b(
        "do you replace watch batteries?", "how much is a watch battery?",
        "can you do a battery in a Fossil watch while I wait?",
        "my Seiko stopped, is it just the battery? can you check?",
        "do I need an appointment for a watch battery?",
        openers=("hi", "hey,"), closers=("thanks!", ""), p_emoji=0, p_tag=0,
    ),
    "price": _b(
        "how much is the necklace in the last photo?", "what's the price on the sapphire ring?",
        "price on the gold hoops?", "how much for the pearl studs?",
        "is the tennis bracelet still on sale?", "what would a custom pendant cost?",
        "how much is the {piece} in the {nth} photo?", "price on the {piece}?",
        openers=("hi!", "love this!", "ooh"), closers=("thanks!", "", "asking for a friend 😉"),
        emoji=("😍",), p_emoji=0.15, p_tag=0,
    ),
    "stock": _b(
        "do you still have the emerald earrings?", "do you carry lab grown diamonds?",
        "do you have this in rose gold?", "do you sell men's wedding bands?",
        "any Seiko divers in stock?", "do you have this chain in a longer length?",
        openers=("hi!", "hey", "question,"), closers=("thanks", "", "would love to see it"),
        p_emoji=0, p_tag=0,
    ),
    "engraving": _b(
        "do you do engraving?", "can you engrave the inside of a band?",
        "how long does engraving take?", "can you engrave a date on a watch back?",
        "do you engrave handwriting?",
        openers=("hi,", "hey"), closers=("it's for our anniversary", "thanks!", ""),
        p_emoji=0, p_tag=0,
    ),
    "appraisal": _b(
        "do you do appraisals for insurance?", "how much does an appraisal cost?",
        "can you appraise my mother's estate jewelry?",
        "do I need an appointment for an appraisal?",
        openers=("hello,", "hi"), closers=("thank you", ""), p_emoji=0, p_tag=0,
    ),
    "layaway": _b(
        "do you offer layaway?", "can I put a ring on layaway?",
        "do you do payment plans?", "how does your layaway work?",
        openers=("hi,", "hey"), closers=("thanks", ""), p_emoji=0, p_tag=0,
    ),
}

PURCHASE = {
    "anniversary": _b(
        "looking for an anniversary gift under $500", "need an anniversary present for my wife",
        "our {years}th anniversary is coming up and I have no idea what to get",
        "looking for something special for our anniversary, she loves pearls",
        "anniversary is next month, thinking earrings, budget around $400",
        openers=("help!", "hi,", "ok so", "guys"),
        closers=("any ideas?", "what do you recommend?", "can I come in saturday?", ""),
        p_emoji=0.1, emoji=("🙏",), p_tag=0,
    ),
    "watch": _b(
        "I need a new watch", "looking for a watch for my dad's retirement",
        "thinking about getting my first automatic watch", "want a nice dive watch, nothing crazy",
        "shopping for a watch for my husband's 40th",
        openers=("hi,", "ok", "so"), closers=("what do you have?", "any suggestions?", ""),
        p_emoji=0, p_tag=0,
    ),
    "engagement": _b(
        "starting to look at engagement rings", "ring shopping!! where do I even start",
        "I want to propose this summer, need help with a ring",
        "looking at engagement rings, she likes oval cuts",
        "want to design a custom engagement ring",
        openers=("ok don't tell anyone but", "shh", "hi"),
        closers=("can I make an appointment?", "help", "budget is flexible-ish"),
        emoji=("💍", "🤫"), p_emoji=0.35, p_tag=0,
    ),
    "gift": _b(
        "need a gift for my mom's 70th", "looking for a christmas present for my wife",
        "what's a good graduation gift for my niece?", "need something for my sister's birthday",
        "looking for a mother's day gift, something with birthstones",
        "want to get my daughter her first pair of real earrings",
        "I want that bracelet from your last post for my girlfriend",
        openers=("hi!", "help!", "hey"), closers=("any ideas?", "around $200", "I'll stop in",
                                                 ""),
        p_emoji=0.1, emoji=("🎁",), p_tag=0,
    ),
}

PRAISE = {
    "general": _b(
        "best customer service ever", "obsessed with my new earrings",
        "{staff} fixed my grandmother's ring and it looks brand new",
        "thank you {owner} for making our day so special",
        "the only jewelers in town I trust", "{staff} was so patient with us",
        "my watch runs perfectly now, thank you {staff}",
        "love my necklace, get compliments every day",
        "you guys always go above and beyond", "three generations of our family shop here",
        "love my new {piece}", "{staff} is the best, the {piece} is perfect",
        "wore my new {piece} to dinner and got so many compliments",
        "quick, honest, and kind", "the engraving came out perfect",
        "you saved my anniversary", "I wear the bracelet every single day",
        openers=("just wanted to say", "honestly", "wow.", "shoutout to {store}:"),
        closers=("thank you!!", "will be back", "highly recommend", "you're the best"),
        emoji=("❤️", "🙏", "😍", "✨", "👏", "💯"), tags=("#shoplocal", "#supportsmallbusiness"),
        p_emoji=0.5, p_tag=0.15,
    ),
}

CATEGORIES = {
    "chatter": CHATTER, "hardship": HARDSHIP, "celebration": CELEBRATION,
    "complaint": COMPLAINT, "question": QUESTION, "purchase_intent": PURCHASE, "praise": PRAISE,
}

# Subtype weights; the generator may scale them by season.
SUBTYPE_WEIGHTS = {
    "chatter": {"photo": 40, "pet": 6, "friend": 14, "emoji": 16, "nostalgia": 6, "life": 12,
                "thread": 6},
    "hardship": {"blackout": 20, "storm": 15, "illness": 20, "death": 15, "job": 12,
                 "quarantine": 12, "lonely": 6},
    "celebration": {"engagement": 22, "wedding": 14, "anniversary": 18, "birthday": 18,
                    "baby": 10, "graduation": 8, "retirement": 5, "newhome": 5},
    "complaint": {"repair": 45, "service": 25, "other": 30},
    "question": {"hours": 20, "sizing": 16, "turnaround": 12, "battery": 12, "price": 14,
                 "stock": 10, "engraving": 6, "appraisal": 5, "layaway": 5},
    "purchase_intent": {"anniversary": 28, "watch": 20, "engagement": 22, "gift": 30},
    "praise": {"general": 1},
}

FRIEND_TAGS = ("jenny.r", "mikeyd", "sam_k", "lauren.b", "tasha22", "dan.o", "kels",
               "auntie.pat", "bri.m", "coach.t", "nonna.rosa", "jj_smith")
BABY_NAMES = ("Olivia", "Liam", "Nora", "Theo", "Ava", "Mateo", "June", "Eli", "Rosie", "Sam")
PARTNER_NAMES = ("Jess", "Mike", "Sarah", "Chris", "Alex", "Dan", "Katie", "Tony", "Emma",
                 "Luis", "Megan", "Ray")
HOLIDAYS = ("Labor Day", "Memorial Day", "the 4th", "Black Friday", "Christmas Eve",
            "New Year's Day", "Presidents Day")
PIECES = ("ring", "necklace", "bracelet", "emerald", "watch", "pendant", "hoops", "band",
          "setting", "locket", "studs", "chain", "sapphire", "cuff", "pearls")
ADJECTIVES = ("gorgeous", "stunning", "so pretty", "unreal", "perfect", "beautiful", "to die for",
              "everything", "so classy", "amazing")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Slots(dict):
    """Fills `{slot}`s lazily; the generator presets fixed ones (store, owner, staff)."""

    def __init__(self, rng: random.Random, fixed: dict[str, object]):
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> object:
        r = self.rng
        value: object
        if key == "n":
            value = r.randint(2, 9)
        elif key == "years":
            value = r.choice((5, 10, 12, 15, 20, 25, 30, 35, 40, 50))
        elif key == "more":
            value = r.choice(("50", "a hundred", "many"))
        elif key == "partner":
            value = r.choice(PARTNER_NAMES)
        elif key == "baby":
            value = r.choice(BABY_NAMES)
        elif key == "weekday":
            value = r.choice(WEEKDAYS)
        elif key == "holiday":
            value = r.choice(HOLIDAYS)
        elif key == "friend":
            value = r.choice(FRIEND_TAGS)
        elif key == "age":
            value = r.randint(38, 61)
        elif key == "piece":
            value = r.choice(PIECES)
        elif key == "adj":
            value = r.choice(ADJECTIVES)
        elif key == "nth":
            value = r.choice(("first", "second", "third", "last"))
        elif key == "staff":
            value = r.choice(self["staff_names"])  # type: ignore[index]
        else:
            raise KeyError(key)
        self[key] = value
        return value


_VOWEL_SWAP = str.maketrans({"'": "", "’": ""})


def roughen(rng: random.Random, text: str) -> str:
    """Casual typing: lower case, no apostrophes, a transposed letter, `u` for `you`."""
    x = rng.random()
    if x < 0.30:
        text = text.lower()
    elif x < 0.36:
        text = text[:1].upper() + text[1:]
    if rng.random() < 0.12:
        text = text.translate(_VOWEL_SWAP)
    if rng.random() < 0.08:
        words = text.split(" ")
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4 and w.isalpha():
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            text = " ".join(words)
    if rng.random() < 0.05:
        text = text.replace(" you ", " u ").replace("You ", "U ")
    if rng.random() < 0.06:
        text = text.rstrip("!?.") + rng.choice(("!!!", "??", "...", " lol"))
    return text


def compose(rng: random.Random, category: str, subtype: str, slots: Slots) -> str:
    """One post's text for a category/subtype from docs/moments.md (or `chatter`)."""
    bank = CATEGORIES[category][subtype]
    parts = []
    if bank.openers and rng.random() < bank.p_opener:
        opener = rng.choice(bank.openers)
        if opener:
            parts.append(opener)
    parts.append(rng.choice(bank.bodies))
    if bank.closers and rng.random() < bank.p_closer:
        closer = rng.choice(bank.closers)
        if closer in ("!", "!!", ".", "?"):
            parts[-1] += closer
        elif closer:
            if parts[-1][-1:].isalnum():
                parts[-1] += rng.choice((",", ".", " -", "!"))
            parts.append(closer)
    text = " ".join(parts).format_map(slots)
    if category != "chatter" or subtype not in ("emoji",):
        text = roughen(rng, text)
    if bank.emoji and rng.random() < bank.p_emoji:
        e = rng.choice(bank.emoji)
        text += " " + e * rng.choice((1, 1, 1, 2, 3))
    if bank.tags and rng.random() < bank.p_tag:
        k = min(len(bank.tags), rng.choice((1, 1, 2)))
        text += " " + " ".join(rng.sample(bank.tags, k=k)).format_map(slots)
    return text
