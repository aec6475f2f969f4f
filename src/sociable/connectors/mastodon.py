"""Mastodon, through Mastodon.py: notifications, hashtag listening, the user stream, replies.

- Notifications (mention, favourite, reblog, follow, status) since the `notifications`
  checkpoint, paged through the Link headers (`fetch_next` back in history on the first sync,
  `fetch_previous` forward afterwards).
- Listening: each keyword of the account is followed as a hashtag (`engagement ring` ->
  `#engagementring`), with its own `tag:` checkpoint.
- Live: the user stream (notifications) and the hashtag streams.
- Replies: `status_post(in_reply_to_id=..., idempotency_key=...)`, mentioning the author.
- Rate limits: Mastodon.py reads `X-RateLimit-*`; we ask it to raise instead of sleeping and
  turn that into `RateLimited(retry_after)` so the account waits and nothing else blocks.
"""
from __future__ import annotations

import functools
import inspect
import re
import threading
import time
from urllib.parse import urlparse

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
from sociable.connectors.text import html_to_text, id_key, newest, when
from sociable.domain.interactions import Interaction, Kind

HISTORY_PAGES = 10  # how far back the first sync walks (40 notifications a page)
PAGE = 40

SCOPES = ["read", "write"]


def _loopback(base_url: str) -> bool:
    """Plain-http OAuth only to this machine (a local test server); elsewhere https only."""
    return urlparse(base_url).hostname in ("127.0.0.1", "localhost", "::1")


def tag_of(keyword: str) -> str:
    """The hashtag a keyword is listened for as: letters and digits only, lowercase."""
    return re.sub(r"[^\w]", "", keyword.lstrip("#")).lower()


def _errors(fn):
    """Translate Mastodon.py errors into ours, so sync and send can decide what to do."""
    from mastodon.errors import (
        MastodonAPIError,
        MastodonError,
        MastodonNetworkError,
        MastodonNotFoundError,
        MastodonRatelimitError,
        MastodonServerError,
        MastodonUnauthorizedError,
    )

    def translate(self, exc):
        try:
            raise exc
        except MastodonRatelimitError as exc:
            reset = getattr(self.client, "ratelimit_reset", None)
            after = max(1.0, reset - time.time()) if reset else 60.0
            raise RateLimited(f"Mastodon rate limit reached ({exc})", after) from None
        except MastodonNetworkError as exc:
            raise TransientError(f"cannot reach {self.account.base_url}: {exc}") from None
        except MastodonServerError as exc:
            raise TransientError(f"{self.account.base_url} answered {exc.args[1]}") from None
        except MastodonUnauthorizedError:
            raise PermanentError("the access token was refused (revoked or expired): "
                                 "connect the account again") from None
        except MastodonNotFoundError as exc:
            raise PermanentError(f"not found on {self.account.base_url}: "
                                 f"{exc.args[-1] if exc.args else exc}") from None
        except MastodonAPIError as exc:
            code = exc.args[1] if len(exc.args) > 1 else "?"
            detail = exc.args[3] if len(exc.args) > 3 else exc
            if code == 429:
                raise RateLimited("Mastodon rate limit reached", 60.0) from None
            raise PermanentError(f"Mastodon refused the request ({code}: {detail})") from None

    if inspect.isgeneratorfunction(fn):
        def wrapped(self, *args, **kwargs):
            try:
                yield from fn(self, *args, **kwargs)
            except MastodonError as exc:
                translate(self, exc)
    else:
        def wrapped(self, *args, **kwargs):
            try:
                return fn(self, *args, **kwargs)
            except MastodonError as exc:
                translate(self, exc)
    return functools.wraps(fn)(wrapped)


@register
class MastodonConnector(Connector):
    description = Description(
        platform="mastodon",
        title="Mastodon",
        auth="oauth",
        ingests=("mention", "reply", "favourite (like)", "reblog (share)", "follow",
                 "posts of accounts you get notified about", "hashtags you listen for"),
        live="stream",
        limits=("Listening follows hashtags only: Mastodon has no full-text search of other "
                "servers' posts.",
                "Favourites and boosts arrive one by one as notifications; older ones are not "
                "listed by the API beyond your notification history."),
        add_options=("--instance URL", "--token TOKEN (or the OAuth flow: --code CODE)"),
    )

    def __init__(self, account: Account, client=None) -> None:
        super().__init__(account)
        self.client = client or self.make_client(account.base_url,
                                                 account.secrets.get("access_token"))
        self.host = urlparse(account.base_url).hostname or ""

    @staticmethod
    def make_client(base_url: str, access_token: str | None = None, **kwargs):
        from mastodon import Mastodon

        return Mastodon(access_token=access_token, api_base_url=base_url,
                        ratelimit_method="throw", request_timeout=15,
                        version_check_mode="none", **kwargs)

    # --- connecting -------------------------------------------------------------------------

    @staticmethod
    def start_oauth(base_url: str, redirect_uri: str = "urn:ietf:wg:oauth:2.0:oob") -> dict:
        """Register the app on the instance; returns client id/secret and the URL to open."""
        from mastodon import Mastodon

        client_id, client_secret = Mastodon.create_app(
            "Sociable", scopes=SCOPES, redirect_uris=redirect_uri, api_base_url=base_url)
        client = MastodonConnector.make_client(base_url, client_id=client_id,
                                               client_secret=client_secret)
        url = client.auth_request_url(scopes=SCOPES, redirect_uris=redirect_uri,
                                      allow_http=_loopback(base_url))
        return {"client_id": client_id, "client_secret": client_secret, "url": url}

    @staticmethod
    def finish_oauth(base_url: str, client_id: str, client_secret: str, code: str,
                     redirect_uri: str = "urn:ietf:wg:oauth:2.0:oob") -> str:
        client = MastodonConnector.make_client(base_url, client_id=client_id,
                                               client_secret=client_secret)
        return client.log_in(code=code, redirect_uri=redirect_uri, scopes=SCOPES,
                             allow_http=_loopback(base_url))

    @staticmethod
    def whoami(base_url: str, access_token: str) -> dict:
        """Verify a token: {'id', 'handle'} of the account it belongs to."""
        probe = MastodonConnector(Account(id=0, platform="mastodon", name="",
                                          base_url=base_url,
                                          secrets={"access_token": access_token}))
        me = probe._me()
        host = urlparse(base_url).hostname or ""
        acct = me["acct"] if "@" in me["acct"] else f"{me['acct']}@{host}"
        return {"id": str(me["id"]), "handle": acct}

    @_errors
    def _me(self):
        return self.client.account_verify_credentials()

    # --- reading ----------------------------------------------------------------------------

    def _acct(self, account: dict) -> str:
        acct = account.get("acct") or account.get("username") or ""
        return acct if "@" in acct else f"{acct}@{self.host}"

    def normalize(self, payload: dict) -> list[Received]:
        """A notification, or a status heard while listening, as interactions."""
        data = raw(payload)
        if "type" in payload:  # a notification
            kind = {"mention": Kind.MENTION, "favourite": Kind.LIKE, "reblog": Kind.SHARE,
                    "follow": Kind.FOLLOW, "status": Kind.MENTION}.get(payload["type"])
            if kind is None:
                return []
            status = payload.get("status") or {}
            author = payload.get("account") or {}
            if payload["type"] in ("mention", "status") and status:
                if str(status.get("in_reply_to_account_id") or "") == self.account.external_id:
                    kind = Kind.REPLY
                return [Received(self._status_interaction(status, kind), data)]
            return [Received(Interaction(
                platform="mastodon", external_id=f"n{payload['id']}", kind=kind,
                author_handle=self._acct(author), author_name=author.get("display_name") or "",
                author_id=str(author["id"]) if author.get("id") else None,
                created_at=when(payload["created_at"]),
                in_reply_to=str(status["id"]) if status else None,
                url=status.get("url") if status else author.get("url")), data)]
        if "content" in payload:  # a status from a hashtag timeline
            return [Received(self._status_interaction(payload, Kind.MENTION), data)]
        return []

    def _status_interaction(self, status: dict, kind: Kind) -> Interaction:
        author = status.get("account") or {}
        reply_to = status.get("in_reply_to_id")
        return Interaction(
            platform="mastodon", external_id=str(status["id"]), kind=kind,
            author_handle=self._acct(author), author_name=author.get("display_name") or "",
            author_id=str(author["id"]) if author.get("id") else None,
            text=html_to_text(status.get("content")), created_at=when(status["created_at"]),
            in_reply_to=str(reply_to) if reply_to else None, url=status.get("url"))

    def _mine(self, payload: dict) -> bool:
        account = payload.get("account") or {}
        return str(account.get("id")) == self.account.external_id

    def _pages(self, first, since: str | None):
        """Walk a Link-paged listing: back through history, or forward from `since`."""
        if since is None:
            pages, page = [], first
            while page and len(pages) < HISTORY_PAGES:
                pages.append(list(page))
                page = self.client.fetch_next(page)
            for items in reversed(pages):
                yield sorted(items, key=lambda x: id_key(str(x["id"])))
            return
        page = first
        while page:
            yield sorted(page, key=lambda x: id_key(str(x["id"])))
            page = self.client.fetch_previous(page)

    @_errors
    def fetch(self, checkpoints: dict[str, str]):
        since = checkpoints.get("notifications")
        first = self.client.notifications(min_id=since, limit=PAGE) if since \
            else self.client.notifications(limit=PAGE)
        for items in self._pages(first, since):
            received = [r for n in items if not self._mine(n) for r in self.normalize(n)]
            yield Page(received, "notifications", str(items[-1]["id"]) if items else since)
        for keyword in self.account.keywords:
            feed = f"tag:{tag_of(keyword)}"
            since = checkpoints.get(feed)
            first = self.client.timeline_hashtag(tag_of(keyword), min_id=since, limit=PAGE) \
                if since else self.client.timeline_hashtag(tag_of(keyword), limit=PAGE)
            for items in self._pages(first, since):
                received = []
                for status in items:
                    if not self._mine(status):
                        received += [Received(r.interaction, r.raw, keyword)
                                     for r in self.normalize(status)]
                yield Page(received, feed, str(items[-1]["id"]) if items else since)

    @_errors
    def thread(self, status_id: str) -> list[Received]:
        """The conversation around a status (ancestors and replies), as others wrote it."""
        context = self.client.status_context(status_id)
        out = []
        for status in list(context["ancestors"]) + list(context["descendants"]):
            if not self._mine(status):
                kind = Kind.REPLY if status.get("in_reply_to_id") else Kind.MENTION
                out.append(Received(self._status_interaction(status, kind), raw(status)))
        return out

    def stream(self, on_page, stop: threading.Event) -> None:
        """Live arrival: the user stream, and a hashtag stream per keyword, until `stop`."""
        from mastodon.streaming import StreamListener

        connector = self

        class Listener(StreamListener):
            def __init__(self, keyword: str | None = None) -> None:
                self.keyword = keyword

            def on_notification(self, notification):
                if not connector._mine(notification):
                    on_page(Page(connector.normalize(notification)))

            def on_update(self, status):
                if self.keyword and not connector._mine(status):
                    on_page(Page([Received(r.interaction, r.raw, self.keyword)
                                  for r in connector.normalize(status)]))

        handles = [self.client.stream_user(Listener(), run_async=True, reconnect_async=True,
                                           reconnect_async_wait_sec=2)]
        for keyword in self.account.keywords:
            handles.append(self.client.stream_hashtag(
                tag_of(keyword), Listener(keyword), run_async=True, reconnect_async=True,
                reconnect_async_wait_sec=2))
        try:
            stop.wait()
        finally:
            for handle in handles:
                try:
                    handle.close()
                except Exception:  # noqa: BLE001 - closing a dead stream is fine
                    pass

    # --- replying ---------------------------------------------------------------------------

    @_errors
    def send_reply(self, target: Target, text: str, idempotency_key: str) -> str:
        """Reply to the status (or, for a like, boost or follow, mention the person)."""
        handle = "@" + target.author_handle.split("@")[0] if target.author_handle.endswith(
            "@" + self.host) else "@" + target.author_handle
        body = text if handle.lower() in text.lower() else f"{handle} {text}"
        reply_to = target.external_id if not target.external_id.startswith("n") else None
        status = self.client.status_post(body, in_reply_to_id=reply_to,
                                         visibility="direct" if reply_to is None else None,
                                         idempotency_key=idempotency_key)
        return str(status["id"])


__all__ = ["MastodonConnector", "tag_of", "newest"]
