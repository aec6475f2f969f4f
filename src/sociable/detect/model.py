"""The runtime detector: a linear model over sparse features plus the phrase lexicon, numpy only.

score(label) = sigmoid(bias + sum of weights of the post's features + lexicon phrase weights
                      + dense post vector . dense weights)

The weights come from `model.npz`, built by scripts/train_detector.py (see MODEL.md); the dense
post vector from the static word table `words.npz` (dense.py). Without model.npz the detector
still runs on the lexicon alone, which keeps a broken install usable.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from sociable.detect import dense
from sociable.detect.corrections import CorrectionIndex
from sociable.detect.features import PhraseMatcher, features
from sociable.detect.lexicon import STRONG, phrase_table
from sociable.detect.text import clean, is_shouting, tokenize, unsupported_language
from sociable.domain.moments import LABELS, Detection

MODEL_PATH = Path(__file__).with_name("model.npz")
LABEL_NAMES: tuple[str, ...] = tuple(str(label) for label in LABELS)
UNSUPPORTED = "unsupported language: no labels"
_BATCH = 2048  # posts scored per numpy call: large enough to amortize, small enough for memory
_CAP = 2 * STRONG  # many phrases for one label should not outvote the model without limit
_PRAISE, _COMPLAINT = LABEL_NAMES.index("praise"), LABEL_NAMES.index("complaint")


class Detector:
    """Loaded once per process (see `get_detector`); `detect` is safe to call from threads."""

    def __init__(self, model_path: Path | str | None = MODEL_PATH,
                 words_path: Path | str | None = dense.WORDS_PATH):
        self.meta: dict = {}
        self.dense_weights: np.ndarray | None = None
        self.vectors: dense.WordVectors | None = None
        path = Path(model_path) if model_path else None
        if path is not None and path.exists():
            with np.load(path, allow_pickle=False) as data:
                names = bytes(data["vocab"]).decode("utf-8").split("\n")
                self.weights = data["weights"].astype(np.float32)
                self.thresholds = data["thresholds"].astype(np.float64)
                self.meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                if "dense_weights" in data.files:
                    self.dense_weights = data["dense_weights"].astype(np.float32)
            self.names = [""] + names  # row 0 is the bias
            self.vocab = {name: i for i, name in enumerate(self.names) if i}
            if self.dense_weights is not None:
                self.vectors = dense.load(words_path)
                if self.vectors is None or self.vectors.dims != self.dense_weights.shape[0]:
                    raise RuntimeError(f"{path} needs the word table {words_path} "
                                       f"({self.dense_weights.shape[0]} dims); rebuild both")
        else:
            self.names, self.vocab = [""], {}
            self.weights = np.full((1, len(LABEL_NAMES)), -2.5, dtype=np.float32)
            self.thresholds = np.full(len(LABEL_NAMES), 0.5)
        self.matcher = PhraseMatcher(phrase_table(tokenize), LABEL_NAMES)

    @classmethod
    def from_arrays(cls, names: list[str], weights: np.ndarray, thresholds: np.ndarray,
                    meta: dict | None = None, dense_weights: np.ndarray | None = None,
                    vectors: dense.WordVectors | None = None) -> Detector:
        """A detector from weights in memory (training and cross-validation use this)."""
        det = cls(model_path=None)
        det.dense_weights = None if dense_weights is None else np.asarray(dense_weights,
                                                                            np.float32)
        det.vectors = vectors if dense_weights is not None else None
        det.names = [""] + list(names)
        det.vocab = {name: i for i, name in enumerate(det.names) if i}
        det.weights = np.asarray(weights, dtype=np.float32)
        det.thresholds = np.asarray(thresholds, dtype=np.float64)
        det.meta = dict(meta or {})
        return det

    # -- scoring -------------------------------------------------------------------------
    def detect(self, texts: Iterable[object], corrections: Iterable[object] | None = None
               ) -> list[Detection]:
        index = (corrections if isinstance(corrections, CorrectionIndex) or corrections is None
                 else CorrectionIndex(corrections))
        out: list[Detection] = []
        batch: list[str] = []
        for text in texts:
            batch.append(clean(text))
            if len(batch) >= _BATCH:
                out.extend(self._score(batch, index))
                batch = []
        if batch:
            out.extend(self._score(batch, index))
        return out

    def analyze(self, text: str) -> tuple[list[str], list[tuple[int, float, str]], bool]:
        """(features, lexicon hits, unsupported language) for one cleaned text."""
        return self._analyze(text, tokenize(text))

    def _analyze(self, text: str, tokens: list[str]
                 ) -> tuple[list[str], list[tuple[int, float, str]], bool]:
        if unsupported_language(text, tokens):
            return [], [], True
        return features(tokens, is_shouting(text)), self.matcher.match(tokens), False

    @staticmethod
    def lexicon_logits(hits_per_text: Sequence[list[tuple[int, float, str]]]) -> np.ndarray:
        """Phrase weights summed per label, capped, with the sarcasm guard applied."""
        lex = np.zeros((len(hits_per_text), len(LABEL_NAMES)))
        for row, hits in zip(lex, hits_per_text):
            for idx, w, _ in hits:
                row[idx] += w
        np.clip(lex, -_CAP, _CAP, out=lex)
        # Sarcasm guard: "great, my order is lost AGAIN" praises nothing.
        lex[(lex[:, _COMPLAINT] >= STRONG) & (lex[:, _PRAISE] < STRONG), _PRAISE] -= STRONG
        return lex

    def _score(self, texts: Sequence[str], index: CorrectionIndex | None) -> list[Detection]:
        vocab_get = self.vocab.get
        rows: list[int] = []
        offsets: list[int] = []
        hits_per_text, feature_ids, foreign, token_lists = [], [], [], []
        for text in texts:
            tokens = tokenize(text)
            token_lists.append(tokens)
            feats, hits, unsupported = self._analyze(text, tokens)
            offsets.append(len(rows))
            ids = set(map(vocab_get, feats))
            ids.discard(None)
            ids_list = list(ids)
            rows.append(0)  # bias row: also keeps every segment non-empty for reduceat
            rows.extend(ids_list)
            feature_ids.append(ids_list)
            hits_per_text.append(hits)
            foreign.append(unsupported)
        logits = np.add.reduceat(self.weights[rows], offsets, axis=0)
        logits += self.lexicon_logits(hits_per_text)
        if self.vectors is not None and self.dense_weights is not None:
            logits += self.vectors.embed(token_lists) @ self.dense_weights
        scores = 1.0 / (1.0 + np.exp(-logits))
        fired: list[list[int]] = [[] for _ in texts]
        for i, j in zip(*np.nonzero(scores >= self.thresholds)):
            fired[i].append(int(j))
        for i, labels in enumerate(fired):
            if len(labels) > 1:
                fired[i] = _exclusive(labels, hits_per_text[i])
        out = []
        for i, row in enumerate(scores.tolist()):
            if foreign[i]:
                out.append(Detection([], dict.fromkeys(LABEL_NAMES, 0.0),
                                     {"language": UNSUPPORTED}))
                continue
            det = Detection(
                [LABELS[j] for j in fired[i]],
                dict(zip(LABEL_NAMES, row)),
                {LABEL_NAMES[j]: self._why(j, hits_per_text[i], feature_ids[i])
                 for j in fired[i]},
            )
            if index:
                _apply_corrections(det, texts[i], index)
            out.append(det)
        return out

    def _why(self, j: int, hits: list[tuple[int, float, str]], ids: list[int]) -> str:
        phrases = sorted({(w, p) for idx, w, p in hits if idx == j and w > 0}, reverse=True)
        shown: list[str] = []
        for _, p in phrases:  # strongest first; skip phrases inside one already shown
            if not any(p in s or s in p for s in shown):
                shown.append(p)
        if shown:
            return "phrase: " + ", ".join(f"'{p}'" for p in shown[:2])
        if ids:
            col = self.weights[ids, j]
            top = [self.names[ids[t]] for t in np.argsort(-col)[:3] if col[t] > 0]
            if top:
                return "words: " + ", ".join(f"'{w}'" for w in top)
        return "model score"


# A post a phrase shows to be about a loss or a complaint is not, on the model's word-level
# hunch alone, also a celebration or praise ("my mom passed away" is no exam passed; "great,
# lost AGAIN" is no compliment), nor is a complaint a hardship on a hunch ("my watch runs slow
# again, not happy" wants a fix, not condolences). A phrase for the second label keeps it.
_OVERRULES = {
    LABEL_NAMES.index("hardship"): (LABEL_NAMES.index("celebration"), LABEL_NAMES.index("praise")),
    LABEL_NAMES.index("complaint"): (LABEL_NAMES.index("praise"), LABEL_NAMES.index("hardship")),
}


def _exclusive(labels: list[int], hits: list[tuple[int, float, str]]) -> list[int]:
    by_phrase = {idx for idx, w, _ in hits if w > 0}
    dropped = {j for strong, weak in _OVERRULES.items() if strong in labels and strong in by_phrase
               for j in weak if j not in by_phrase}
    return [j for j in labels if j not in dropped]


def _apply_corrections(det: Detection, text: str, index: CorrectionIndex) -> None:
    """Force taught labels on/off. A removed label keeps an evidence line saying why it is gone."""
    found, similarity = index.lookup(text)
    how = "same post" if similarity >= 1.0 else f"similar post ({similarity:.0%} words shared)"
    for c in found:
        name = str(c.label)
        if c.present:
            if c.label not in det.labels:
                det.labels.append(c.label)
            det.scores[name] = max(det.scores.get(name, 0.0), 0.99)
            det.evidence[name] = f"store correction: {how} marked {name}"
        else:
            if c.label in det.labels:
                det.labels.remove(c.label)
            det.scores[name] = min(det.scores.get(name, 0.0), 0.01)
            det.evidence[name] = f"store correction: {how} marked not {name}"
    det.labels.sort(key=LABELS.index)
