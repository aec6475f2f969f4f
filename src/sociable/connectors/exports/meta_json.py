"""What Instagram's and Facebook's JSON exports share: mis-encoded text and message threads."""
from __future__ import annotations

import hashlib
import json

from sociable.connectors.base import Received, raw
from sociable.connectors.text import when
from sociable.domain.interactions import Interaction, Kind


def fix_text(value):
    """Undo Meta's export encoding: UTF-8 bytes written as one \\u00XX escape per byte.

    `"Caf\\u00c3\\u00a9 \\u00f0\\u009f\\u0092\\u008d"` is read by JSON as `CafÃ© ð...`; encoding
    that back to Latin-1 gives the UTF-8 bytes, which decode to `Café 💍`. Text that is not
    mis-encoded (it has characters beyond Latin-1, or is not valid UTF-8 once re-encoded) is
    returned as it is.
    """
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [fix_text(v) for v in value]
    if isinstance(value, dict):
        return {fix_text(k): fix_text(v) for k, v in value.items()}
    return value


def load(archive, name: str):
    try:
        return fix_text(json.loads(archive.read(name)))
    except ValueError as exc:
        from sociable.connectors.exports import ExportError

        raise ExportError(f"{name}: not JSON ({exc})") from None


def messages(archive, platform: str, owner: str, prefix: str, skipped: dict) -> list[Received]:
    """Messages others sent, from every `messages/inbox/<thread>/message_N.json`."""
    out = []
    for name in archive.matching(prefix, "/messages/", "message_"):
        if not name.endswith(".json"):
            continue
        data = load(archive, name)
        thread = data.get("thread_path") or name.rsplit("/", 2)[-2]
        for m in data.get("messages", []):
            sender = m.get("sender_name") or ""
            if sender == owner:
                skipped["your messages"] = skipped.get("your messages", 0) + 1
                continue
            text = m.get("content") or ""
            digest = hashlib.sha1(f"{sender}\n{text}".encode()).hexdigest()[:10]
            out.append(Received(Interaction(
                platform=platform, external_id=f"dyi:{thread}:{m['timestamp_ms']}:{digest}",
                kind=Kind.MESSAGE, author_handle=sender, author_name=sender, text=text,
                created_at=when(m["timestamp_ms"] / 1000)), raw({"thread": thread, **m})))
    return out
