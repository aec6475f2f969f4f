"""Moment detection speed: posts/s on 100,000 posts on one core, peak RSS, model load time.

    .venv/bin/python benchmarks/bench_detect.py [--posts 100000] [--runs 5]

Posts are resampled (seeded) from the texts in ../shared/datasets, with small edits so they are
not all cache-identical. Each measurement runs in a fresh subprocess pinned to one core, so load
time is a cold load and RSS is the detector's own. Replaces the `## Moment detection` section of
docs/performance.md (other sections belong to other benchmarks).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from perfdoc import machine, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets"
HEADING = "## Moment detection"
TARGETS = {"posts_per_s": 10_000, "rss_mb": 200, "load_s": 1.0}

_CHILD = r"""
import json, random, resource, sys, time
from pathlib import Path
n = int(sys.argv[1]); data = Path(sys.argv[2])
texts = []
for p in sorted(data.glob("*.jsonl")):
    texts += [json.loads(line)["text"] for line in p.open(encoding="utf-8")]
for line in (data / "goemotions" / "dev.tsv").open(encoding="utf-8"):
    texts.append(line.split("\t", 1)[0])
rng = random.Random(7)
suffix = ["", "", " !!", " 😍", " #love", " @shop", " http://t.co/x", " so sad", " ?"]
posts = [rng.choice(texts) + rng.choice(suffix) for _ in range(n)]
t0 = time.perf_counter()
from sociable.detect import get_detector
det = get_detector()
load = time.perf_counter() - t0
t0 = time.perf_counter()
out = det.detect(posts)
secs = time.perf_counter() - t0
assert len(out) == n
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_s": load, "posts_per_s": n / secs, "rss_mb": rss, "seconds": secs}))
"""


def run_once(posts: int) -> dict:
    cmd = [sys.executable, "-c", _CHILD, str(posts), str(DATA)]
    if sys.platform.startswith("linux") and os.path.exists("/usr/bin/taskset"):
        core = str(max(os.sched_getaffinity(0)))
        cmd = ["taskset", "-c", core, *cmd]  # one core, as the target is per core
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    runs = [run_once(args.posts) for _ in range(args.runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("posts_per_s", "rss_mb", "load_s")}
    ok = {
        "posts_per_s": med["posts_per_s"] >= TARGETS["posts_per_s"],
        "rss_mb": med["rss_mb"] <= TARGETS["rss_mb"],
        "load_s": med["load_s"] <= TARGETS["load_s"],
    }
    rows = [
        ("throughput", f"{med['posts_per_s']:,.0f} posts/s", f">= {TARGETS['posts_per_s']:,}",
         ok["posts_per_s"]),
        ("peak RSS (whole process, incl. the posts)", f"{med['rss_mb']:.0f} MB",
         f"<= {TARGETS['rss_mb']} MB", ok["rss_mb"]),
        ("model load (cold, incl. imports)", f"{med['load_s'] * 1000:.0f} ms",
         f"< {TARGETS['load_s']:.0f} s", ok["load_s"]),
    ]
    text = "\n".join([
        f"`benchmarks/bench_detect.py`: {machine()}. "
        f"{args.posts:,} posts resampled from ../shared/datasets, one core (taskset), "
        f"median of {args.runs} runs in fresh processes.",
        "",
        "| measure | median | target | met |",
        "|---|---:|---|---|",
        *[f"| {name} | {value} | {target} | {'yes' if met else '**no**'} |"
          for name, value, target, met in rows],
        "",
        "Runs (posts/s): " + ", ".join(f"{r['posts_per_s']:,.0f}" for r in runs),
        "",
    ])
    print(text)
    if not args.no_write:
        write_section(HEADING.removeprefix("## "), text)


if __name__ == "__main__":
    main()
