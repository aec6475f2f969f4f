"""`make eval`: measure moment detection on ../shared/datasets and write docs/quality.md.

- moments-dev.jsonl (all six labels) is scored with the shipped model: no post of it was
  trained on.
- complaints-dev / questions-dev / purchase-dev are training sources, so they are scored by
  5-fold cross-validation with folds fixed by seed (scripts/train_detector.py): each fold is
  predicted by a model, vocabulary and threshold fitted without it.
- Two baselines on every file: a plain keyword list and VADER sentiment (praise if compound
  >= 0.05, complaint if <= -0.05).

Needs the `train` extra (scipy) for the cross-validation, and vadersentiment (dev extra).
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import train_detector as td  # noqa: E402
from sociable.detect import Report, detect, evaluate  # noqa: E402
from sociable.detect.evaluate import LabelScore, load_labeled, score  # noqa: E402
from sociable.domain.moments import LABELS  # noqa: E402

DATA = td.DATA
OUT = ROOT / "docs" / "quality.md"
FILES = [("moments-dev.jsonl", None), ("complaints-dev.jsonl", "complaint"),
         ("questions-dev.jsonl", "question"), ("purchase-dev.jsonl", "purchase_intent")]
TARGETS = {("moments-dev.jsonl", "macro"): 0.80, ("complaints-dev.jsonl", "complaint"): 0.85,
           ("questions-dev.jsonl", "question"): 0.85}

# A plain keyword list, the obvious first attempt: any keyword as a substring fires the label.
KEYWORDS = {
    "hardship": ["passed away", "died", "hospital", "sick", "lost my", "power outage", "flood",
                 "fire", "funeral", "cancer", "sad"],
    "celebration": ["engaged", "wedding", "married", "anniversary", "birthday", "congrat",
                    "baby", "graduat", "celebrat"],
    "complaint": ["worst", "terrible", "awful", "disappointed", "refund", "broken", "never",
                  "still waiting", "rude", "bad"],
    "question": ["?"],
    "purchase_intent": ["buy", "looking for", "want", "need a", "purchase", "order"],
    "praise": ["thank", "love", "best", "amazing", "great", "awesome", "excellent"],
}


def keyword_baseline(texts: Sequence[str]) -> list[set[str]]:
    out = []
    for text in texts:
        low = text.lower()
        out.append({label for label, words in KEYWORDS.items() if any(w in low for w in words)})
    return out


def vader_baseline(texts: Sequence[str]) -> list[set[str]]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    out = []
    for text in texts:
        c = analyzer.polarity_scores(text)["compound"]
        out.append({"praise"} if c >= 0.05 else {"complaint"} if c <= -0.05 else set())
    return out


def detector(texts: Sequence[str]) -> list[set[str]]:
    return [{str(x) for x in d.labels} for d in detect(texts)]


def cv_report(name: str, label: str, k: int = 5) -> Report:
    data = td.load_all()
    start = time.perf_counter()
    gold, pred = td.cross_validate(label, data, td.Featurizer(), k)
    seconds = time.perf_counter() - start
    s = LabelScore(label, tp=int((gold & pred).sum()), fp=int((~gold & pred).sum()),
                   fn=int((gold & ~pred).sum()))
    return Report(str(DATA / name), len(gold), seconds, [s])


def machine() -> str:
    cpu = platform.processor() or "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def table(rows: list[tuple[str, Report]], labels: list[str]) -> list[str]:
    lines = ["| method | label | precision | recall | F1 |", "|---|---|---:|---:|---:|"]
    for method, report in rows:
        by = {s.label: s for s in report.labels}
        for label in labels:
            s = by.get(label, LabelScore(label))
            lines.append(f"| {method} | {label} | {s.precision:.3f} | {s.recall:.3f} | "
                         f"{s.f1:.3f} |")
        if len(labels) > 1:
            lines.append(f"| {method} | **macro-F1** | | | **{report.macro_f1:.3f}** |")
    return lines


def main() -> None:
    sections, summary = [], []
    for name, only in FILES:
        path = DATA / name
        texts, gold = load_labeled(path)
        labels = [only] if only else [str(x) for x in LABELS]
        timed = evaluate(path, labels)  # shipped model: used for posts/s on every file
        ours = timed if only is None else cv_report(name, only)
        how = ("shipped model (never trained on this file)" if only is None else
               f"5-fold cross-validation, folds fixed by seed {td.SEED}")
        rows = [("sociable", ours),
                ("keywords", Report(name, len(texts), 0, score(texts, gold,
                                                               keyword_baseline(texts), labels))),
                ("VADER", Report(name, len(texts), 0, score(texts, gold, vader_baseline(texts),
                                                            labels)))]
        key = labels[0] if only else "macro"
        ours_f1 = ours.labels[0].f1 if only else ours.macro_f1
        best_base = max((r.labels[0].f1 if only else r.macro_f1) for _, r in rows[1:])
        target = TARGETS.get((name, key))
        met = "" if target is None else (" (met)" if ours_f1 >= target else " (**missed**)")
        summary.append(f"| {name} | {key} | {ours_f1:.3f} | {best_base:.3f} | "
                       f"{ours_f1 - best_base:+.3f} | {'' if target is None else target}{met} "
                       f"| {timed.posts_per_second:,.0f} |")
        sections += [f"### {name} ({len(texts)} posts; {how})", ""]
        sections += table(rows, labels) + [""]
        print(f"{name}: {key} F1 {ours_f1:.3f} (best baseline {best_base:.3f})")
    lines = [
        "# Moment detection quality",
        "",
        f"Generated by `make eval` (`scripts/evaluate.py`) on {dt.date.today().isoformat()}, "
        f"{machine()}. Data: `../shared/datasets` (see its README); labels: docs/moments.md.",
        "",
        "## Summary",
        "",
        "| file | label | sociable F1 | best baseline F1 | margin | target | posts/s |",
        "|---|---|---:|---:|---:|---|---:|",
        *summary,
        "",
        "posts/s: the shipped detector over the whole file, one process, one core, in-memory "
        "scoring only (a 463-post file gives a noisy rate); docs/performance.md has the "
        "100,000-post benchmark.",
        "",
        "## How each figure was made",
        "",
        "- `moments-dev.jsonl` was never trained on. It was looked at during development only "
        "as aggregate error counts per label and per evidence phrase (which lexicon words "
        "fired wrongly), which led to demoting a few generic words; no thresholds were fitted "
        "to it. Treat it as slightly optimistic.",
        "- The three single-label files are training sources, so their figures come from "
        f"5-fold cross-validation (folds fixed by seed {td.SEED}); the threshold is chosen by "
        "an inner cross-validation inside each training fold. Purchase training also uses "
        "4,000 GoEmotions comments as extra negatives; they are never scored.",
        "- Baselines are run on the whole file (they learn nothing). VADER can only say "
        "praise or complaint, so its other labels score 0.",
        "",
        "## Per-label detail",
        "",
        *sections,
        "## Gaps and what would close them",
        "",
        GAPS.strip(),
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


GAPS = """
The targets are macro-F1 >= 0.80 on moments-dev and F1 >= 0.85 for complaint
(complaints-dev) and question (questions-dev). Where the summary says **missed**, the reasons
and the next steps are:

- Hardship, celebration and praise have no training data labeled for them; they learn from
  GoEmotions emotions as proxies (sadness/grief/fear, joy/pride/excitement, gratitude/
  admiration), which fire on feelings rather than on life events or on a business. The
  lexicon carries most of celebration. The fix is a few hundred store-like posts labeled for
  these three moments (the inbox's corrections are exactly that data: export them and retrain).
- Complaint and question are near the ceiling of a bag-of-words model on these tweets
  (published BERT-class models reach the high 0.8s on X-CI). Closing the gap needs a contextual
  encoder; a distilled static embedding (model2vec from all-MiniLM-L6-v2) was tried in
  development and scored *below* word n-grams on complaints (0.68 vs 0.76 F1 alone), so it was
  not shipped. Next candidates: a small ONNX/numpy port of a fine-tuned MiniLM scored only on
  posts the linear model is unsure about, keeping the fast path fast.
- questions-dev labels any information request in general tweets, including rhetorical and
  headline-style "Why ..." posts that the product deliberately does not treat as questions.
"""


if __name__ == "__main__":
    main()
