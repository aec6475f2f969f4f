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

import sys
import time
from collections.abc import Sequence
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import train_detector as td  # noqa: E402
from perfdoc import machine  # noqa: E402
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
        "Generated by `make eval` (`scripts/evaluate.py`) on "
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
        "- `moments-dev.jsonl` is never trained on. The training sources overlap it (X-CI, "
        "Tweet Acts, iPhone X and GoEmotions each contributed posts: 77, 10, 29 and 115 of its "
        "463 posts also occur in complaints-dev, questions-dev, purchase-dev and GoEmotions), so "
        "`scripts/train_detector.py` drops every training post whose normalized text occurs in "
        "moments-dev. Models before 2026-11-23 did not, and their 0.597 was inflated by it.",
        "- No threshold or weight was fitted to moments-dev. It was scored three times during "
        "this round of development (the last three rows of the ablation table below) and "
        "looked at only as aggregate error counts per label and per source. The shipped "
        "configuration is the last of those; each step was chosen on principle (seed posts "
        "are the only data labeled for the moments themselves, so they get more weight and "
        "set the proxy thresholds), but it also scored best of the three, so treat its "
        "figure as slightly optimistic.",
        "- The three single-label files are training sources, so their figures come from "
        f"5-fold cross-validation (folds fixed by seed {td.SEED}); the threshold is chosen by "
        "an inner cross-validation inside each training fold. Other sources added as "
        "negatives (GoEmotions comments, other files) and the seed posts are training-only "
        "and never scored; rows that also occur in moments-dev are scored but never trained on.",
        "- Hardship, celebration and praise thresholds are the F1-best cut on the out-of-fold "
        "scores of the hand-written seed posts (scripts/detect_seeds.tsv), the only training "
        "data labeled for those moments themselves.",
        "- Baselines are run on the whole file (they learn nothing). VADER can only say "
        "praise or complaint, so its other labels score 0.",
        "",
        "## Per-label detail",
        "",
        *sections,
        "## Ablations (development runs, moments-dev macro-F1)",
        "",
        ABLATIONS.strip(),
        "",
        "## Gaps and what would close them",
        "",
        GAPS.strip(),
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


ABLATIONS = """
Recorded by hand from development runs on 2026-11-23 (not regenerated by this script). All
rows train without any moments-dev post (decontaminated); the first row is the colleague's
shipped model, trained with the overlap.

| configuration | hardship | celebration | complaint | question | purchase | praise | macro |
|---|---:|---:|---:|---:|---:|---:|---:|
| previous model (trained on 218 posts that are also in moments-dev) | 0.579 | 0.647 | 0.596 | 0.676 | 0.574 | 0.512 | 0.597 |
| decontaminated + refined GoEmotions mapping + cross-source negatives + seeds (weight 4), sparse only | 0.584 | 0.717 | 0.564 | 0.676 | 0.566 | 0.463 | 0.595 |
| + dense word vectors (words.npz, 64 dims) | 0.569 | 0.754 | 0.575 | 0.708 | 0.564 | 0.455 | 0.604 |
| + seed weight 10, proxy-label thresholds from seed out-of-fold scores (shipped) | 0.611 | 0.754 | 0.567 | 0.713 | 0.561 | 0.460 | 0.611 |
"""


GAPS = """
The targets are macro-F1 >= 0.80 on moments-dev and F1 >= 0.85 for complaint
(complaints-dev) and question (questions-dev). They are **missed** by a wide margin; honest
figures (no test-set overlap in training) are lower than the inflated ones published before.
What limits each label, measured as aggregate error counts per source on moments-dev:

- Hardship: most misses are crisis tweets (CrisisLex) from people affected by a disaster;
  no training source covers them (GoEmotions is Reddit feelings). Needs a few hundred labeled
  crisis/life-event posts, e.g. exported inbox corrections.
- Praise (the weakest label): GoEmotions gratitude/admiration fires on thanks to anyone
  (first responders, other commenters), not to a business; about a third of its false
  positives are crisis tweets thanking rescuers. Needs praise-of-a-business data.
- Complaint: false positives are mostly tweets to companies that are not complaints (same
  source, X-CI); bag-of-words plus static vectors cannot read that intent. Published
  BERT-class models reach the high 0.8s on X-CI; a fine-tuned MiniLM cascade is the next step,
  but on this shared 2-core machine MiniLM encodes about 30 tweets/s, too slow to embed the
  50k training posts within this round, so the optional `ml` extra was not built.
- Purchase intent: recall ~0.47; the only labeled source is about one phone, so wanting other
  things (GoEmotions, tweets to companies) is missed.
- Question: questions-dev labels any information request in general tweets, including
  rhetorical and headline-style posts that the product deliberately does not treat as
  questions, which caps agreement.
"""


if __name__ == "__main__":
    main()
