"""The notes routes: a signed-in user writes notes and reads their own."""

from __future__ import annotations

from typing import Annotated

from bson import ObjectId
from fastapi import APIRouter, Depends, Path, Request, Response, status

from ...dependencies import CurrentUser, DbSession, get_current_user
from ...documents import utcnow
from ...errors import BODY_ERRORS, NotFound, Unauthorized, error_responses
from ...web import JSONRoute
from .schemas import Note, NoteCreate, NotePage

NOTES = "notes"

router = APIRouter(
    prefix="/api/notes",
    tags=["notes"],
    route_class=JSONRoute,
    dependencies=[Depends(get_current_user)],
)
NoteId = Annotated[
    str, Path(alias="id", json_schema_extra={"pattern": "^[0-9a-f]{24}$"})
]


@router.post(
    "",
    summary="Write a note",
    operation_id="createNote",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(*BODY_ERRORS, Unauthorized),
)
async def create_note(
    data: NoteCreate,
    user: CurrentUser,
    db: DbSession,
    request: Request,
    response: Response,
) -> Note:
    document = {
        "owner_id": ObjectId(user.id),
        "text": data.text,
        "created_at": utcnow(),
    }
    result = await db[NOTES].insert_one(document)
    document["_id"] = result.inserted_id
    response.headers["Location"] = request.app.url_path_for(
        "read_note", id=str(result.inserted_id)
    )
    return Note.from_document(document)


@router.get(
    "",
    summary="Your notes",
    operation_id="listNotes",
    responses=error_responses(Unauthorized),
)
async def list_notes(user: CurrentUser, db: DbSession) -> NotePage:
    cursor = db[NOTES].find({"owner_id": ObjectId(user.id)}).sort("_id", 1)
    return NotePage(items=[Note.from_document(d) async for d in cursor])


@router.get(
    "/{id}",
    summary="Read one of your notes",
    operation_id="getNote",
    responses=error_responses(Unauthorized, NotFound),
)
async def read_note(id: NoteId, user: CurrentUser, db: DbSession) -> Note:
    found = None
    if ObjectId.is_valid(id) and len(id) == 24:
        query = {"_id": ObjectId(id), "owner_id": ObjectId(user.id)}
        found = await db[NOTES].find_one(query)
    if found is None:
        raise NotFound("Note not found")
    return Note.from_document(found)
