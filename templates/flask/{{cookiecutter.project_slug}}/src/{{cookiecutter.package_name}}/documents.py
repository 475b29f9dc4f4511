"""The documents this project keeps in MongoDB, as typed objects for the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId

Document = dict[str, Any]

# The server's skip and limit are 64-bit: a larger offset is refused before any query.
MAX_INT = 2**63 - 1


def utcnow() -> datetime:
    # BSON dates keep milliseconds; cutting the rest here means what is answered now
    # equals what is read back later.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def object_id(value: str) -> ObjectId | None:
    """The ObjectId a path or a token names; None when it has the wrong shape."""
    if len(value) != 24 or not ObjectId.is_valid(value):
        return None
    return ObjectId(value)


@dataclass
class User:
    """A user as the services see it; `id` is the ObjectId's 24 hex characters."""

    id: str
    email: str
    username: str
    password_hash: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_document(cls, document: Document) -> User:
        return cls(
            id=str(document["_id"]),
            email=document["email"],
            username=document["username"],
            password_hash=document["password_hash"],
            is_active=document["is_active"],
            created_at=document["created_at"],
            updated_at=document["updated_at"],
        )
{%- if cookiecutter.auth == "session" %}


@dataclass
class UserSession:
    """A signed-in browser; the id is a keyed hash of the cookie, never the cookie."""

    id: str
    user_id: str
    created_at: datetime
    expires_at: datetime

    @classmethod
    def from_document(cls, document: Document) -> UserSession:
        return cls(
            id=document["_id"],
            user_id=str(document["user_id"]),
            created_at=document["created_at"],
            expires_at=document["expires_at"],
        )
{%- endif %}
