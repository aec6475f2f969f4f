"""Text normalization and tokenization shared by training and inference.

Training (scripts/train_detector.py) and the runtime detector must tokenize identically, so this
module is the single definition. It is pure Python + `re`, tuned for speed: the import pipeline
runs it on every interaction.
"""
from __future__ import annotations

import re

# Long posts are cut: the first few thousand characters carry the moment, and this bounds time.
MAX_CHARS = 5000

_URL = r"(?:https?://|www\.)\S+"
_TOKEN_RE = re.compile(
    _URL + r"|@\w+|#\w+"
    r"|[a-z0-9\u00df-\u00ff]+(?:'[a-z]+)?"
    r"|[!?$]"
    # Emoji and pictographs: hearts, rings, party poppers and crying faces carry moments.
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2764]"
)
_ELONGATED = re.compile(r"(\w)\1{2,}")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_ALPHA = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_UPPER = re.compile(r"[A-Z\u00c0-\u00de]")


def clean(text: object) -> str:
    """Any input -> a safe str: None and non-str become '', lone surrogates are replaced."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = str(text)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from broken JSON or files
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def tokenize(text: str) -> list[str]:
    """Lowercased word, emoji and ?/! tokens. URLs -> <url>, @mentions -> <user>,
    #hashtags -> the word (so #blessed counts as blessed); 'yessss' -> 'yess'."""
    low = _ELONGATED.sub(r"\1\1", text.translate(_QUOTES).lower())
    if "@" not in low and "#" not in low and "http" not in low and "www." not in low:
        return _TOKEN_RE.findall(low)  # fast path: nothing to rewrite
    out: list[str] = []
    append = out.append
    for tok in _TOKEN_RE.findall(low):
        first = tok[0]
        if first == "@":
            append("<user>")
        elif first == "#":
            append(tok[1:])
        elif first in "hw" and (tok.startswith("http") or tok.startswith("www.")):
            append("<url>")
        else:
            append(tok)
    return out


def is_shouting(text: str) -> bool:
    """Mostly capital letters over a few words: 'WORST SERVICE EVER'."""
    upper = len(_UPPER.findall(text))
    return upper >= 8 and upper > 0.6 * len(_ALPHA.findall(text))


def normalize_key(text: str) -> str:
    """A key for near-exact duplicates: tokens without mentions/urls, joined."""
    return " ".join(t for t in tokenize(clean(text)) if t not in ("<user>", "<url>"))


# Very common function words. English hits vs. other-language hits tell us whether the
# Latin-script post is English; non-Latin scripts are caught by the letter test.
_EN = frozenset(
    "the a an and or but is are was were be been i you he she it we they my your our this that "
    "to of in on for with at by from so not no do does did have has had will would can could "
    "just what how when where why who me him her them us am if all get got out up about".split()
)
_FOREIGN = frozenset(
    # Spanish, French, German, Portuguese, Italian, Dutch function words that are not English.
    "el la los las que de y en es por para con una del al lo su pero muy como esta está "
    "le les des et est une dans pour avec pas qui sur ce je vous nous mais très "
    "der die das und ist nicht ein eine ich mit sie auf für den dem zu auch sich wir "
    "o os da do em um uma não com para é mas muito "
    "il di che non per sono una gli della con ma ho "
    "het een en van ik niet dat je zijn op met voor maar "
    "hola gracias encanta estás bonjour merci danke bitte obrigado obrigada grazie ciao".split()
) - _EN


def unsupported_language(text: str, tokens: list[str]) -> bool:
    """True when the post is clearly not English (we only have English models)."""
    if not text.isascii():  # fast path: plain ASCII text is Latin script
        letters = _ALPHA.findall(text[:1000])
        if len(letters) < 4:
            return False  # emoji-only or too short to judge: let English rules try
        if len(_LATIN.findall(text[:1000])) < 0.5 * len(letters):
            return True
    fo = len(_FOREIGN.intersection(tokens))
    return fo >= 2 and fo > 2 * len(_EN.intersection(tokens))
