"""What a note is on the wire: the body that creates one, and the answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from ...schemas import Input, Output, Timestamp


class NoteCreate(Input):
    text: Annotated[str, Field(min_length=1, max_length=200)]


class Note(Output):
    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    text: str
    created_at: Timestamp


class NotePage(Output):
    items: list[Note]
