"""Dense post vectors from a static word table (`words.npz`), numpy only.

The table is distilled from all-MiniLM-L6-v2 by scripts/build_detect_embeddings.py: one
PCA-reduced, SIF-weighted vector per word of our own tokenizer. A post's vector is the sum of
its known words' vectors, scaled to length SCALE (zero when no word is known). It gives the
linear model a sense of meaning beyond exact words ("mum is in hospital" ~ "dad had surgery").
Shared by training and inference so both compute exactly the same vectors.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

WORDS_PATH = Path(__file__).with_name("words.npz")
SCALE = 3.0  # length of a post vector: comparable to a handful of active sparse features


class WordVectors:
    def __init__(self, path: Path | str = WORDS_PATH):
        with np.load(path, allow_pickle=False) as data:
            words = bytes(data["words"]).decode("utf-8").split("\n")
            vectors = data["vectors"].astype(np.float32)
        # Row 0 is a zero vector: unknown words and empty posts point at it.
        self.table = np.vstack([np.zeros((1, vectors.shape[1]), np.float32), vectors])
        self.index = {w: i + 1 for i, w in enumerate(words)}
        self.dims = int(vectors.shape[1])

    def embed(self, token_lists: Sequence[list[str]]) -> np.ndarray:
        """(len(token_lists), dims) float32, each row of length SCALE or zero."""
        get = self.index.get
        rows: list[int] = []
        offsets: list[int] = []
        for tokens in token_lists:
            offsets.append(len(rows))
            rows.append(0)  # keeps every segment non-empty for reduceat
            rows.extend(i for i in map(get, tokens) if i)
        if not offsets:
            return np.zeros((0, self.dims), np.float32)
        out = np.add.reduceat(self.table[rows], offsets, axis=0)
        norm = np.sqrt((out * out).sum(1, keepdims=True))
        np.divide(out * SCALE, norm, out=out, where=norm > 0)
        return out


def load(path: Path | str | None = WORDS_PATH) -> WordVectors | None:
    """The word table, or None when it is not installed (the detector then runs sparse only)."""
    if path is None or not Path(path).exists():
        return None
    return WordVectors(path)
