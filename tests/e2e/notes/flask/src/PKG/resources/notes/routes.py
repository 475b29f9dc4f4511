"""The notes routes: a signed-in user writes notes and reads their own."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
from sqlalchemy import select

from ...api.guards import current_user, login_required
from ...db import db
from ...errors import NotFound
from ...openapi import ID_PARAMETER, answer, operation
from ...web import json_body
from .models import NoteRow
from .schemas import Note, NoteCreate, NotePage

bp = Blueprint("notes", __name__, url_prefix="/api/notes")


def _json(row: NoteRow) -> dict[str, Any]:
    return Note.model_validate(row).model_dump(mode="json")


@bp.post("")
@login_required
def create_note() -> tuple[dict[str, Any], int, dict[str, str]]:
    data = json_body(NoteCreate)
    row = NoteRow(owner_id=current_user().id, text=data.text)
    db.session.add(row)
    db.session.commit()
    return _json(row), 201, {"Location": url_for("notes.get_note", note_id=row.id)}


@bp.get("")
@login_required
def list_notes() -> dict[str, Any]:
    rows = db.session.scalars(
        select(NoteRow)
        .where(NoteRow.owner_id == current_user().id)
        .order_by(NoteRow.id)
    )
    return NotePage(items=[Note.model_validate(row) for row in rows]).model_dump(
        mode="json"
    )


@bp.get("/<int:note_id>")
@login_required
def get_note(note_id: int) -> dict[str, Any]:
    row = db.session.get(NoteRow, note_id)
    if row is None or row.owner_id != current_user().id:
        raise NotFound("Note not found")
    return _json(row)


def paths() -> dict[str, Any]:
    note = answer(Note, "The note.")
    return {
        "/api/notes": {
            "get": operation(
                "listNotes", "Your notes", {"200": answer(NotePage, "Your notes.")}, ()
            ),
            "post": operation(
                "createNote",
                "Write a note",
                {"201": note},
                (),
                body=NoteCreate,
            ),
        },
        "/api/notes/{id}": {
            "get": operation(
                "getNote",
                "Read one of your notes",
                {"200": note},
                (NotFound,),
                parameters=[ID_PARAMETER],
            )
        },
    }
