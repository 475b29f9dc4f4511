"""What a note is on the wire: the body that creates one, and the answers."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ...schemas import Input, Output, Timestamp

ObjectIdHex = Annotated[str, Field(pattern="^[0-9a-f]{24}$")]


class NoteCreate(Input):
    text: Annotated[str, Field(min_length=1, max_length=200)]


class Note(Output):
    id: ObjectIdHex
    owner_id: ObjectIdHex
    text: str
    created_at: Timestamp

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Note:
        return cls(
            id=str(document["_id"]),
            owner_id=str(document["owner_id"]),
            text=document["text"],
            created_at=document["created_at"],
        )


class NotePage(Output):
    items: list[Note]
