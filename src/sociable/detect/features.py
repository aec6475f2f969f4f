"""Sparse features for the linear model: words, word pairs, how the post starts and ends.

Shared by training and inference so both see exactly the same feature strings.
"""
from __future__ import annotations

from collections.abc import Iterable

from sociable.detect.lexicon import NEGATABLE, NEGATORS


def features(tokens: list[str], shouting: bool) -> list[str]:
    feats = list(tokens)
    feats.extend([a + " " + b for a, b in zip(tokens, tokens[1:])])
    if tokens:
        # Questions and requests are signalled by how a post starts ("do you", "can i").
        start = [t for t in tokens[:4] if t != "<user>"]
        if start:
            feats.append("^" + start[0])
            if len(start) > 1:
                feats.append("^" + start[0] + " " + start[1])
        if tokens[-1] == "?" or (len(tokens) > 1 and tokens[-2] == "?"):
            feats.append("<ends?>")
    else:
        feats.append("<empty>")
    if shouting:
        feats.append("<caps>")
    return feats


class PhraseMatcher:
    """Finds lexicon phrases in a token list with dict look-ups (no regex per phrase)."""

    def __init__(self, table: dict[str, list[tuple[str, float]]], labels: Iterable[str]):
        self.index = {label: i for i, label in enumerate(labels)}
        self.table = {
            phrase: [(self.index[label], label, w) for label, w in entries]
            for phrase, entries in table.items()
        }
        self.max_len: dict[str, int] = {}
        for phrase in table:
            parts = phrase.split(" ")
            self.max_len[parts[0]] = max(self.max_len.get(parts[0], 0), len(parts))
        self.starts = frozenset(self.max_len)

    def match(self, tokens: list[str]) -> list[tuple[int, float, str]]:
        """[(label index, weight, phrase)]: the longest phrase per label at each position;
        praise/celebration/purchase phrases right after a negator ('not', "don't") are skipped."""
        hits: list[tuple[int, float, str]] = []
        table, max_len = self.table, self.max_len
        starts = self.starts.intersection(tokens)  # C-speed pre-check: most tokens start nothing
        if not starts:
            return hits
        n = len(tokens)
        for i, tok in enumerate(tokens):
            if tok not in starts:
                continue
            longest = max_len[tok]
            negated = None  # computed on first need: most positions never ask
            seen_here: set[int] = set()
            for size in range(min(longest, n - i), 0, -1):
                phrase = tok if size == 1 else " ".join(tokens[i : i + size])
                entries = table.get(phrase)
                if not entries:
                    continue
                for idx, label, w in entries:
                    if idx in seen_here:
                        continue
                    if w > 0 and label in NEGATABLE:
                        if negated is None:
                            negated = not NEGATORS.isdisjoint(tokens[max(0, i - 3) : i])
                        if negated:
                            continue
                    seen_here.add(idx)
                    hits.append((idx, w, phrase))
        return hits
