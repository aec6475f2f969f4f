"""Facebook "Download your information" in JSON: messages from others and followers."""
from __future__ import annotations

from sociable.connectors.base import Received, raw
from sociable.connectors.exports import ExportContents
from sociable.connectors.exports.meta_json import load, messages
from sociable.connectors.text import when
from sociable.domain.interactions import Interaction, Kind


def recognises(archive) -> bool:
    return any(n.startswith(("your_facebook_activity/", "connections/followers/",
                             "personal_information/profile_information/"))
               for n in archive.names)


def _owner(archive) -> str:
    for name in archive.matching("profile_information", ".json"):
        profile = load(archive, name).get("profile_v2", {})
        full = (profile.get("name") or {}).get("full_name")
        if full:
            return full
    return ""


def read(archive) -> ExportContents:
    owner = _owner(archive)
    contents = ExportContents("facebook", owner)
    contents.items += messages(archive, "facebook", owner, "your_facebook_activity/",
                               contents.skipped)
    for name in archive.matching("connections/followers/", ".json"):
        data = load(archive, name)
        entries = data if isinstance(data, list) else next(
            (v for v in data.values() if isinstance(v, list)), [])
        for entry in entries:
            who = entry.get("name") or entry.get("title") or ""
            stamp = entry.get("timestamp") or next(
                (s.get("timestamp") for s in entry.get("string_list_data", [])), None)
            if who and stamp:
                contents.items.append(Received(Interaction(
                    platform="facebook", external_id=f"dyi:follow:{who}", kind=Kind.FOLLOW,
                    author_handle=who, author_name=who, created_at=when(stamp)), raw(entry)))
    for name in archive.matching("your_facebook_activity/comments_and_reactions/", ".json"):
        data = load(archive, name)
        n = sum(len(v) for v in data.values() if isinstance(v, list)) \
            if isinstance(data, dict) else len(data)
        contents.skipped["your comments and reactions"] = \
            contents.skipped.get("your comments and reactions", 0) + n
    return contents
