"""Notes: short texts, each belonging to the signed-in user who wrote it."""

from __future__ import annotations

from .. import Resource
from .routes import bp, paths
from .schemas import Note, NoteCreate, NotePage

resource = Resource(
    name="notes",
    blueprint=bp,
    models=(
        (NoteCreate, "validation"),
        (Note, "serialization"),
        (NotePage, "serialization"),
    ),
    paths=paths,
)
