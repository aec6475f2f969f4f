"""Instagram "Download your information" in JSON: messages from others and followers.

Your own comments and likes are in the export too; they are what you did, not what others did,
so they are counted and skipped.
"""
from __future__ import annotations

from sociable.connectors.base import Received, raw
from sociable.connectors.exports import ExportContents
from sociable.connectors.exports.meta_json import load, messages
from sociable.connectors.text import when
from sociable.domain.interactions import Interaction, Kind


def recognises(archive) -> bool:
    return any(n.startswith(("your_instagram_activity/", "connections/followers_and_following/"))
               for n in archive.names)


def _owner(archive) -> str:
    for name in archive.matching("personal_information", ".json"):
        data = load(archive, name)
        for profile in data.get("profile_user", []):
            smd = profile.get("string_map_data", {})
            for key in ("Name", "Username"):
                if smd.get(key, {}).get("value"):
                    return smd[key]["value"]
    return ""


def read(archive) -> ExportContents:
    owner = _owner(archive)
    contents = ExportContents("instagram", owner)
    contents.items += messages(archive, "instagram", owner, "your_instagram_activity/",
                               contents.skipped)
    for name in archive.matching("followers_and_following/followers", ".json"):
        data = load(archive, name)
        entries = data if isinstance(data, list) else data.get("relationships_followers", [])
        for entry in entries:
            for s in entry.get("string_list_data", []):
                handle = s.get("value") or entry.get("title") or s.get("href", "").rsplit("/", 1)[-1]
                contents.items.append(Received(Interaction(
                    platform="instagram", external_id=f"dyi:follow:{handle}", kind=Kind.FOLLOW,
                    author_handle=handle, author_name=handle,
                    created_at=when(s["timestamp"]), url=s.get("href")), raw(entry)))
    for name in archive.matching("your_instagram_activity/", ".json"):
        if "/comments/" in name or "/likes/" in name:
            data = load(archive, name)
            n = len(data) if isinstance(data, list) else sum(
                len(v) for v in data.values() if isinstance(v, list))
            key = "your comments" if "/comments/" in name else "your likes"
            contents.skipped[key] = contents.skipped.get(key, 0) + n
    return contents
