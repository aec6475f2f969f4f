"""Build src/sociable/detect/model.npz from the public datasets in ../shared/datasets.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_detector.py            # writes the shipped model
    .venv/bin/python scripts/train_detector.py --cv 5     # also prints 5-fold CV figures

One logistic regression per label over the runtime's sparse features (words, word pairs, how the
post starts) plus, when src/sociable/detect/words.npz exists, a dense post vector averaged from a
static word table distilled from all-MiniLM-L6-v2 (scripts/build_detect_embeddings.py). The
hand-written phrase lexicon enters as a fixed offset, so the model learns what the phrases miss
instead of re-learning them. Each label learns from the data that speaks to it:

  complaint        complaints-dev.jsonl (X-CI tweets to companies); negatives: purely positive
                   GoEmotions comments, purchase-dev positives
  question         questions-dev.jsonl (Tweet Acts)
  purchase_intent  purchase-dev.jsonl (iPhone X tweets); negatives: GoEmotions comments
                   without 'desire', complaints-dev tweets
  hardship         GoEmotions train+dev: grief, or sadness/fear/nervousness in a first-person
                   post (the same feelings about someone else are left out as ambiguous);
                   negatives: the rest, purchase-dev, complaints-dev non-complaints
  celebration      GoEmotions: pride, or joy/excitement with a milestone word; negatives: the
                   rest, complaints-dev, purchase-dev
  praise           GoEmotions: gratitude/admiration without anger/annoyance/disapproval/
                   disgust/disappointment; negatives: the rest and every complaints-dev complaint
  all six          scripts/detect_seeds.tsv: a few hundred short posts written for this project,
                   labeled for all six moments, weighted SEED_WEIGHT

Decontamination: any post whose normalized text also occurs in moments-dev.jsonl (the test
set) is never trained on (the sources overlap: X-CI, Tweet Acts, iPhone X and GoEmotions all
contributed posts to it). moments-dev is read only for that list of texts.

Needs numpy and scipy only (scipy comes with the `train` extra); deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sociable.detect import dense  # noqa: E402
from sociable.detect.model import LABEL_NAMES, MODEL_PATH, Detector  # noqa: E402
from sociable.detect.text import clean, normalize_key, tokenize  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets"
TEST_FILE = DATA / "moments-dev.jsonl"
SEEDS = ROOT / "scripts" / "detect_seeds.tsv"
SEED = 13
MIN_DF = 2
SEED_WEIGHT = 10.0
PURCHASE_NEGATIVES = 4000
COMPLAINT_NEGATIVES = 3000
THRESHOLD_GRID = np.round(np.arange(0.2, 0.81, 0.05), 2)
NEGATIVE_EMOTIONS = {"anger", "annoyance", "disapproval", "disgust", "disappointment"}
POSITIVE_EMOTIONS = {"joy", "gratitude", "admiration", "love", "amusement", "excitement",
                     "pride", "optimism", "relief", "caring", "approval"}
FIRST_PERSON = frozenset("i i'm im my me we we're our us myself mine i've ive i'll".split())
MILESTONE = re.compile(
    r"birthday|bday|wedding|married|marry|engage|anniversar|graduat|baby|born|pregnan|promot"
    r"|new job|got the job|hired|retire|new house|new home|first home|bought a house|proposed"
    r"|propos|accepted|passed my|cancer free|remission|congrat|milestone|celebrat")
SINGLE_LABEL_FILES = {
    "complaint": "complaints-dev.jsonl",
    "question": "questions-dev.jsonl",
    "purchase_intent": "purchase-dev.jsonl",
}
# L2 strength per label (inverse: larger C = weaker prior), chosen by CV on the training sources.
C = {"hardship": 0.5, "celebration": 0.2, "complaint": 1.0, "question": 1.0,
     "purchase_intent": 0.5, "praise": 0.2}


@dataclass
class LabelData:
    texts: list[str]
    y: np.ndarray
    w: np.ndarray  # sample weight (seeds count more)
    n_eval: int | None = None  # leading rows that come from the evaluated file itself
    trainable: np.ndarray | None = None  # False: text also in the test set, never trained on

    def subset(self, mask: np.ndarray) -> LabelData:
        return LabelData([t for t, m in zip(self.texts, mask) if m], self.y[mask], self.w[mask])


def test_keys() -> frozenset[str]:
    """Normalized texts of moments-dev.jsonl: training must not see them."""
    if not TEST_FILE.exists():
        return frozenset()
    with open(TEST_FILE, encoding="utf-8") as f:
        return frozenset(normalize_key(json.loads(line)["text"]) for line in f if line.strip())


def load_jsonl(path: Path, label: str) -> tuple[list[str], np.ndarray]:
    texts, y = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts.append(clean(record["text"]))
            y.append(label in record["labels"])
    return texts, np.array(y, dtype=np.float64)


def load_goemotions(splits: tuple[str, ...] = ("train", "dev")
                    ) -> tuple[list[str], list[set[str]]]:
    names = (DATA / "goemotions" / "labels.txt").read_text().split()
    texts, emotions = [], []
    for split in splits:
        with open(DATA / "goemotions" / f"{split}.tsv", encoding="utf-8") as f:
            for line in f:
                text, ids, _ = line.rstrip("\n").split("\t")
                texts.append(clean(text))
                emotions.append({names[int(i)] for i in ids.split(",")})
    return texts, emotions


def load_seeds(path: Path = SEEDS) -> tuple[list[str], list[set[str]]]:
    """scripts/detect_seeds.tsv: `labels<TAB>text`, labels comma-separated or '-' for none."""
    texts, labels = [], []
    if not path.exists():
        return texts, labels
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tags, text = line.split("\t", 1)
        found = set() if tags.strip() == "-" else {t.strip() for t in tags.split(",")}
        unknown = found - set(LABEL_NAMES)
        if unknown:
            raise ValueError(f"{path}: unknown label {unknown} in {line!r}")
        texts.append(clean(text))
        labels.append(found)
    return texts, labels


def goemotion_targets(texts: list[str], emotions: list[set[str]]) -> dict[str, np.ndarray]:
    """Per label: 1 positive, 0 negative, nan = ambiguous (left out)."""
    out = {label: np.zeros(len(texts)) for label in ("hardship", "celebration", "praise")}
    for i, (t, e) in enumerate(zip(texts, emotions)):
        toks = tokenize(t)
        first = not FIRST_PERSON.isdisjoint(toks)
        if "grief" in e or (e & {"sadness", "fear", "nervousness"} and first):
            out["hardship"][i] = 1
        elif e & {"sadness", "fear", "nervousness", "remorse"}:
            out["hardship"][i] = np.nan
        milestone = MILESTONE.search(t.lower()) is not None
        if "pride" in e or (e & {"joy", "excitement"} and milestone):
            out["celebration"][i] = 1
        if e & {"gratitude", "admiration"} and not e & NEGATIVE_EMOTIONS:
            out["praise"][i] = 1
    return out


def training_texts() -> list[list[str]]:
    """Every training text (for vocabularies built outside this script)."""
    data = load_all()
    return [d.texts for d in data.values()]


def _pack(parts: list[tuple[list[str], np.ndarray, float]], keys: frozenset[str],
          n_eval: int | None = None) -> LabelData:
    """Concatenate (texts, y, weight) parts; drop nan targets and test-set texts (except in the
    first `n_eval` rows, which stay for cross-validated scoring but are marked untrainable)."""
    texts, ys, ws, ok = [], [], [], []
    row = 0
    for part_texts, y, weight in parts:
        for t, v in zip(part_texts, y):
            in_test = normalize_key(t) in keys
            evaluated = n_eval is not None and row < n_eval
            row += 1
            if np.isnan(v) or (in_test and not evaluated):
                continue
            texts.append(t)
            ys.append(v)
            ws.append(weight)
            ok.append(not in_test)
    return LabelData(texts, np.array(ys), np.array(ws), n_eval, np.array(ok, dtype=bool))


def load_all() -> dict[str, LabelData]:
    keys = test_keys()
    rng = np.random.default_rng(SEED)
    files = {label: load_jsonl(DATA / name, label) for label, name in SINGLE_LABEL_FILES.items()}
    ge_texts, emotions = load_goemotions()
    ge = goemotion_targets(ge_texts, emotions)
    seed_texts, seed_labels = load_seeds()
    seeds = {label: (seed_texts, np.array([label in s for s in seed_labels], float), SEED_WEIGHT)
             for label in LABEL_NAMES}
    c_texts, c_y = files["complaint"]
    p_texts, p_y = files["purchase_intent"]
    q_texts, q_y = files["question"]

    def sample(pool: list[str], n: int) -> list[str]:
        return [pool[i] for i in rng.choice(len(pool), min(n, len(pool)), replace=False)]

    positive_only = [t for t, e in zip(ge_texts, emotions)
                     if e & POSITIVE_EMOTIONS and not e & (NEGATIVE_EMOTIONS | {"sadness"})]
    chatter = [t for t, e in zip(ge_texts, emotions) if "desire" not in e]
    p_pos = [t for t, v in zip(p_texts, p_y) if v]
    c_neg = [t for t, v in zip(c_texts, c_y) if not v]
    c_pos = [t for t, v in zip(c_texts, c_y) if v]
    zeros = lambda xs: np.zeros(len(xs))  # noqa: E731
    data = {
        "complaint": _pack([(c_texts, c_y, 1.0),
                            (e := sample(positive_only, COMPLAINT_NEGATIVES), zeros(e), 1.0),
                            (p_pos, zeros(p_pos), 1.0), seeds["complaint"]], keys, len(c_texts)),
        "question": _pack([(q_texts, q_y, 1.0), seeds["question"]], keys, len(q_texts)),
        "purchase_intent": _pack([(p_texts, p_y, 1.0),
                                  (e := sample(chatter, PURCHASE_NEGATIVES), zeros(e), 1.0),
                                  (c_texts, zeros(c_texts), 1.0), seeds["purchase_intent"]],
                                 keys, len(p_texts)),
        "hardship": _pack([(ge_texts, ge["hardship"], 1.0), (p_texts, zeros(p_texts), 1.0),
                           (c_neg, zeros(c_neg), 1.0), seeds["hardship"]], keys),
        "celebration": _pack([(ge_texts, ge["celebration"], 1.0), (c_texts, zeros(c_texts), 1.0),
                              (p_texts, zeros(p_texts), 1.0), seeds["celebration"]], keys),
        "praise": _pack([(ge_texts, ge["praise"], 1.0), (c_pos, zeros(c_pos), 1.0),
                         seeds["praise"]], keys),
    }
    return data


def _fit_one(X: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, offset: np.ndarray, c: float
             ) -> np.ndarray:
    """L2 logistic regression with a fixed per-row offset (the lexicon). Returns [bias, w...].
    Positives are up-weighted to balance the classes, since true base rates differ by source."""
    n, d = X.shape
    pos = (w * y).sum()
    neg = (w * (1 - y)).sum()
    total = w.sum()
    sw = w * np.where(y > 0, total / (2 * max(pos, 1e-9)), total / (2 * max(neg, 1e-9)))
    XT = X.T.tocsr()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        b, coef = theta[0], theta[1:]
        z = X @ coef + b + offset
        p = 1 / (1 + np.exp(-z))
        ll = np.logaddexp(0, z) - y * z  # log(1 + e^z) - y z, computed stably
        f = (sw * ll).sum() / n + (coef @ coef) / (2 * c * n)
        g = sw * (p - y) / n
        return f, np.concatenate([[g.sum()], XT @ g + coef / (c * n)])

    res = optimize.minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                            options={"maxiter": 500})
    return res.x


class Featurizer:
    """Runs the runtime's own analysis once per text and caches it."""

    def __init__(self, use_dense: bool = True) -> None:
        self.base = Detector(model_path=None)
        self.vectors = dense.load() if use_dense else None
        self.cache: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}

    @property
    def dims(self) -> int:
        return self.vectors.dims if self.vectors else 0

    def __call__(self, texts: list[str]) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
        feats, lex, vec = [], [], []
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            analyzed = [self.base.analyze(t) for t in missing]
            toks = [tokenize(t) for t in missing]
            dv = (self.vectors.embed(toks) if self.vectors
                  else np.zeros((len(missing), 0), np.float32))
            for t, (f, hits, foreign), v in zip(missing, analyzed, dv):
                self.cache[t] = (sorted(set(f)), self.base.lexicon_logits([hits])[0],
                                 v * (not foreign))
        for t in texts:
            hit = self.cache[t]
            feats.append(hit[0])
            lex.append(hit[1])
            vec.append(hit[2])
        n = len(texts)
        return (feats, np.array(lex).reshape(n, len(LABEL_NAMES)),
                np.array(vec, dtype=np.float64).reshape(n, self.dims))


def _matrix(feats: list[list[str]], vocab: dict[str, int], vec: np.ndarray
            ) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for fs in feats:
        indices.extend(vocab[f] for f in fs if f in vocab)
        indptr.append(len(indices))
    X = sparse.csr_matrix((np.ones(len(indices)), indices, indptr),
                          shape=(len(feats), len(vocab)))
    if vec.shape[1]:
        X = sparse.hstack([X, sparse.csr_matrix(vec)], format="csr")
    return X


class LabelModel:
    """One label's vocabulary (its own training texts, df >= MIN_DF) and weights; the last
    `dims` weights belong to the dense vector."""

    def __init__(self, feats: list[list[str]], vec: np.ndarray, y: np.ndarray, w: np.ndarray,
                 offset: np.ndarray, c: float):
        df: Counter[str] = Counter()
        for fs in feats:
            df.update(fs)
        self.names = sorted(f for f, count in df.items() if count >= MIN_DF)
        self.vocab = {f: i for i, f in enumerate(self.names)}
        self.dims = vec.shape[1]
        self.theta = _fit_one(_matrix(feats, self.vocab, vec), y, w, offset, c)

    def scores(self, feats: list[list[str]], vec: np.ndarray, offset: np.ndarray) -> np.ndarray:
        z = _matrix(feats, self.vocab, vec) @ self.theta[1:] + self.theta[0] + offset
        return 1 / (1 + np.exp(-z))


def pick_threshold(feats, vec, y, w, offset, c: float, k: int = 5,
                   only: np.ndarray | None = None) -> float:
    """The F1-best threshold on out-of-fold scores of the training data itself (of the rows in
    `only`, if given: proxy labels are judged on the seed posts, labeled for the moment itself)."""
    oof = np.zeros(len(y))
    for held in folds(len(y), k, SEED + 1):
        keep = np.ones(len(y), dtype=bool)
        keep[held] = False
        idx = np.flatnonzero(keep)
        m = LabelModel([feats[i] for i in idx], vec[keep], y[keep], w[keep], offset[keep], c)
        oof[held] = m.scores([feats[i] for i in held], vec[held], offset[held])
    gold = y > 0
    if only is not None:
        gold, oof = gold[only], oof[only]
    return float(max(THRESHOLD_GRID, key=lambda t: (f1(gold, oof >= t)[2], -abs(t - 0.5))))


def fit_label(label: str, d: LabelData, featurize: Featurizer, tune: bool
              ) -> tuple[LabelModel, float]:
    feats, lex, vec = featurize(d.texts)
    j = LABEL_NAMES.index(label)
    model = LabelModel(feats, vec, d.y, d.w, lex[:, j], C[label])
    # Thresholds are F1-best on out-of-fold scores where the source is labeled for the moment
    # itself. GoEmotions proxies are not, so their F1-best cut would not transfer: proxy labels
    # take the cut that is F1-best on the out-of-fold scores of the seed posts alone.
    seeds = d.w >= SEED_WEIGHT
    if tune:
        threshold = pick_threshold(feats, vec, d.y, d.w, lex[:, j], C[label])
    elif seeds.sum() >= 50 and d.y[seeds].sum() >= 10:
        threshold = pick_threshold(feats, vec, d.y, d.w, lex[:, j], C[label], only=seeds)
    else:
        threshold = 0.5
    return model, threshold


def train(data: dict[str, LabelData], featurize: Featurizer, verbose: bool = True) -> Detector:
    """Fit every label and return a runtime Detector holding the weights."""
    models, thresholds = {}, []
    for label in LABEL_NAMES:
        start = time.perf_counter()
        d = data[label]
        d = d.subset(d.trainable) if d.trainable is not None else d
        models[label], t = fit_label(label, d, featurize, tune=label in SINGLE_LABEL_FILES)
        thresholds.append(t)
        if verbose:
            print(f"  {label:16s} {len(d.texts):6d} posts  {int(d.y.sum()):5d} positive  "
                  f"threshold {t:.2f}  {time.perf_counter() - start:5.1f}s", file=sys.stderr)
    names = sorted(set().union(*(m.vocab for m in models.values())))
    index = {f: i + 1 for i, f in enumerate(names)}
    weights = np.zeros((len(names) + 1, len(LABEL_NAMES)), dtype=np.float32)
    dense_w = np.zeros((featurize.dims, len(LABEL_NAMES)), dtype=np.float32)
    for j, label in enumerate(LABEL_NAMES):
        m = models[label]
        weights[0, j] = m.theta[0]
        n_sparse = len(m.names)
        weights[[index[f] for f in m.names], j] = m.theta[1:1 + n_sparse]
        if featurize.dims:
            dense_w[:, j] = m.theta[1 + n_sparse:]
    meta = {"labels": list(LABEL_NAMES), "features": len(names), "min_df": MIN_DF, "C": C,
            "dense_dims": featurize.dims, "seed_weight": SEED_WEIGHT,
            "thresholds": dict(zip(LABEL_NAMES, thresholds)),
            "sources": {label: f"{len(data[label].texts)} posts" for label in LABEL_NAMES}}
    return Detector.from_arrays(names, weights, np.array(thresholds), meta,
                                dense_weights=dense_w if featurize.dims else None,
                                vectors=featurize.vectors)


def save(det: Detector, path: Path = MODEL_PATH) -> None:
    arrays = dict(
        vocab=np.frombuffer("\n".join(det.names[1:]).encode("utf-8"), dtype=np.uint8),
        weights=det.weights.astype(np.float32),
        thresholds=det.thresholds.astype(np.float32),
        meta=np.frombuffer(json.dumps(det.meta).encode("utf-8"), dtype=np.uint8),
    )
    if det.dense_weights is not None:
        arrays["dense_weights"] = det.dense_weights.astype(np.float32)
    np.savez_compressed(path, **arrays)


def folds(n: int, k: int, seed: int = SEED) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def cross_validate(label: str, data: dict[str, LabelData], featurize: Featurizer, k: int = 5
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold predictions on one single-label file (seeded folds): each fold is scored by a
    model, vocabulary and threshold fitted without it. Returns (gold, predicted) as bools.
    Extra rows appended to a source (other files, seeds) are always training-only; rows whose
    text is also in moments-dev are scored but never trained on."""
    d = data[label]
    n_eval = d.n_eval or len(d.texts)
    feats, lex, vec = featurize(d.texts)
    j = LABEL_NAMES.index(label)
    trainable = d.trainable if d.trainable is not None else np.ones(len(d.texts), bool)
    predicted = np.zeros(n_eval, dtype=bool)
    for held in folds(n_eval, k):
        keep = trainable.copy()
        keep[held] = False
        model, t = fit_label(label, d.subset(keep), featurize, tune=True)
        predicted[held] = model.scores([feats[i] for i in held], vec[held], lex[held, j]) >= t
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
    parser.add_argument("--no-dense", action="store_true", help="sparse features only")
    args = parser.parse_args()
    featurize = Featurizer(use_dense=not args.no_dense)
    data = load_all()
    print(f"training on all sources (dense dims: {featurize.dims})", file=sys.stderr)
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
