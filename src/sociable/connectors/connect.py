"""Connecting accounts: each platform's own flow, ending in an encrypted row in `accounts`.

- Mastodon: an access token made in the instance's settings (Development > New application,
  scopes read and write), or OAuth: `start` registers Sociable on the instance and returns the
  URL to open; `finish` trades the code shown there for a token.
- Bluesky: the handle and an app password (Settings > Privacy and security > App passwords).
- Facebook Page / Instagram professional account: a Page access token from your Meta app,
  the app secret (to check webhook signatures) and a verify token you choose.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from sociable.connectors.base import Account
from sociable.connectors.secrets import Vault
from sociable.store import accounts as accounts_repo


@dataclass
class Pending:
    """OAuth started: open `url`, then run the same command with --code."""

    account: Account
    url: str


def mastodon(conn: Connection, vault: Vault, *, instance: str, token: str | None = None,
             code: str | None = None, keywords: list[str] = ()) -> Account | Pending:
    from sociable.connectors.mastodon import MastodonConnector

    base_url = instance if "://" in instance else f"https://{instance}"
    base_url = base_url.rstrip("/")
    pending_name = f"mastodon:pending:{base_url}"
    if token is None and code is None:
        app = MastodonConnector.start_oauth(base_url)
        account = accounts_repo.add(conn, vault, platform="mastodon", name=pending_name,
                                    base_url=base_url, status="pending",
                                    secrets={"client_id": app["client_id"],
                                             "client_secret": app["client_secret"]})
        return Pending(account, app["url"])
    if token is None:
        app = accounts_repo.find(conn, pending_name, vault)
        token = MastodonConnector.finish_oauth(base_url, app.secrets["client_id"],
                                               app.secrets["client_secret"], code)
        accounts_repo.remove(conn, app.id)
    who = MastodonConnector.whoami(base_url, token)
    account = accounts_repo.add(conn, vault, platform="mastodon", name=f"mastodon:@{who['handle']}",
                                handle=who["handle"], external_id=who["id"], base_url=base_url,
                                secrets={"access_token": token})
    return _listen(conn, account, keywords, vault)


def bluesky(conn: Connection, vault: Vault, *, handle: str, app_password: str,
            service: str = "https://bsky.social", keywords: list[str] = ()) -> Account:
    from sociable.connectors.bluesky import BlueskyConnector

    who = BlueskyConnector.login(service, handle, app_password)
    account = accounts_repo.add(conn, vault, platform="bluesky", name=f"bluesky:@{who['handle']}",
                                handle=who["handle"], external_id=who["did"],
                                base_url=service.rstrip("/"),
                                secrets={"app_password": app_password,
                                         "session": who.get("session", "")})
    return _listen(conn, account, keywords, vault)


def meta(conn: Connection, vault: Vault, *, platform: str, object_id: str, token: str,
         app_secret: str, verify_token: str, graph_url: str | None = None,
         keywords: list[str] = ()) -> Account:
    from sociable.connectors.meta import GRAPH_URL, GraphClient

    base_url = (graph_url or GRAPH_URL).rstrip("/")
    fields = "id,name" if platform == "facebook" else "id,username"
    client = GraphClient(base_url, token)
    try:
        me = client.get(object_id, fields=fields)
    finally:
        client.close()
    handle = me.get("username") or me.get("name") or object_id
    account = accounts_repo.add(conn, vault, platform=platform, name=f"{platform}:{handle}",
                                handle=handle, external_id=str(me["id"]), base_url=base_url,
                                secrets={"access_token": token, "app_secret": app_secret,
                                         "verify_token": verify_token})
    return _listen(conn, account, keywords, vault)


def _listen(conn: Connection, account: Account, keywords, vault: Vault) -> Account:
    for keyword in keywords:
        accounts_repo.listen(conn, account.id, keyword)
    return accounts_repo.find(conn, account.id, vault)
