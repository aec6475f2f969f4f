"""The X (Twitter) archive: `data/*.js` files, each `window.YTD.<name>.partN = [ ... ]`.

They are read as data: the assignment before the first `[` is dropped and the rest parsed as
JSON; nothing is evaluated. Multi-part files (`tweets-part1.js`) are read in order. Messages
others sent you become interactions; your own tweets and likes are counted and skipped (they
are what you did), and a tweet of yours that replies to someone is counted as a conversation.
"""
from __future__ import annotations

import json
import re

from sociable.connectors.base import Received, raw
from sociable.connectors.exports import ExportContents, ExportError
from sociable.connectors.text import when
from sociable.domain.interactions import Interaction, Kind

_ASSIGN = re.compile(rb"^\s*window\.YTD\.[\w.]+\s*=\s*")


def recognises(archive) -> bool:
    return any(re.search(r"(^|/)data/(tweets?|like|direct-messages|account)(-part\d+)?\.js$", n)
               for n in archive.names)


def parse_js(name: str, data: bytes) -> list:
    """`window.YTD.tweets.part0 = [...]` -> the list, without evaluating anything."""
    body = _ASSIGN.sub(b"", data.lstrip(b"\xef\xbb\xbf"), count=1)
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise ExportError(f"{name}: not an X archive data file ({exc})") from None
    if not isinstance(value, list):
        raise ExportError(f"{name}: expected a list of records")
    return value


def _files(archive, *stems: str) -> list[str]:
    def order(name: str) -> int:
        m = re.search(r"-part(\d+)\.js$", name)
        return int(m.group(1)) if m else 0

    pattern = re.compile(rf"(^|/)data/({'|'.join(stems)})(-part\d+)?\.js$")
    return sorted((n for n in archive.names if pattern.search(n)), key=order)


def read(archive) -> ExportContents:
    owner_id, owner = "", ""
    for name in _files(archive, "account"):
        for record in parse_js(name, archive.read(name)):
            acc = record.get("account", {})
            owner_id, owner = str(acc.get("accountId", "")), acc.get("username", "")
    contents = ExportContents("x", owner)
    for name in _files(archive, "tweets", "tweet"):
        for record in parse_js(name, archive.read(name)):
            tweet = record.get("tweet", record)
            key = "your replies" if tweet.get("in_reply_to_screen_name") else "your tweets"
            contents.skipped[key] = contents.skipped.get(key, 0) + 1
    for name in _files(archive, "like"):
        contents.skipped["your likes"] = contents.skipped.get("your likes", 0) + len(
            parse_js(name, archive.read(name)))
    for name in _files(archive, "direct-messages", "direct-messages-group"):
        for record in parse_js(name, archive.read(name)):
            conversation = record.get("dmConversation", {})
            for event in conversation.get("messages", []):
                m = event.get("messageCreate")
                if not m:
                    continue
                if str(m.get("senderId")) == owner_id:
                    contents.skipped["your messages"] = contents.skipped.get("your messages", 0) + 1
                    continue
                contents.items.append(Received(Interaction(
                    platform="x", external_id=str(m["id"]), kind=Kind.MESSAGE,
                    author_handle=str(m["senderId"]), author_id=str(m["senderId"]),
                    text=m.get("text", ""),
                    created_at=when(m["createdAt"]),
                    in_reply_to=conversation.get("conversationId")), raw(m)))
    return contents
