"""Build src/sociable/detect/model.npz from the public datasets in ../shared/datasets.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_detector.py            # writes the shipped model
    .venv/bin/python scripts/train_detector.py --cv 5     # also prints 5-fold CV figures

One logistic regression per label over the runtime's sparse features (words, word pairs, how the
post starts). The hand-written phrase lexicon enters as a fixed offset, so the model learns what
the phrases miss instead of re-learning them. Each label learns from the data that speaks to it
(moments-dev.jsonl is never used: it is the clean test set):

  complaint        complaints-dev.jsonl (X-CI tweets to companies)
  question         questions-dev.jsonl (Tweet Acts)
  purchase_intent  purchase-dev.jsonl (iPhone X tweets)
  hardship         GoEmotions train: grief, sadness, fear, nervousness vs. the rest
  celebration      GoEmotions train: pride, joy, excitement vs. the rest (a weak proxy)
  praise           GoEmotions train: gratitude, admiration vs. the rest

Needs numpy and scipy only (scipy comes with the `train` extra); deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sociable.detect.model import LABEL_NAMES, MODEL_PATH, Detector  # noqa: E402
from sociable.detect.text import clean  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets"
SEED = 13
MIN_DF = 2
PURCHASE_NEGATIVES = 4000
THRESHOLD_GRID = np.round(np.arange(0.2, 0.81, 0.05), 2)
GOEMOTION_PROXIES = {
    "hardship": {"grief", "sadness", "fear", "nervousness"},
    "celebration": {"pride", "joy", "excitement"},
    "praise": {"gratitude", "admiration"},
}
SINGLE_LABEL_FILES = {
    "complaint": "complaints-dev.jsonl",
    "question": "questions-dev.jsonl",
    "purchase_intent": "purchase-dev.jsonl",
}
# L2 strength per label (inverse: larger C = weaker prior), chosen by CV on the training sources.
C = {"hardship": 0.5, "celebration": 0.1, "complaint": 1.0, "question": 1.0,
     "purchase_intent": 0.5, "praise": 0.2}


@dataclass
class LabelData:
    texts: list[str]
    y: np.ndarray
    n_eval: int | None = None  # leading rows that come from the evaluated file itself


def load_jsonl(path: Path, label: str) -> LabelData:
    texts, y = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts.append(clean(record["text"]))
            y.append(label in record["labels"])
    return LabelData(texts, np.array(y, dtype=np.float64))


def load_goemotions(split: str = "train") -> tuple[list[str], list[set[str]]]:
    names = (DATA / "goemotions" / "labels.txt").read_text().split()
    texts, emotions = [], []
    with open(DATA / "goemotions" / f"{split}.tsv", encoding="utf-8") as f:
        for line in f:
            text, ids, _ = line.rstrip("\n").split("\t")
            texts.append(clean(text))
            emotions.append({names[int(i)] for i in ids.split(",")})
    return texts, emotions


def load_all() -> dict[str, LabelData]:
    data = {label: load_jsonl(DATA / name, label) for label, name in SINGLE_LABEL_FILES.items()}
    texts, emotions = load_goemotions()
    for label, proxy in GOEMOTION_PROXIES.items():
        data[label] = LabelData(texts, np.array([bool(e & proxy) for e in emotions], float))
    # The purchase tweets are all about one phone; everyday chatter (GoEmotions comments
    # without 'desire') teaches the model that wanting is not the same as talking.
    rng = np.random.default_rng(SEED)
    chatter = [t for t, e in zip(texts, emotions) if "desire" not in e]
    extra = [chatter[i] for i in rng.choice(len(chatter), PURCHASE_NEGATIVES, replace=False)]
    d = data["purchase_intent"]
    data["purchase_intent"] = LabelData(d.texts + extra,
                                        np.concatenate([d.y, np.zeros(len(extra))]))
    data["purchase_intent"].n_eval = len(d.texts)
    return data


def _fit_one(X: sparse.csr_matrix, y: np.ndarray, offset: np.ndarray, c: float) -> np.ndarray:
    """L2 logistic regression with a fixed per-row offset (the lexicon). Returns [bias, w...].
    Positives are up-weighted to balance the classes, since true base rates differ by source."""
    n, d = X.shape
    pos = y.sum()
    sw = np.where(y > 0, n / (2 * max(pos, 1)), n / (2 * max(n - pos, 1)))

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        b, w = theta[0], theta[1:]
        z = X @ w + b + offset
        p = 1 / (1 + np.exp(-z))
        # log(1 + e^z) - y z, computed stably
        ll = np.logaddexp(0, z) - y * z
        f = (sw * ll).sum() / n + (w @ w) / (2 * c * n)
        g = sw * (p - y) / n
        return f, np.concatenate([[g.sum()], X.T @ g + w / (c * n)])

    theta0 = np.zeros(d + 1)
    res = optimize.minimize(loss, theta0, jac=True, method="L-BFGS-B",
                            options={"maxiter": 500})
    return res.x


class Featurizer:
    """Runs the runtime's own analysis once per text and caches it."""

    def __init__(self) -> None:
        self.base = Detector(model_path=None)
        self.cache: dict[str, tuple[list[str], np.ndarray]] = {}

    def __call__(self, texts: list[str]) -> tuple[list[list[str]], np.ndarray]:
        feats, lex = [], []
        for t in texts:
            hit = self.cache.get(t)
            if hit is None:
                f, hits, _ = self.base.analyze(t)
                hit = (sorted(set(f)), self.base.lexicon_logits([hits])[0])
                self.cache[t] = hit
            feats.append(hit[0])
            lex.append(hit[1])
        return feats, np.array(lex).reshape(len(texts), len(LABEL_NAMES))


def _matrix(feats: list[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for fs in feats:
        indices.extend(vocab[f] for f in fs if f in vocab)
        indptr.append(len(indices))
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr),
                             shape=(len(feats), len(vocab)))


class LabelModel:
    """One label's vocabulary (its own training texts, df >= MIN_DF) and weights."""

    def __init__(self, feats: list[list[str]], y: np.ndarray, offset: np.ndarray, c: float):
        df: Counter[str] = Counter()
        for fs in feats:
            df.update(fs)
        self.names = sorted(f for f, count in df.items() if count >= MIN_DF)
        self.vocab = {f: i for i, f in enumerate(self.names)}
        self.theta = _fit_one(_matrix(feats, self.vocab), y, offset, c)

    def scores(self, feats: list[list[str]], offset: np.ndarray) -> np.ndarray:
        z = _matrix(feats, self.vocab) @ self.theta[1:] + self.theta[0] + offset
        return 1 / (1 + np.exp(-z))


def pick_threshold(feats: list[list[str]], y: np.ndarray, offset: np.ndarray, c: float,
                   k: int = 5) -> float:
    """The F1-best threshold on out-of-fold scores of the training data itself."""
    oof = np.zeros(len(y))
    for held in folds(len(y), k, SEED + 1):
        keep = np.ones(len(y), dtype=bool)
        keep[held] = False
        m = LabelModel([feats[i] for i in np.flatnonzero(keep)], y[keep], offset[keep], c)
        oof[held] = m.scores([feats[i] for i in held], offset[held])
    gold = y > 0
    return float(max(THRESHOLD_GRID, key=lambda t: (f1(gold, oof >= t)[2], -abs(t - 0.5))))


def fit_label(label: str, d: LabelData, featurize: Featurizer, tune: bool
              ) -> tuple[LabelModel, float]:
    feats, lex = featurize(d.texts)
    j = LABEL_NAMES.index(label)
    model = LabelModel(feats, d.y, lex[:, j], C[label])
    # Thresholds are tuned only where the training source is labeled for the moment itself;
    # GoEmotions proxies are not, so their F1-best cut would not transfer: those keep 0.5.
    threshold = pick_threshold(feats, d.y, lex[:, j], C[label]) if tune else 0.5
    return model, threshold


def train(data: dict[str, LabelData], featurize: Featurizer, verbose: bool = True) -> Detector:
    """Fit every label and return a runtime Detector holding the weights."""
    models, thresholds = {}, []
    for label in LABEL_NAMES:
        start = time.perf_counter()
        models[label], t = fit_label(label, data[label], featurize,
                                     tune=label in SINGLE_LABEL_FILES)
        thresholds.append(t)
        if verbose:
            d = data[label]
            print(f"  {label:16s} {len(d.texts):6d} posts  {int(d.y.sum()):5d} positive  "
                  f"threshold {t:.2f}  {time.perf_counter() - start:5.1f}s", file=sys.stderr)
    names = sorted(set().union(*(m.vocab for m in models.values())))
    index = {f: i + 1 for i, f in enumerate(names)}
    weights = np.zeros((len(names) + 1, len(LABEL_NAMES)), dtype=np.float32)
    for j, label in enumerate(LABEL_NAMES):
        m = models[label]
        weights[0, j] = m.theta[0]
        weights[[index[f] for f in m.names], j] = m.theta[1:]
    meta = {"labels": list(LABEL_NAMES), "features": len(names), "min_df": MIN_DF, "C": C,
            "thresholds": dict(zip(LABEL_NAMES, thresholds)),
            "sources": {**SINGLE_LABEL_FILES, **{k: f"goemotions/train.tsv: {sorted(v)}"
                                                  for k, v in GOEMOTION_PROXIES.items()}}}
    return Detector.from_arrays(names, weights, np.array(thresholds), meta)


def save(det: Detector, path: Path = MODEL_PATH) -> None:
    np.savez_compressed(
        path,
        vocab=np.frombuffer("\n".join(det.names[1:]).encode("utf-8"), dtype=np.uint8),
        weights=det.weights.astype(np.float32),
        thresholds=det.thresholds.astype(np.float32),
        meta=np.frombuffer(json.dumps(det.meta).encode("utf-8"), dtype=np.uint8),
    )


def folds(n: int, k: int, seed: int = SEED) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def cross_validate(label: str, data: dict[str, LabelData], featurize: Featurizer, k: int = 5
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold predictions on one single-label file (seeded folds): each fold is scored by a
    model, vocabulary and threshold fitted without it. Returns (gold, predicted) as bools.
    Extra negatives appended to a source (purchase) are always training-only."""
    d = data[label]
    n_eval = d.n_eval or len(d.texts)
    feats, lex = featurize(d.texts)
    j = LABEL_NAMES.index(label)
    predicted = np.zeros(n_eval, dtype=bool)
    for held in folds(n_eval, k):
        keep = np.ones(len(d.texts), dtype=bool)
        keep[held] = False
        sub = LabelData([t for t, m in zip(d.texts, keep) if m], d.y[keep])
        model, t = fit_label(label, sub, featurize, tune=True)
        predicted[held] = model.scores([feats[i] for i in held], lex[held, j]) >= t
    return d.y[:n_eval] > 0, predicted


def f1(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = float((gold & pred).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / gold.sum() if gold.sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cv", type=int, default=0, help="also run k-fold CV on the "
                        "single-label files and print P/R/F1")
    args = parser.parse_args()
    featurize = Featurizer()
    data = load_all()
    print("training on all sources", file=sys.stderr)
    det = train(data, featurize)
    save(det, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, "
          f"{det.meta['features']} features)", file=sys.stderr)
    if args.cv:
        for label in SINGLE_LABEL_FILES:
            p, r, f = f1(*cross_validate(label, data, featurize, args.cv))
            print(f"{args.cv}-fold CV {label:16s} P={p:.3f} R={r:.3f} F1={f:.3f}")


if __name__ == "__main__":
    main()
