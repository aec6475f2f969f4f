"""A recorded-payload XRPC server for the Bluesky connector, and a Jetstream on a WebSocket.

Not an AT Protocol implementation: it serves the payloads in tests/payloads/bluesky (written
from the lexicons) over real HTTP, so the real `atproto` client parses them, and keeps the
records the connector creates so a test can see a reply "on the platform's side".
"""
from __future__ import annotations

import base64
import itertools
import json
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.connectors_helpers import payload

STORE_DID = "did:plc:brennanstore"
STORE_HANDLE = "brennan.bsky.social"
PASSWORD = "abcd-efgh-ijkl-mnop"


def _jwt(did: str, scope: str) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    now = int(time.time())
    return ".".join([part({"typ": "at+jwt", "alg": "ES256K"}),
                     part({"scope": scope, "sub": did, "iat": now, "exp": now + 3600,
                           "aud": "did:web:localhost"}), "c2lnbmF0dXJl"])


class Bsky:
    def __init__(self) -> None:
        self.notifications = payload("bluesky", "notifications.json")["notifications"]
        self.search = payload("bluesky", "search_posts.json")["posts"]
        self.records: list[dict] = []
        self.sessions = 0
        self.errors: list[tuple[str, int, dict]] = []
        self.ids = itertools.count(1)


def make_app(bsky: Bsky) -> FastAPI:
    app = FastAPI()

    def check(name: str):
        for i, (prefix, status, headers) in enumerate(bsky.errors):
            if name.startswith(prefix):
                bsky.errors.pop(i)
                return JSONResponse({"error": "RateLimitExceeded" if status == 429 else
                                     "InternalServerError", "message": "injected"},
                                    status_code=status, headers=headers)
        return None

    def session():
        return {"accessJwt": _jwt(STORE_DID, "com.atproto.appPass"),
                "refreshJwt": _jwt(STORE_DID, "com.atproto.refresh"),
                "handle": STORE_HANDLE, "did": STORE_DID, "active": True}

    @app.post("/xrpc/com.atproto.server.createSession")
    async def create_session(request: Request):
        body = await request.json()
        bsky.sessions += 1
        if body.get("password") != PASSWORD:
            return JSONResponse({"error": "AuthenticationRequired",
                                 "message": "Invalid identifier or password"}, status_code=401)
        return session()

    @app.post("/xrpc/com.atproto.server.refreshSession")
    async def refresh():
        return session()

    @app.get("/xrpc/app.bsky.actor.getProfile")
    async def profile(actor: str):
        if actor in (STORE_DID, STORE_HANDLE):
            return {"did": STORE_DID, "handle": STORE_HANDLE, "displayName": "Brennan & Daughters"}
        handle = {"did:plc:anaruiz": "ana.bsky.social", "did:plc:bobbaker": "bob.bsky.social",
                  "did:plc:stranger2": "casey.bsky.social"}.get(actor, "someone.bsky.social")
        return {"did": actor, "handle": handle}

    @app.get("/xrpc/app.bsky.notification.listNotifications")
    async def notifications(limit: int = 50, cursor: str | None = None):
        if (failed := check("listNotifications")) is not None:
            return failed
        start = int(cursor or 0)
        page = bsky.notifications[start:start + limit]
        body = {"notifications": page}
        if start + limit < len(bsky.notifications):
            body["cursor"] = str(start + limit)
        return body

    @app.get("/xrpc/app.bsky.feed.searchPosts")
    async def search(q: str, since: str | None = None, sort: str = "latest", limit: int = 25):
        words = q.lower().split()
        return {"posts": [p for p in bsky.search
                          if all(w in p["record"]["text"].lower() for w in words)
                          and (since is None or p["indexedAt"] > since)]}

    @app.get("/xrpc/app.bsky.feed.getPostThread")
    async def thread(uri: str):
        for n in bsky.notifications:
            if n["uri"] == uri:
                post = {k: n[k] for k in ("uri", "cid", "author", "record", "indexedAt")}
                return {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": post,
                                   "replies": []}}
        return JSONResponse({"error": "NotFound", "message": "Post not found"}, status_code=400)

    @app.post("/xrpc/com.atproto.repo.createRecord")
    async def create_record(request: Request):
        if (failed := check("createRecord")) is not None:
            return failed
        body = await request.json()
        rkey = f"3lsent{next(bsky.ids):05d}"
        uri = f"at://{body['repo']}/{body['collection']}/{rkey}"
        bsky.records.append({"uri": uri, **body})
        return {"uri": uri, "cid": f"bafyreisent{rkey}"}

    return app


class Jetstream:
    """A WebSocket server that sends the recorded Jetstream events to each subscriber."""

    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.queries: list[str] = []

    def __enter__(self) -> "Jetstream":
        import threading

        from websockets.sync.server import serve

        def handler(ws):
            self.queries.append(ws.request.path)
            for event in self.events:
                ws.send(event)
            try:
                for _ in ws:  # keep the connection open until the client leaves
                    pass
            except Exception:  # noqa: BLE001
                pass

        self.server = serve(handler, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/subscribe"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
