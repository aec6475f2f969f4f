"""A small, stateful fake of the Graph API endpoints the Meta connector uses.

Served on loopback by the tests. It answers the documented shapes: objects by id with
`fields`, `/{page-id}/posts` and `/{ig-user-id}/media` with cursor paging, field expansion of
`mentioned_comment` / `mentioned_media`, and the reply endpoints. Errors can be queued to come
back in the Graph API's own error shape, with its usage headers.
"""
from __future__ import annotations

import itertools
import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

TOKEN = "PAGE-TOKEN-abcdef123456"
PAGE_ID = "1001"
IG_ID = "17841400000001"


class Graph:
    def __init__(self) -> None:
        self.objects: dict[str, dict] = {
            PAGE_ID: {"id": PAGE_ID, "name": "Brennan & Daughters"},
            IG_ID: {"id": IG_ID, "username": "brennanjewelers"},
        }
        self.posts: list[str] = []  # page post ids, newest first
        self.media: list[str] = []
        self.sent: list[dict] = []
        self.errors: list[tuple[str, int, dict, dict]] = []  # (path regex, status, body, headers)
        self.ids = itertools.count(900001)
        self.calls: list[str] = []

    def new_id(self) -> str:
        return str(next(self.ids))

    def add_post(self, message: str, created: str, comments=(), reactions=()) -> str:
        pid = f"{PAGE_ID}_{self.new_id()}"
        self.objects[pid] = {"id": pid, "message": message, "created_time": created,
                             "permalink_url": f"https://facebook.example/{pid}",
                             "comments": list(comments), "reactions": list(reactions)}
        self.posts.insert(0, pid)
        for c in comments:
            self.objects[c["id"]] = c
        return pid

    def add_media(self, caption: str, created: str, comments=()) -> str:
        mid = self.new_id()
        self.objects[mid] = {"id": mid, "caption": caption, "timestamp": created,
                             "permalink": f"https://instagram.example/p/{mid}",
                             "comments": list(comments)}
        self.media.insert(0, mid)
        for c in comments:
            self.objects[c["id"]] = c
        return mid

    def fail(self, path: str, status: int, code: int, message: str, headers=None, **extra):
        self.errors.append((path, status, {"error": {"message": message, "type": "OAuthException",
                                                      "code": code, "fbtrace_id": "Fake", **extra}},
                            headers or {}))


def make_app(graph: Graph) -> FastAPI:
    app = FastAPI()

    def error(status, code, message):
        return JSONResponse({"error": {"message": message, "code": code, "type": "GraphMethodException"}},
                            status_code=status)

    def check(request: Request, path: str):
        graph.calls.append(f"{request.method} {path}")
        for i, (pattern, status, body, headers) in enumerate(graph.errors):
            if re.search(pattern, f"{request.method} {path}"):
                graph.errors.pop(i)
                return JSONResponse(body, status_code=status, headers=headers)
        return None

    async def token(request: Request) -> str | None:
        bearer = request.headers.get("authorization", "")
        if bearer.startswith("Bearer "):
            return bearer[len("Bearer "):]
        if request.method == "POST":
            form = await request.form()
            return form.get("access_token") or request.query_params.get("access_token")
        return request.query_params.get("access_token")

    def page(request: Request, ids: list[str], render, size: int = 2):
        after = int(request.query_params.get("after", 0))
        data = [render(graph.objects[i]) for i in ids[after:after + size]]
        body = {"data": data, "paging": {"cursors": {"before": str(after),
                                                     "after": str(after + size)}}}
        if after + size < len(ids):
            base = str(request.url).split("?")[0]
            body["paging"]["next"] = (f"{base}?access_token={TOKEN}&after={after + size}"
                                      f"&fields={request.query_params.get('fields', '')}")
        return body

    def post_view(p: dict) -> dict:
        return {**{k: v for k, v in p.items() if k not in ("comments", "reactions")},
                "comments": {"data": p["comments"]}, "reactions": {"data": p["reactions"]}}

    def media_view(m: dict) -> dict:
        return {**{k: v for k, v in m.items() if k != "comments"},
                "comments": {"data": m["comments"]}, "like_count": 12}

    @app.get("/v21.0/{object_id}")
    async def get_object(object_id: str, request: Request):
        if (await token(request)) != TOKEN:
            return error(400, 190, "Error validating access token: Session has expired")
        if (failed := check(request, object_id)) is not None:
            return failed
        fields = request.query_params.get("fields", "")
        if m := re.match(r"mentioned_comment\.comment_id\((\w+)\)", fields):
            if m.group(1) not in graph.objects:
                return error(400, 100, "Unsupported get request")
            return {"id": object_id, "mentioned_comment": graph.objects[m.group(1)]}
        if m := re.match(r"mentioned_media\.media_id\((\w+)\)", fields):
            found = {k: v for k, v in graph.objects[m.group(1)].items() if k != "comments"}
            return {"id": object_id, "mentioned_media": found}
        if object_id not in graph.objects:
            return error(400, 100, f"Unsupported get request. Object with ID '{object_id}' "
                                   "does not exist")
        found = graph.objects[object_id]
        return {k: v for k, v in found.items() if k not in ("comments", "reactions")}

    @app.get("/v21.0/{object_id}/posts")
    async def posts(object_id: str, request: Request):
        if (await token(request)) != TOKEN:
            return error(400, 190, "Error validating access token")
        if (failed := check(request, f"{object_id}/posts")) is not None:
            return failed
        return JSONResponse(page(request, graph.posts, post_view),
                            headers={"X-App-Usage": '{"call_count":3,"total_time":1,"total_cputime":1}'})

    @app.get("/v21.0/{object_id}/media")
    async def media(object_id: str, request: Request):
        if (await token(request)) != TOKEN:
            return error(400, 190, "Error validating access token")
        return page(request, graph.media, media_view)

    @app.post("/v21.0/{object_id}/{edge}")
    async def create(object_id: str, edge: str, request: Request):
        if (await token(request)) != TOKEN:
            return error(400, 190, "Error validating access token")
        if (failed := check(request, f"{object_id}/{edge}")) is not None:
            return failed
        form = dict(await request.form())
        form.pop("access_token", None)
        if edge in ("comments", "replies") and object_id.startswith("deleted"):
            return error(400, 100, f"Object with ID '{object_id}' does not exist")
        new = graph.new_id()
        graph.sent.append({"to": object_id, "edge": edge, "id": new, **form})
        if edge == "messages":
            return {"recipient_id": "x", "message_id": f"m_{new}"}
        return {"id": new}

    return app
