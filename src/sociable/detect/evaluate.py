"""Score a detector against a labeled JSONL file: per-label P/R/F1, macro-F1, posts/s.

A file whose records only ever carry one label (complaints-dev, questions-dev, purchase-dev) says
nothing about the others, so by default only the labels that occur in the file are scored.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sociable.domain.moments import LABELS, Label

# A predictor maps texts to one set of label names per text.
Predictor = Callable[[Sequence[str]], list[set[str]]]


@dataclass
class LabelScore:
    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    path: str
    posts: int
    seconds: float
    labels: list[LabelScore] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.labels) / len(self.labels) if self.labels else 0.0

    @property
    def posts_per_second(self) -> float:
        return self.posts / self.seconds if self.seconds > 0 else float("inf")

    def to_json(self) -> dict:
        return {
            "path": self.path, "posts": self.posts, "posts_per_second": self.posts_per_second,
            "macro_f1": self.macro_f1,
            "labels": {s.label: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                 "support": s.support} for s in self.labels},
        }


def load_labeled(path: str | Path) -> tuple[list[str], list[set[str]]]:
    texts, gold = [], []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                texts.append(str(record["text"]))
                gold.append({str(Label(x)) for x in record["labels"]})
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{lineno}: need 'text' and 'labels' ({exc})") from None
    return texts, gold


def score(texts: Sequence[str], gold: Sequence[set[str]], predicted: Sequence[set[str]],
          labels: Iterable[str]) -> list[LabelScore]:
    out = []
    for label in labels:
        s = LabelScore(label)
        for g, p in zip(gold, predicted):
            if label in p:
                s.tp += label in g
                s.fp += label not in g
            elif label in g:
                s.fn += 1
        out.append(s)
    return out


def labels_in(gold: Sequence[set[str]]) -> list[str]:
    """The labels a file evaluates: all six if several occur, else just the one it names."""
    present = {x for g in gold for x in g}
    if len(present) > 1:
        return [str(x) for x in LABELS]
    return [str(x) for x in LABELS if str(x) in present]


def evaluate(path: str | Path, labels: Iterable[str] | None = None,
             predictor: Predictor | None = None) -> Report:
    """Run the detector (or `predictor`) on a labeled JSONL file and score it."""
    texts, gold = load_labeled(path)
    if predictor is None:
        from sociable.detect import detect, get_detector

        get_detector()  # load outside the timed run: posts/s measures scoring only

        def predictor(batch: Sequence[str]) -> list[set[str]]:
            return [{str(x) for x in d.labels} for d in detect(batch)]

    chosen = [str(Label(x)) for x in labels] if labels else labels_in(gold)
    start = time.perf_counter()
    predicted = predictor(texts)
    seconds = time.perf_counter() - start
    return Report(str(path), len(texts), seconds, score(texts, gold, predicted, chosen))
