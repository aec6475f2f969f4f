"""Moment detection: which posts deserve a personal reply, and why (docs/detection.md).

    >>> from sociable.detect import detect
    >>> [str(x) for x in detect(["She said YES!! 💍"])[0].labels]
    ['celebration']
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sociable.detect.corrections import Correction, CorrectionIndex
from sociable.detect.evaluate import Report, evaluate
from sociable.detect.files import InputError, detect_file, read_posts
from sociable.detect.model import MODEL_PATH, Detector
from sociable.domain.moments import Detection

__all__ = [
    "Correction", "CorrectionIndex", "Detection", "Detector", "InputError", "MODEL_PATH",
    "Report", "detect", "detect_file", "evaluate", "get_detector", "read_posts",
]


@lru_cache(maxsize=1)
def get_detector() -> Detector:
    """The shared detector, loaded on first use and kept for the life of the process."""
    return Detector()


def detect(texts: Iterable[str], corrections: Iterable[object] | None = None) -> list[Detection]:
    """One Detection per text. `corrections`: (text, label, present) a store taught it."""
    if isinstance(texts, str):
        raise TypeError("detect() takes an iterable of texts; wrap a single text in a list")
    return get_detector().detect(texts, corrections)
