"""People pages: search the book, a person's card and its edits, importing a CSV with a preview."""
from __future__ import annotations

import base64
import binascii
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile

from sociable.ingest.errors import ImportFailed
from sociable.ingest.people import import_people
from sociable.store import people as people_repo
from sociable.web import actions, views
from sociable.web.auth import Member, Owner, store_of
from sociable.web.pages.account import go
from sociable.web.params import Id, Offset
from sociable.web.render import page

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


@router.get("/people")
def people(request: Request, me: Member, q: str = "", tier: str = "", offset: Offset = 0):
    with store_of(request).begin() as conn:
        found = people_repo.search(conn, q, tier=tier or None, limit=50, offset=max(offset, 0))
        total = people_repo.count(conn)
    return page(request, "people.html", me, people=[views.person_row(p) for p in found],
                q=q, tier=tier, offset=offset, total=total, title="People")


@router.post("/people")
def create(request: Request, me: Member, name: Text):
    with store_of(request).begin() as conn:
        person_id = actions.new_person(conn, name)
    return go(f"/people/{person_id}")


@router.get("/people/import")
def import_form(request: Request, me: Member):
    return page(request, "import.html", me, title="Import people")


@router.post("/people/import/preview")
def import_preview(request: Request, me: Member,
                   file: Annotated[UploadFile, File()]):
    content = file.file.read(actions.MAX_UPLOAD + 1)
    with store_of(request).begin() as conn:
        preview = actions.with_upload(content, lambda path: actions.preview_people(conn, path))
    # The confirm form carries the file back, so nothing is kept on the server in between.
    return page(request, "import.html", me, title="Import people", preview=preview,
                payload=base64.b64encode(content).decode(), filename=file.filename or "")


@router.post("/people/import/confirm")
def import_confirm(request: Request, me: Member, payload: Text, skip_bad: Text = ""):
    try:
        content = base64.b64decode(payload, validate=True)
    except binascii.Error:
        raise ValueError("the preview was damaged; upload the file again") from None
    try:
        report = actions.with_upload(content, lambda path: import_people(
            store_of(request), path, skip_bad=bool(skip_bad)))
    except ImportFailed as exc:
        return page(request, "import.html", me, title="Import people", status_code=400,
                    error=f"Nothing was imported: {exc}. {exc.hint}")
    return page(request, "import.html", me, title="Import people",
                report=actions.import_report(report))


@router.get("/people/{person_id}")
def person(request: Request, person_id: Id, me: Member, error: str = "", saved: str = ""):
    with store_of(request).begin() as conn:
        card = views.person_card(conn, person_id)
    return page(request, "person.html", me, person=card, title=card["name"], error=error,
                saved=saved)


@router.post("/people/{person_id}")
def edit(request: Request, person_id: Id, me: Member, name: Text = "", email: Text = "",
         phone: Text = "", tier: Text = "", since: Text = "", story: Text = "", notes: Text = "",
         tags: Text = "", birthday: Text = "", anniversary: Text = ""):
    fields = dict(name=name, email=email, phone=phone, tier=tier, since=since, story=story,
                  notes=notes, tags=tags, birthday=birthday, anniversary=anniversary)
    with store_of(request).begin() as conn:
        try:
            actions.edit_person(conn, person_id, {k: v.strip() for k, v in fields.items()
                                                  if v.strip()})
        except ValueError as exc:
            return go(f"/people/{person_id}?error={quote(str(exc))}")
    return go(f"/people/{person_id}?saved=1")


@router.post("/people/{person_id}/links")
def add_link(request: Request, person_id: Id, me: Member, relation: Text, other: Text):
    with store_of(request).begin() as conn:
        try:
            actions.add_link(conn, person_id, relation, other)
        except (ValueError, LookupError) as exc:
            return go(f"/people/{person_id}?error={quote(str(exc))}")
    return go(f"/people/{person_id}?saved=1")


@router.post("/people/{person_id}/erase")
def erase(request: Request, person_id: Id, me: Owner):
    with store_of(request).begin() as conn:
        if people_repo.get(conn, person_id) is None:
            raise LookupError(f"no person with id {person_id}")
        people_repo.erase(conn, person_id)
    return go("/people")
