"""Platform-shaped ids and links for the demo's posts and interactions.

Each platform keeps a sequence number, so ids are unique per platform by construction and rise
with time like the real ones (Mastodon's are snowflakes, Bluesky's are TIDs in AT URIs).
"""
from __future__ import annotations

import random

_B32 = "234567abcdefghijklmnopqrstuvwxyz"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

STORE_FB_PAGE = "104857203561234"
STORE_BSKY_DID = "did:plc:q3brennan7daughters2jwl"

# Kinds that carry a link to the author's own post or comment.
_LINKED = frozenset({"comment", "reply", "mention", "review"})


def tid(us: int, clock: int) -> str:
    """Bluesky record key: 64-bit (microseconds << 10 | clock) in sortable base32."""
    n = (us << 10) | (clock & 1023)
    return "".join(_B32[(n >> (60 - 5 * i)) & 31] for i in range(13))


def shortcode(rng: random.Random) -> str:
    return "".join(rng.choice(_B64) for _ in range(11))


class Ids:
    def __init__(self) -> None:
        self.seq = {"instagram": 0, "facebook": 0, "mastodon": 0, "bluesky": 0}

    def post(self, rng: random.Random, platform: str, ts: int, store_handle: str
             ) -> tuple[str, str]:
        """A store post's (id, url)."""
        n = self._next(platform)
        if platform == "instagram":
            return str(3_100_000_000_000_000_000 + n * 1_000_003 + ts % 1_000_003), \
                f"https://www.instagram.com/p/{shortcode(rng)}/"
        if platform == "facebook":
            num = str(122_100_000_000_000_000 + n * 10_007 + ts % 10_007)
            return f"{STORE_FB_PAGE}_{num}", \
                f"https://www.facebook.com/{store_handle}/posts/{num}"
        if platform == "mastodon":
            sid = self._snowflake(ts, n)
            user = store_handle.lstrip("@").split("@")[0]
            return sid, f"https://mastodon.social/@{user}/{sid}"
        key = tid(ts * 1_000_000 + n % 1_000_000, n)
        return f"at://{STORE_BSKY_DID}/app.bsky.feed.post/{key}", \
            f"https://bsky.app/profile/{store_handle}/post/{key}"

    def interaction(self, platform: str, kind: str, ts: int, handle: str, uid: str,
                    post: tuple[str, str] | None, store_handle: str) -> tuple[str, str | None]:
        """An interaction's (id, url); url is None where the platform has no page for it."""
        n = self._next(platform)
        if platform == "instagram":
            iid = str(17_840_000_000_000_000 + n * 7_919 + ts % 7_919)
            if kind in ("comment", "reply") and post:
                return iid, f"{post[1]}c/{iid}/"
            if kind == "mention":
                return iid, f"https://www.instagram.com/{handle}/"
            return iid, None
        if platform == "facebook":
            num = str(1_200_000_000_000_000 + n * 7_919 + ts % 7_919)
            if kind == "review":
                return f"{STORE_FB_PAGE}_r{num}", f"https://www.facebook.com/{store_handle}/reviews"
            if kind == "message":
                return f"m_{num}", None
            if kind == "mention":
                owner = uid if handle.isdigit() else handle
                return f"{uid}_{num}", f"https://www.facebook.com/{owner}/posts/{num}"
            if post:
                postnum = post[0].split("_", 1)[1]
                fid = f"{postnum}_{num}"
                url = f"{post[1]}?comment_id={num}" if kind in _LINKED else None
                return fid, url
            return f"{STORE_FB_PAGE}_{kind[0]}{num}", None
        if platform == "mastodon":
            sid = self._snowflake(ts, n)
            if kind in _LINKED or kind == "message":
                user, _, instance = handle.lstrip("@").partition("@")
                return sid, f"https://{instance}/@{user}/{sid}"
            return sid, None
        key = tid(ts * 1_000_000 + n % 1_000_000, n)
        if kind == "message":
            return key, None
        collection = {"like": "app.bsky.feed.like", "share": "app.bsky.feed.repost",
                      "follow": "app.bsky.graph.follow"}.get(kind, "app.bsky.feed.post")
        url = (f"https://bsky.app/profile/{handle}/post/{key}"
               if collection == "app.bsky.feed.post" else None)
        return f"at://{uid}/{collection}/{key}", url

    def _next(self, platform: str) -> int:
        self.seq[platform] += 1
        return self.seq[platform]

    @staticmethod
    def _snowflake(ts: int, n: int) -> str:
        return str(((ts * 1000 + n % 1000) << 16) | (n & 0xFFFF))
