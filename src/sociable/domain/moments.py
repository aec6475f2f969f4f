"""Moments: reasons to write back personally (see docs/moments.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Label(StrEnum):
    HARDSHIP = "hardship"
    CELEBRATION = "celebration"
    COMPLAINT = "complaint"
    QUESTION = "question"
    PURCHASE_INTENT = "purchase_intent"
    PRAISE = "praise"


LABELS: tuple[Label, ...] = tuple(Label)


@dataclass
class Detection:
    """What the detector found in one text: labels over threshold, every score, and why."""

    labels: list[Label] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "labels": [str(label) for label in self.labels],
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "evidence": dict(self.evidence),
        }
