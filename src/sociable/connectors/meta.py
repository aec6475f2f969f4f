"""Facebook Pages and Instagram professional accounts, through the Graph API and its webhooks.

- Webhooks (`router`, mounted by `sociable serve` at `/webhooks/meta`): the GET verification
  handshake (`hub.verify_token`), and deliveries checked with `X-Hub-Signature-256` (HMAC-SHA256
  of the raw body with the app secret, compared in constant time; a bad signature is a 403 and
  nothing is processed). The body is stored before it is processed and keyed by its hash, so a
  retried delivery (Meta retries for up to 36 hours) changes nothing; batched changes upsert
  on the platform's ids, so an entry seen twice in two bodies changes nothing either.
- Facebook Page `feed` changes (comments, replies, reactions), `mention` changes (the text is
  fetched: the payload has none) and Messenger messages.
- Instagram `comments`, `mentions` (the text is fetched with `mentioned_comment` /
  `mentioned_media`: the payload has only ids) and messages.
- History: the Page feed with its comments and reactions, the Instagram media with comments.
- Replies: `POST /{comment-id}/comments` (Facebook), `POST /{comment-id}/replies` (Instagram),
  `POST /{ig-user-id}/mentions` (answering a mention), `POST /me/messages` (inside Meta's
  24-hour window only).
- Rate limits: `X-App-Usage`, `X-Page-Usage` and `X-Business-Use-Case-Usage` headers; error
  codes 4, 17, 32, 613 and 80001-80014 wait `estimated_time_to_regain_access`.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import threading
from datetime import UTC, datetime, timedelta

import httpx

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

log = logging.getLogger("sociable.connectors")

GRAPH_URL = "https://graph.facebook.com/v21.0"
ENV_GRAPH_URL = "SOCIABLE_GRAPH_URL"
MESSAGING_WINDOW = timedelta(hours=24)
HISTORY_OVERLAP = timedelta(days=7)  # comments arrive on older posts: re-read a week back
RATE_CODES = {4, 17, 32, 613} | set(range(80001, 80015))
PERMANENT_CODES = {10, 100, 190, 200, 803}


def _without_token(url: str) -> str:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if "access_token" not in parts.query:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k != "access_token"]
    return urlunsplit(parts._replace(query=urlencode(query)))


class GraphClient:
    """A small Graph API client over httpx: errors, paging and usage headers understood."""

    def __init__(self, base_url: str, token: str, http: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = http
        self.usage: dict[str, object] = {}

    @property
    def http(self) -> httpx.Client:
        # Made on first use: building a TLS context costs ~60 ms, and most webhook
        # deliveries never call the Graph API.
        if self._http is None:
            self._http = httpx.Client(timeout=15)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def __repr__(self) -> str:
        return f"GraphClient({self.base_url!r}, token=***)"

    def _call(self, method: str, path_or_url: str, params: dict | None = None,
              data: dict | None = None) -> dict:
        url = path_or_url if "://" in path_or_url else f"{self.base_url}/{path_or_url.lstrip('/')}"
        # The token goes in a header, never in the URL: URLs end up in logs (httpx logs each
        # request at INFO), and Meta's own `paging.next` links carry it, so it is taken out.
        url = _without_token(url)
        try:
            response = self.http.request(method, url, params=params or None, data=data,
                                         headers={"Authorization": f"Bearer {self.token}"})
        except httpx.HTTPError as exc:
            raise TransientError(f"cannot reach the Graph API: {type(exc).__name__}") from None
        self._read_usage(response)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.is_success and not (isinstance(body, dict) and "error" in body):
            return body
        error = body.get("error", {}) if isinstance(body, dict) else {}
        code = error.get("code")
        message = error.get("message") or response.reason_phrase
        if code in RATE_CODES or response.status_code == 429:
            raise RateLimited(f"Graph API rate limit ({code}: {message})", self.regain_after())
        if response.status_code >= 500 or code in (1, 2) or error.get("is_transient"):
            raise TransientError(f"Graph API error {response.status_code} ({code}: {message})")
        if code == 190:
            raise PermanentError(f"the Page token was refused ({message}): connect again")
        raise PermanentError(f"Graph API refused the request ({code}: {message})")

    def _read_usage(self, response: httpx.Response) -> None:
        for header in ("x-app-usage", "x-page-usage", "x-business-use-case-usage"):
            if header in response.headers:
                try:
                    self.usage[header] = json.loads(response.headers[header])
                except ValueError:
                    pass

    def regain_after(self) -> float:
        """Seconds until access returns, from X-Business-Use-Case-Usage; else a minute."""
        minutes = 0
        for entries in (self.usage.get("x-business-use-case-usage") or {}).values():
            for entry in entries:
                minutes = max(minutes, int(entry.get("estimated_time_to_regain_access") or 0))
        return max(60.0, minutes * 60.0)

    def busy(self) -> bool:
        """True when any usage header is at 95% or more: pause before the platform does."""
        for key in ("x-app-usage", "x-page-usage"):
            usage = self.usage.get(key) or {}
            if any(isinstance(v, (int, float)) and v >= 95 for v in usage.values()):
                return True
        return False

    def get(self, path: str, **params) -> dict:
        return self._call("GET", path, params)

    def post(self, path: str, **data) -> dict:
        return self._call("POST", path, data=data)

    def pages(self, path: str, limit: int = 20, **params):
        """Each page's `data`, following `paging.next` up to `limit` pages."""
        body = self.get(path, **params)
        for _ in range(limit):
            yield body.get("data", [])
            following = (body.get("paging") or {}).get("next")
            if not following:
                return
            body = self._call("GET", following)


# --- normalizing ------------------------------------------------------------------------------

def _fb_comment(value: dict, post_id: str | None = None) -> Interaction:
    author = value.get("from") or {}
    parent = value.get("parent_id") or (value.get("parent") or {}).get("id")
    post = post_id or value.get("post_id")
    is_reply = bool(parent) and parent != post
    return Interaction(
        platform="facebook", external_id=str(value.get("comment_id") or value["id"]),
        kind=Kind.REPLY if is_reply else Kind.COMMENT,
        author_handle=str(author.get("id") or author.get("name") or "unknown"),
        author_name=author.get("name") or "", text=value.get("message") or "",
        author_id=str(author["id"]) if author.get("id") else None,
        created_at=when(value.get("created_time") or datetime.now(UTC)),
        in_reply_to=str(parent or post) if (parent or post) else None,
        url=value.get("permalink_url"))


def _fb_reaction(value: dict, post_id: str, at) -> Interaction:
    author = value.get("from") or {"id": value.get("id"), "name": value.get("name")}
    who = str(author.get("id") or author.get("name"))
    target = value.get("comment_id") or post_id
    return Interaction(
        platform="facebook", external_id=f"reaction:{target}:{who}", kind=Kind.LIKE,
        author_handle=who, author_name=author.get("name") or "",
        author_id=str(author["id"]) if author.get("id") else None,
        created_at=when(value.get("created_time") or at), in_reply_to=str(target))


def _ig_comment(value: dict) -> Interaction:
    author = value.get("from") or {}
    media = value.get("media") or {}
    parent = value.get("parent_id")
    return Interaction(
        platform="instagram", external_id=str(value["id"]),
        kind=Kind.REPLY if parent else Kind.COMMENT,
        author_handle=author.get("username") or value.get("username") or str(author.get("id")),
        author_name=author.get("username") or value.get("username") or "",
        author_id=str(author["id"]) if author.get("id") else None,
        text=value.get("text") or "",
        created_at=when(value.get("timestamp") or datetime.now(UTC)),
        in_reply_to=str(parent or media.get("id") or "") or None,
        url=value.get("permalink") or media.get("permalink"))


def _message(platform: str, event: dict) -> Interaction | None:
    message = event.get("message") or {}
    if not message or message.get("is_echo"):
        return None
    sender = (event.get("sender") or {}).get("id")
    return Interaction(platform=platform, external_id=str(message["mid"]), kind=Kind.MESSAGE,
                       author_handle=str(sender), author_id=str(sender),
                       text=message.get("text") or "",
                       created_at=when(event["timestamp"] / 1000), in_reply_to=None)


class _Meta(Connector):
    platform = ""

    def __init__(self, account: Account, http: httpx.Client | None = None) -> None:
        super().__init__(account)
        base_url = account.base_url or os.environ.get(ENV_GRAPH_URL) or GRAPH_URL
        self.graph = GraphClient(base_url, account.secrets.get("access_token", ""), http)

    def close(self) -> None:
        self.graph.close()

    def normalize(self, payload: dict) -> list[Received]:
        """A webhook body (its entries for this account) or a Graph object from history."""
        out: list[Received] = []
        if "entry" in payload:
            for entry in payload["entry"]:
                if str(entry.get("id")) not in (self.account.external_id, "0"):
                    continue
                for change in entry.get("changes", []):
                    out += self._change(change.get("field"), change.get("value") or {},
                                        entry.get("time"))
                for event in entry.get("messaging", []):
                    found = _message(self.platform, event)
                    if found is not None:
                        out.append(Received(found, raw(event)))
        return out

    def _change(self, field: str, value: dict, at) -> list[Received]:
        raise NotImplementedError

    @classmethod
    def reply_closed(cls, target: Target, now: datetime) -> str | None:
        if target.kind == Kind.MESSAGE and now - target.created_at > MESSAGING_WINDOW:
            return ("outside Meta's 24-hour messaging window: the person has to write again "
                    "before a reply can be sent")
        return None

    def send_reply(self, target: Target, text: str, idempotency_key: str) -> str:
        if target.kind == Kind.MESSAGE:
            closed = self.reply_closed(target, datetime.now(UTC))
            if closed:
                raise PermanentError(closed)
            sent = self.graph.post("me/messages", recipient=json.dumps({"id": target.author_handle}),
                                   message=json.dumps({"text": text}), messaging_type="RESPONSE")
            return str(sent.get("message_id"))
        return self._reply(target, text)

    def _reply(self, target: Target, text: str) -> str:
        raise NotImplementedError


@register
class FacebookConnector(_Meta):
    platform = "facebook"
    description = Description(
        platform="facebook", title="Facebook Page", auth="token",
        ingests=("comments and replies on Page posts", "reactions", "Page mentions",
                 "Messenger messages"),
        live="webhook",
        limits=("Replies to Messenger messages only within Meta's 24-hour window after the "
                "person's last message.",
                "Reactions have no time of their own in history: they are dated by their post.",
                "A reaction cannot be answered where it was made: reply to a comment, or write "
                "to the person."),
        add_options=("--page-id ID", "--token PAGE_TOKEN", "--app-secret SECRET",
                     "--verify-token TOKEN"),
    )

    def _change(self, field: str, value: dict, at) -> list[Received]:
        data = raw(value)
        if field == "feed":
            if value.get("verb") not in ("add", None):
                return []  # edits and removals do not make new interactions
            if value.get("item") == "comment":
                return [Received(_fb_comment(value), data)]
            if value.get("item") == "reaction":
                return [Received(_fb_reaction(value, str(value.get("post_id")),
                                              value.get("created_time") or at), data)]
            return []
        if field == "mention":
            if value.get("verb", "add") != "add":
                return []
            ref = value.get("comment_id") or value.get("post_id")
            found = self.graph.get(str(ref), fields="id,message,from,created_time,"
                                                    "permalink_url")
            return [Received(Interaction(
                platform="facebook", external_id=str(ref), kind=Kind.MENTION,
                author_handle=str(value.get("sender_id") or (found.get("from") or {}).get("id")),
                author_name=value.get("sender_name") or (found.get("from") or {}).get("name", ""),
                text=found.get("message") or "", created_at=when(found.get("created_time") or at),
                in_reply_to=value.get("post_id") if value.get("comment_id") else None,
                url=found.get("permalink_url")), raw({"change": value, "fetched": found}))]
        return []

    def fetch(self, checkpoints: dict[str, str]):
        since = checkpoints.get("feed")
        params = {"fields": "id,message,created_time,permalink_url,"
                            "comments.limit(100){id,message,from,created_time,parent{id}},"
                            "reactions.limit(100){id,name,type}"}
        if since:
            params["since"] = int((when(since) - HISTORY_OVERLAP).timestamp())
        newest = since
        for posts in self.graph.pages(f"{self.account.external_id}/posts", **params):
            items = []
            for post in posts:
                for comment in (post.get("comments") or {}).get("data", []):
                    if str((comment.get("from") or {}).get("id")) != self.account.external_id:
                        items.append(Received(_fb_comment(comment, post["id"]), raw(comment)))
                for reaction in (post.get("reactions") or {}).get("data", []):
                    items.append(Received(_fb_reaction(reaction, post["id"],
                                                       post["created_time"]), raw(reaction)))
                stamp = when(post["created_time"]).isoformat()
                newest = max(newest or stamp, stamp)
            yield Page(items)
        yield Page([], "feed", datetime.now(UTC).isoformat())

    def _reply(self, target: Target, text: str) -> str:
        if target.kind == Kind.LIKE:
            raise PermanentError("a reaction cannot be answered on Facebook: reply to one of "
                                 "their comments, or write to them")
        return str(self.graph.post(f"{target.external_id}/comments", message=text)["id"])


@register
class InstagramConnector(_Meta):
    platform = "instagram"
    description = Description(
        platform="instagram", title="Instagram (professional account)", auth="token",
        ingests=("comments and replies on your media", "mentions in captions and comments",
                 "messages"),
        live="webhook",
        limits=("Instagram gives likes only as counts: who liked a post is not available.",
                "Replies to messages only within Meta's 24-hour window after the person's last "
                "message.",
                "Mentions arrive as ids only; Sociable fetches the text, which fails if the "
                "post was deleted or made private."),
        add_options=("--ig-user-id ID", "--token PAGE_TOKEN", "--app-secret SECRET",
                     "--verify-token TOKEN"),
    )

    def _change(self, field: str, value: dict, at) -> list[Received]:
        if field == "comments":
            return [Received(_ig_comment(value), raw(value))]
        if field == "mentions":
            me = self.account.external_id
            if value.get("comment_id"):
                found = self.graph.get(me, fields=f"mentioned_comment.comment_id("
                                                  f"{value['comment_id']})"
                                                  "{id,text,username,timestamp,media{id,permalink}}")
                comment = found.get("mentioned_comment") or {}
                text, ref = comment.get("text", ""), str(value["comment_id"])
                username, stamp = comment.get("username", ""), comment.get("timestamp")
                url = (comment.get("media") or {}).get("permalink")
            else:
                found = self.graph.get(me, fields=f"mentioned_media.media_id("
                                                  f"{value['media_id']})"
                                                  "{id,caption,username,timestamp,permalink}")
                media = found.get("mentioned_media") or {}
                text, ref = media.get("caption", ""), f"media:{value['media_id']}"
                username, stamp, url = media.get("username", ""), media.get("timestamp"), \
                    media.get("permalink")
            return [Received(Interaction(
                platform="instagram", external_id=ref, kind=Kind.MENTION,
                author_handle=username or "unknown", author_name=username, text=text,
                created_at=when(stamp or at or datetime.now(UTC)),
                in_reply_to=str(value.get("media_id")), url=url),
                raw({"change": value, "fetched": found}))]
        return []

    def fetch(self, checkpoints: dict[str, str]):
        fields = ("id,caption,timestamp,permalink,comments.limit(100){id,text,username,"
                  "timestamp,from,replies{id,text,username,timestamp,from,parent_id}}")
        for media in self.graph.pages(f"{self.account.external_id}/media", fields=fields):
            items = []
            for m in media:
                for comment in (m.get("comments") or {}).get("data", []):
                    for c in [comment] + (comment.get("replies") or {}).get("data", []):
                        if c.get("username") == self.account.handle:
                            continue
                        if c is not comment:
                            c = {**c, "parent_id": comment["id"]}
                        items.append(Received(_ig_comment({**c, "media": {
                            "id": m["id"], "permalink": m.get("permalink")}}), raw(c)))
            yield Page(items)
        yield Page([], "media", datetime.now(UTC).isoformat())

    def _reply(self, target: Target, text: str) -> str:
        if target.kind == Kind.MENTION:
            data = {"media_id": target.in_reply_to, "message": text}
            if not target.external_id.startswith("media:"):
                data["comment_id"] = target.external_id
            return str(self.graph.post(f"{self.account.external_id}/mentions", **data)["id"])
        return str(self.graph.post(f"{target.external_id}/replies", message=text)["id"])


# --- the webhook ------------------------------------------------------------------------------

def signature_ok(body: bytes, header: str | None, secrets: list[str]) -> bool:
    """`X-Hub-Signature-256: sha256=<hex>` over the raw body, compared in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    given = header[len("sha256="):].encode()
    ok = False
    for secret in secrets:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
        ok |= hmac.compare_digest(expected, given)
    return ok


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


OBJECTS = {"page": "facebook", "instagram": "instagram"}


def store_delivery(store, body: bytes) -> bool:
    """Keep a verified body (before anything else); False when it was delivered before."""
    from sociable.store import deliveries as deliveries_repo

    payload = json.loads(body)
    platform = OBJECTS.get(payload.get("object"), str(payload.get("object"))[:40])
    key = "body:" + hashlib.sha256(body).hexdigest()
    with _writing(store), store.begin() as conn:
        return key in deliveries_repo.record(conn, platform, None, "webhook", [(key, body, None)])


_SQLITE_WRITES = threading.Lock()


@contextlib.contextmanager
def _writing(store):
    """On SQLite, one writer at a time inside this process, handed over at once.

    SQLite allows one writer; without this, dozens of request threads wait in its busy
    handler, which sleeps in growing steps (up to 100 ms) and collapses throughput.
    """
    if store.dialect == "sqlite":
        with _SQLITE_WRITES:
            yield
    else:
        yield


def process_stored(store, vault, *, live=None, http=None, limit: int = 100) -> int:
    """Process stored webhook bodies not processed yet, many in one transaction.

    Returns how many bodies were taken. A body whose follow-up fetch fails (an Instagram
    mention's text, say) is marked failed with the reason, and the next sync of the account
    replays it; the rest of the batch goes on. If the batch itself fails, its bodies are
    marked failed too, never retried in a tight loop.

    On SQLite the Graph API fetches happen before the write lock is taken, so deliveries keep
    being stored (and answered) meanwhile. On PostgreSQL the rows are claimed (`FOR UPDATE SKIP
    LOCKED`) for the one transaction, so several web processes share the work.
    """
    from sociable.store import accounts as accounts_repo
    from sociable.store import deliveries as deliveries_repo

    def load(conn):
        rows = deliveries_repo.pending(conn, source="webhook", statuses=("received",),
                                       limit=limit, claim=True)
        accounts = {(p, a.external_id): a for p in OBJECTS.values()
                    for a in accounts_repo.list_accounts(conn, vault, p)} if rows else {}
        return rows, accounts

    rows = []
    try:
        if store.dialect == "sqlite":
            with store.begin() as conn:
                rows, accounts = load(conn)
            if not rows:
                return 0
            found = _normalize_rows(rows, accounts, http)
            with _writing(store), store.begin() as conn:
                _ingest_rows(conn, found, live)
        else:
            with store.begin() as conn:
                rows, accounts = load(conn)
                if not rows:
                    return 0
                _ingest_rows(conn, _normalize_rows(rows, accounts, http), live)
    except Exception as exc:  # noqa: BLE001 - the batch is set aside for replay
        if not rows:
            raise
        log.warning("webhook batch of %d failed (%s); marked for replay", len(rows), exc)
        with _writing(store), store.begin() as conn:
            deliveries_repo.mark(conn, [r.id for r in rows], "failed",
                                 f"{type(exc).__name__}: {exc}"[:2000])
    return len(rows)


def _normalize_rows(rows, accounts, http):
    connectors: dict[int, _Meta] = {}
    items: list[Received] = []
    done: list[int] = []
    failed: list[tuple[int, str]] = []
    for row in rows:
        try:
            found = []
            for entry in json.loads(row.payload).get("entry", []):
                account = accounts.get((row.platform, str(entry.get("id"))))
                if account is None:
                    continue
                if account.id not in connectors:
                    connectors[account.id] = get_connector(account, http)
                found += connectors[account.id].normalize({"entry": [entry]})
            items += found
            done.append(row.id)
        except Exception as exc:  # noqa: BLE001 - kept with its reason, replayed later
            failed.append((row.id, f"{type(exc).__name__}: {exc}"[:2000]))
    for connector in connectors.values():
        connector.close()
    return items, done, failed


def _ingest_rows(conn, found, live) -> None:
    from sociable.connectors.sync import _listening_of
    from sociable.ingest.batch import ingest_in
    from sociable.ingest.interactions import ImportReport
    from sociable.store import deliveries as deliveries_repo

    items, done, failed = found
    report = ImportReport(path="webhook")
    interactions, raws = [r.interaction for r in items], [r.raw for r in items]
    if live is not None:
        live.ingest_in(conn, interactions, raws, report, listening=_listening_of(items))
    else:
        ingest_in(conn, interactions, raws, report, listening=_listening_of(items))
    deliveries_repo.mark(conn, done, "processed")
    for row_id, reason in failed:
        deliveries_repo.mark(conn, [row_id], "failed", reason)


class WebhookProcessor:
    """A thread that processes stored webhook bodies soon after they arrive, in batches.

    The webhook answers as soon as a body is verified and stored (Meta wants an answer within
    seconds, and retries otherwise); batching the processing is what keeps up with bursts.
    """

    def __init__(self, store, vault, *, live=None, http=None) -> None:
        import threading

        from sociable.ingest.batch import LivePipeline

        self.store, self.vault, self.http = store, vault, http
        self.live = live or LivePipeline()
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="webhook-processor", daemon=True)
        self.thread.start()

    def notify(self) -> None:
        self.wake.set()

    def _run(self) -> None:
        while not self.stopping.is_set():
            self.wake.wait(1.0)
            self.wake.clear()
            try:
                while process_stored(self.store, self.vault, live=self.live, http=self.http):
                    pass
            except Exception:  # noqa: BLE001 - the bodies are stored; try again shortly
                log.exception("webhook processing failed; will retry")
                self.stopping.wait(1.0)

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout=10)


def get_connector(account: Account, http=None) -> _Meta:
    cls = FacebookConnector if account.platform == "facebook" else InstagramConnector
    return cls(account, http)


def _secrets(store, vault, name: str) -> list[str]:
    from sociable.store import accounts as accounts_repo

    with store.begin() as conn:
        found = [a.secrets.get(name) for p in OBJECTS.values()
                 for a in accounts_repo.list_accounts(conn, vault, p)]
    env = os.environ.get("SOCIABLE_META_APP_SECRET" if name == "app_secret"
                         else "SOCIABLE_META_VERIFY_TOKEN")
    return [s for s in found + [env] if s]


try:
    from fastapi import APIRouter, Request
    from fastapi.responses import JSONResponse, PlainTextResponse
    from starlette.concurrency import run_in_threadpool
except ImportError:  # FastAPI is not installed: the connectors still work from the CLI
    APIRouter = None


_PROCESSOR_LOCK = threading.Lock()
SECRETS_TTL = 5.0  # seconds an app's list of app secrets is reused between deliveries


def _cached_secrets(app, vault) -> list[str]:
    import time

    cached = getattr(app.state, "meta_secrets", None)
    if cached is None or time.monotonic() - cached[0] > SECRETS_TTL:
        cached = app.state.meta_secrets = (time.monotonic(),
                                           _secrets(app.state.store, vault, "app_secret"))
    return cached[1]


def _receive(app, vault, body: bytes, signature: str | None) -> tuple[int, dict]:
    """Check the signature, store the body, wake the processor: all before answering."""
    store = app.state.store
    if not signature_ok(body, signature, _cached_secrets(app, vault)):
        return 403, {"detail": "bad signature"}
    try:
        json.loads(body)
    except ValueError:
        return 400, {"detail": "not JSON"}
    fresh = store_delivery(store, body)
    with _PROCESSOR_LOCK:  # one processor per app, however many requests come at once
        processor = getattr(app.state, "webhook_processor", None)
        if processor is None:
            processor = app.state.webhook_processor = WebhookProcessor(
                store, vault, http=getattr(app.state, "graph_http", None))
    processor.notify()
    return 200, {"stored": fresh, "duplicate": not fresh}


def _make_router():
    router = APIRouter(tags=["webhooks"])

    def _vault(request: Request):
        vault = getattr(request.app.state, "vault", None)
        if vault is None:
            from sociable.connectors.secrets import Vault

            vault = request.app.state.vault = Vault()
        return vault

    @router.get("/webhooks/meta", include_in_schema=False)
    async def verify(request: Request):
        q = request.query_params
        tokens = await run_in_threadpool(_secrets, request.app.state.store, _vault(request),
                                         "verify_token")
        given = (q.get("hub.verify_token") or "").encode()
        if q.get("hub.mode") == "subscribe" and any(
                hmac.compare_digest(t.encode(), given) for t in tokens):
            return PlainTextResponse(q.get("hub.challenge", ""))
        return PlainTextResponse("verify token does not match", status_code=403)

    @router.post("/webhooks/meta", include_in_schema=False)
    async def receive(request: Request):
        body = await request.body()
        status, result = await run_in_threadpool(
            _receive, request.app, _vault(request), body,
            request.headers.get("x-hub-signature-256"))
        return JSONResponse(result, status_code=status)

    return router


router = _make_router() if APIRouter is not None else None
