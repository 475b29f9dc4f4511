"""Notes: short texts, each belonging to the signed-in user who wrote it."""

from __future__ import annotations

from pymongo import ASCENDING, IndexModel

from .. import Resource
from .routes import NOTES, router

resource = Resource(
    name=NOTES,
    router=router,
    # A user's notes, in the order they were written.
    indexes=(
        IndexModel(
            [("owner_id", ASCENDING), ("_id", ASCENDING)], name="ix_notes_owner"
        ),
    ),
    validator={
        "$jsonSchema": {
            "bsonType": "object",
            "required": ["owner_id", "text", "created_at"],
            "properties": {
                "owner_id": {"bsonType": "objectId"},
                "text": {"bsonType": "string", "minLength": 1, "maxLength": 200},
                "created_at": {"bsonType": "date"},
            },
        }
    },
    owner_field="owner_id",
)
