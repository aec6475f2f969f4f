"""Bluesky, through the `atproto` SDK: notifications, threads, search listening, Jetstream.

- `app.bsky.notification.listNotifications` (like, repost, follow, mention, reply, quote),
  newest first with a cursor; the checkpoint is the newest `indexedAt` seen.
- Listening: `app.bsky.feed.searchPosts` per keyword (`sort=latest`, `since` = checkpoint).
- Live listening: Jetstream (JSON over a WebSocket), filtered to posts, likes, reposts and
  follows that concern the account or carry one of its keywords; its cursor is `time_us`.
- Replies: an `app.bsky.feed.post` record with `reply.root` and `reply.parent` strong
  references (`getPostThread` supplies them when the stored payload lacks a cid) and a mention
  facet for the person answered.
- The session is reused (`export_session_string`) instead of logging in every sync: Bluesky
  limits `createSession` to 30 per 5 minutes. Rate limits come from `ratelimit-reset`.
"""
from __future__ import annotations

import json
import os
import threading
import time

from sociable.connectors.base import (
    Account,
    Connector,
    Description,
    Page,
    PermanentError,
    RateLimited,
    Received,
    Target,
    TransientError,
    raw,
    register,
)
from sociable.connectors.text import when
from sociable.domain.interactions import Interaction, Kind

HISTORY_PAGES = 10
PAGE = 50
JETSTREAM_URL = "wss://jetstream2.us-east.bsky.network/subscribe"
ENV_JETSTREAM = "SOCIABLE_JETSTREAM_URL"
KINDS = {"like": Kind.LIKE, "repost": Kind.SHARE, "follow": Kind.FOLLOW,
         "mention": Kind.MENTION, "reply": Kind.REPLY, "quote": Kind.MENTION}
COLLECTIONS = ("app.bsky.feed.post", "app.bsky.feed.like", "app.bsky.feed.repost",
               "app.bsky.graph.follow")


def _plain(value):
    """An SDK model (or anything) as plain JSON-able data."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value


def post_url(uri: str, handle: str) -> str:
    rkey = uri.rsplit("/", 1)[-1]
    return f"https://bsky.app/profile/{handle}/post/{rkey}"


def _translate(exc: Exception, account: Account) -> Exception:
    from atproto_client.exceptions import NetworkError, RequestErrorBase

    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if status == 429:
        headers = getattr(response, "headers", {}) or {}
        reset = headers.get("ratelimit-reset") or headers.get("RateLimit-Reset")
        after = max(1.0, float(reset) - time.time()) if reset else 60.0
        return RateLimited("Bluesky rate limit reached", after)
    if isinstance(exc, NetworkError) or (status is not None and status >= 500):
        return TransientError(f"Bluesky did not answer ({status or type(exc).__name__})")
    if status in (400, 401, 403) and "auth" in str(exc).lower() or status == 401:
        return PermanentError("Bluesky refused the app password or session: create a new app "
                              "password and connect again")
    if isinstance(exc, RequestErrorBase):
        return PermanentError(f"Bluesky refused the request ({exc})")
    return exc


@register
class BlueskyConnector(Connector):
    description = Description(
        platform="bluesky", title="Bluesky", auth="app-password",
        ingests=("likes", "reposts", "follows", "mentions", "replies", "quotes",
                 "posts with your keywords (search and Jetstream)"),
        live="stream",
        limits=("Search listening sees what Bluesky's search indexes; Jetstream listening sees "
                "new posts only while the worker runs.",
                "Direct messages are not available to app passwords without the chat scope; "
                "they are not ingested."),
        add_options=("--handle HANDLE", "--app-password PASSWORD", "--service URL"),
    )

    def __init__(self, account: Account, client=None) -> None:
        super().__init__(account)
        self._client = client
        self.secrets_changed: dict | None = None
        self._handles: dict[str, str] = {}

    @property
    def client(self):
        if self._client is None:
            self._client = self._login()
        return self._client

    def _login(self):
        from atproto import Client

        client = Client(base_url=self.account.base_url or "https://bsky.social")
        session = self.account.secrets.get("session")
        try:
            if session:
                try:
                    client.login(session_string=session)
                    return self._keep(client)
                except Exception:  # noqa: BLE001 - an expired session: log in again
                    client = Client(base_url=self.account.base_url or "https://bsky.social")
            client.login(self.account.handle, self.account.secrets.get("app_password"))
        except Exception as exc:  # noqa: BLE001
            raise _translate(exc, self.account) from None
        return self._keep(client)

    def _keep(self, client):
        session = client.export_session_string()
        if session != self.account.secrets.get("session"):
            self.secrets_changed = {**self.account.secrets, "session": session}
        return client

    @staticmethod
    def login(service: str, handle: str, app_password: str) -> dict:
        probe = BlueskyConnector(Account(id=0, platform="bluesky", name="", handle=handle,
                                         base_url=service,
                                         secrets={"app_password": app_password}))
        client = probe.client
        return {"did": client.me.did, "handle": client.me.handle,
                "session": client.export_session_string()}

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (TransientError, PermanentError):
            raise
        except Exception as exc:  # noqa: BLE001
            raise _translate(exc, self.account) from None

    # --- reading ----------------------------------------------------------------------------

    def normalize(self, payload: dict) -> list[Received]:
        """A notification, a post view from search, or a Jetstream event."""
        if "reason" in payload:
            return self._notification(payload)
        if "commit" in payload:
            return self._jetstream(payload)
        if "uri" in payload and "record" in payload:
            return [Received(self._post(payload, Kind.MENTION), raw(payload))]
        return []

    def _notification(self, n: dict) -> list[Received]:
        kind = KINDS.get(n["reason"])
        if kind is None or n["author"]["did"] == self.account.external_id:
            return []
        record = n.get("record") or {}
        reply = record.get("reply") or {}
        author = n["author"]
        text = record.get("text", "") if kind in (Kind.MENTION, Kind.REPLY) else ""
        is_post = n["reason"] in ("mention", "reply", "quote")
        return [Received(Interaction(
            platform="bluesky", external_id=n["uri"], kind=kind, author_handle=author["handle"],
            author_name=author.get("displayName") or "", author_id=author["did"], text=text,
            created_at=when(record.get("createdAt") or n["indexedAt"]),
            in_reply_to=n.get("reasonSubject") or (reply.get("parent") or {}).get("uri"),
            url=post_url(n["uri"], author["handle"]) if is_post else None), raw(n))]

    def _post(self, post: dict, kind: Kind) -> Interaction:
        record, author = post.get("record") or {}, post["author"]
        return Interaction(
            platform="bluesky", external_id=post["uri"], kind=kind,
            author_handle=author["handle"], author_name=author.get("displayName") or "",
            author_id=author["did"], text=record.get("text", ""), created_at=when(record.get("createdAt")
                                                         or post["indexedAt"]),
            in_reply_to=((record.get("reply") or {}).get("parent") or {}).get("uri"),
            url=post_url(post["uri"], author["handle"]))

    def fetch(self, checkpoints: dict[str, str]):
        since = checkpoints.get("notifications")
        pages, cursor = [], None
        for _ in range(HISTORY_PAGES):
            got = self._call(self.client.app.bsky.notification.list_notifications,
                             params={"limit": PAGE, "cursor": cursor})
            batch = [_plain(n) for n in got.notifications]
            fresh = [n for n in batch if since is None or n["indexedAt"] > since]
            pages.append(fresh)
            cursor = got.cursor
            if len(fresh) < len(batch) or not cursor or not batch:
                break
        for batch in reversed(pages):  # oldest first, so a checkpoint never skips anything
            batch.sort(key=lambda n: n["indexedAt"])
            items = [r for n in batch for r in self.normalize(n)]
            yield Page(items, "notifications", batch[-1]["indexedAt"] if batch else since)
        for keyword in self.account.keywords:
            feed = f"search:{keyword}"
            since = checkpoints.get(feed)
            params = {"q": keyword, "sort": "latest", "limit": 25}
            if since:
                params["since"] = since
            got = self._call(self.client.app.bsky.feed.search_posts, params=params)
            posts = sorted((_plain(p) for p in got.posts), key=lambda p: p["indexedAt"])
            posts = [p for p in posts if p["author"]["did"] != self.account.external_id
                     and (since is None or p["indexedAt"] > since)]
            yield Page([Received(self._post(p, Kind.MENTION), raw(p), keyword) for p in posts],
                       feed, posts[-1]["indexedAt"] if posts else since)

    def thread(self, uri: str) -> dict:
        got = self._call(self.client.get_post_thread, uri, depth=0, parent_height=20)
        return _plain(got.thread)

    # --- Jetstream --------------------------------------------------------------------------

    def _handle_of(self, did: str) -> str:
        if did not in self._handles:
            try:
                profile = self._call(self.client.app.bsky.actor.get_profile,
                                     params={"actor": did})
                self._handles[did] = profile.handle
            except (TransientError, PermanentError):
                return did
        return self._handles[did]

    def _jetstream(self, event: dict) -> list[Received]:
        commit = event.get("commit") or {}
        if event.get("kind") != "commit" or commit.get("operation") != "create":
            return []
        did, me = event["did"], self.account.external_id
        if did == me:
            return []
        record = commit.get("record") or {}
        collection = commit.get("collection")
        uri = f"at://{did}/{collection}/{commit['rkey']}"
        subject = record.get("subject")
        subject_uri = subject.get("uri", "") if isinstance(subject, dict) else str(subject or "")
        keyword = None
        if collection == "app.bsky.feed.post":
            text = record.get("text", "")
            parent = ((record.get("reply") or {}).get("parent") or {}).get("uri", "")
            mentioned = any(f.get("did") == me for facet in record.get("facets", [])
                            for f in facet.get("features", []))
            if parent.startswith(f"at://{me}/"):
                kind = Kind.REPLY
            elif mentioned:
                kind = Kind.MENTION
            else:
                keyword = next((k for k in self.account.keywords if k.lower() in text.lower()),
                               None)
                if keyword is None:
                    return []
                kind = Kind.MENTION
        elif collection in ("app.bsky.feed.like", "app.bsky.feed.repost") and \
                subject_uri.startswith(f"at://{me}/"):
            kind, text = (Kind.LIKE if collection.endswith("like") else Kind.SHARE), ""
        elif collection == "app.bsky.graph.follow" and subject_uri == me:
            kind, text = Kind.FOLLOW, ""
        else:
            return []
        handle = self._handle_of(did)
        return [Received(Interaction(
            platform="bluesky", external_id=uri, kind=kind, author_handle=handle, author_id=did,
            text=text,
            created_at=when(record.get("createdAt") or event["time_us"] / 1e6),
            in_reply_to=subject_uri or None,
            url=post_url(uri, handle) if collection == "app.bsky.feed.post" else None),
            raw(event), keyword)]

    def stream(self, on_page, stop: threading.Event, *, cursor: str | None = None) -> None:
        """Jetstream until `stop`: posts, likes, reposts and follows about us or our keywords."""
        from websockets.exceptions import ConnectionClosed
        from websockets.sync.client import connect

        url = self.account.options.get("jetstream") or os.environ.get(ENV_JETSTREAM) \
            or JETSTREAM_URL
        query = "&".join(f"wantedCollections={c}" for c in COLLECTIONS)
        if cursor:
            query += f"&cursor={cursor}"
        with connect(f"{url}?{query}", open_timeout=10) as ws:
            while not stop.is_set():
                try:
                    message = ws.recv(timeout=0.5)
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    raise TransientError("Jetstream closed the connection") from None
                items = self.normalize(json.loads(message))
                if items:
                    on_page(Page(items))

    # --- replying ---------------------------------------------------------------------------

    def send_reply(self, target: Target, text: str, idempotency_key: str) -> str:
        from atproto import client_utils, models

        data = json.loads(target.raw) if target.raw else {}
        if target.kind in (Kind.LIKE, Kind.SHARE, Kind.FOLLOW):
            parent = None  # a gesture: a new post that mentions them
        else:
            cid = data.get("cid")
            record = data.get("record") or (data.get("commit") or {}).get("record") or {}
            if not cid:
                thread = self.thread(target.external_id)
                cid, record = thread["post"]["cid"], thread["post"]["record"]
            parent = {"uri": target.external_id, "cid": cid}
        author = data.get("author") or {}
        did = author.get("did") or data.get("did")
        builder = client_utils.TextBuilder()
        handle = "@" + target.author_handle.lstrip("@")
        if did:
            builder.mention(handle, did)
        else:
            builder.text(handle)
        builder.text(" " + text)
        reply_to = None
        if parent is not None:
            root = (record.get("reply") or {}).get("root") or parent
            reply_to = models.AppBskyFeedPost.ReplyRef(
                parent=models.ComAtprotoRepoStrongRef.Main(**parent),
                root=models.ComAtprotoRepoStrongRef.Main(uri=root["uri"], cid=root["cid"]))
        sent = self._call(self.client.send_post, builder, reply_to=reply_to)
        return sent.uri
