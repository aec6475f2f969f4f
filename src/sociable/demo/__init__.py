"""The seeded demo store: a family jewelry store's book, a year of social activity, its facts.

    from datetime import datetime, timezone
    from pathlib import Path
    from sociable.demo import generate
    files = generate(Path("demo"), seed=7, now=datetime.now(timezone.utc))
    # files.people_csv, files.interactions_jsonl, files.facts_json

`CAST` names the people the demo guarantees (owner, founder, today's key scenarios).
"""
from sociable.demo.generate import DemoFiles, generate
from sociable.demo.world import CAST

__all__ = ["CAST", "DemoFiles", "generate"]
