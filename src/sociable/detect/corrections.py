"""Store corrections: what a store taught the detector from its inbox.

A correction `(text, label, present)` says "this label is wrong here" (present=False) or
"this label was missed here" (present=True). It applies to the same post and to near-duplicates
(same normalized text, or most words shared), which is where a store's repeated mistakes live:
the same customer's repeated wording, templated posts, copied comments.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sociable.detect.text import clean, tokenize
from sociable.domain.moments import Label

# Share of words two posts must have in common (Jaccard) to count as near-duplicates.
SIMILARITY = 0.8
_IGNORED = frozenset({"<user>", "<url>", "!", "?", "$"})


@dataclass(frozen=True)
class Correction:
    text: str
    label: Label
    present: bool


def _coerce(item: object) -> Correction:
    if isinstance(item, Correction):
        return item
    if isinstance(item, dict):
        text, label, present = item["text"], item["label"], item["present"]
    else:
        text, label, present = item  # type: ignore[misc]
    return Correction(clean(text), Label(str(label)), bool(present))


def _words(text: str) -> frozenset[str]:
    return frozenset(t for t in tokenize(text) if t not in _IGNORED)


class CorrectionIndex:
    """Exact (normalized) look-up plus an inverted word index for near-duplicates."""

    def __init__(self, corrections: Iterable[object]):
        self.by_key: dict[frozenset[str], list[Correction]] = {}
        self.postings: dict[str, list[frozenset[str]]] = {}
        for item in corrections:
            c = _coerce(item)
            words = _words(c.text)
            if not words:
                continue
            if words not in self.by_key:
                for w in words:
                    self.postings.setdefault(w, []).append(words)
            # Later corrections win over earlier ones for the same label.
            self.by_key.setdefault(words, []).append(c)

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def lookup(self, text: str) -> tuple[list[Correction], float]:
        """Corrections that apply to `text` and the similarity they were matched at."""
        words = _words(text)
        if not words:
            return [], 0.0
        exact = self.by_key.get(words)
        if exact:
            return exact, 1.0
        overlap: Counter[frozenset[str]] = Counter()
        for w in words:
            for key in self.postings.get(w, ()):
                overlap[key] += 1
        best, best_sim = None, 0.0
        for key, shared in overlap.items():
            sim = shared / (len(words) + len(key) - shared)
            if sim > best_sim:
                best, best_sim = key, sim
        if best is None or best_sim < SIMILARITY:
            return [], 0.0
        return self.by_key[best], best_sim
