"""The documents this project stores in MongoDB, with their collections and ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime{% if cookiecutter.auth != "none" %}, timedelta{% endif %}
from typing import Any

from bson import ObjectId

USERS = "users"
{%- if cookiecutter.auth == "jwt" %}
REVOKED_TOKENS = "revoked_tokens"
{%- elif cookiecutter.auth == "session" %}
SESSIONS = "sessions"
{%- endif %}
{%- if cookiecutter.auth != "none" %}
LOGIN_FAILURES = "login_failures"
# How long a failed login counts against its client.
WINDOW = timedelta(minutes=1)
{%- endif %}

# The largest integer BSON stores: a larger offset can only overflow the driver, so
# it is refused before any query.
MAX_INT = 2**63 - 1
OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")


def utcnow() -> datetime:
    """Now in UTC, to the millisecond: what MongoDB stores, so it reads back equal."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def parse_id(value: str) -> ObjectId | None:
    """The ObjectId that `value` spells, or None when it has the wrong shape."""
    return ObjectId(value) if OBJECT_ID.fullmatch(value) else None


@dataclass
class User:
    """A user as stored in the `users` collection, its ObjectId as hex text."""

    id: str
    email: str
    username: str
    password_hash: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> User:
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
    user_id: ObjectId
    created_at: datetime
    expires_at: datetime

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> UserSession:
        return cls(
            id=document["_id"],
            user_id=document["user_id"],
            created_at=document["created_at"],
            expires_at=document["expires_at"],
        )
{%- endif %}
