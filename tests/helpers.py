"""Small builders for test files."""
from __future__ import annotations

import json
from pathlib import Path

PEOPLE_HEADER = "name,email,phone,handles,tier,since,story,notes,tags,birthday,anniversary,related\n"


def write_people(path: Path, rows: list[str]) -> Path:
    path.write_text(PEOPLE_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def act(id: str, kind: str = "comment", handle: str = "someone", name: str = "", text: str = "",
        at: str = "2026-11-23T12:00:00+00:00", platform: str = "instagram", **extra) -> dict:
    record = {"platform": platform, "id": id, "kind": kind, "author_handle": handle,
              "author_name": name, "text": text, "created_at": at, "in_reply_to": None,
              "url": None}
    record.update(extra)
    return record


def write_jsonl(path: Path, records: list[dict | str | bytes]) -> Path:
    with path.open("wb") as fh:
        for r in records:
            if isinstance(r, bytes):
                fh.write(r + b"\n")
            elif isinstance(r, str):
                fh.write(r.encode() + b"\n")
            else:
                fh.write(json.dumps(r).encode() + b"\n")
    return path


BOOK = [
    "Claire Brennan,claire@brennan.example,,instagram:brennanjewelers,vip,1990,Runs the store,,owner,,,",
    "Walter Brennan,walter@brennan.example,,,vip,1962,Founded the store,,,,,child:Claire Brennan",
    'Lenny B,lenny@example.com,555-010-2000,instagram:lenny.b;mastodon:@lennyb@mastodon.social,vip,1998,"Walter\'s fishing buddy",,,1950-03-02,,family_friend:Walter Brennan',
    "Ana Ruiz,ana@example.com,+1 (555) 010-3000,,regular,2015,Buys gifts for her sisters,,,,,",
    "Katherine O'Neil,kathy@example.com,,,regular,2010,Loves pearls,,pearls,,,",
    "Sam Lee,sam1@example.com,,,new,2024,,,,,,",
    "Sam Lee,sam2@example.com,,,new,2025,,,,,,",
]
