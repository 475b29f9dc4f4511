"""The documents this project keeps in MongoDB, as typed objects for the services."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, Self

from bson import ObjectId
{%- if cookiecutter._framework == "fastapi" and cookiecutter.auth != "none" %}

# The login failures' TTL index keeps them as long as the rate limit counts them.
from .services.credentials import WINDOW as WINDOW
{%- endif %}

Document = dict[str, Any]
{%- if cookiecutter._framework == "fastapi" %}

USERS = "users"
{%- if cookiecutter.auth == "jwt" %}
REVOKED_TOKENS = "revoked_tokens"
{%- elif cookiecutter.auth == "session" %}
SESSIONS = "sessions"
{%- endif %}
{%- if cookiecutter.auth != "none" %}
LOGIN_FAILURES = "login_failures"
{%- endif %}
{%- endif %}

# The largest integer BSON stores: a larger offset can only overflow the driver, so
# it is refused before any query.
MAX_INT = 2**63 - 1
OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")


def utcnow() -> datetime:
    """Now in UTC, to the millisecond: what MongoDB stores, so it reads back equal."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)

{% if cookiecutter._framework == "flask" %}
def object_id(value: str) -> ObjectId | None:
{%- else %}
def parse_id(value: str) -> ObjectId | None:
{%- endif %}
    """The ObjectId that `value` spells, or None when it has the wrong shape."""
    return ObjectId(value) if OBJECT_ID.fullmatch(value) else None


@dataclass
class Stored:
    """A document as the services see it: `_id` as `id`, and a field for each key."""

    id: str

    @classmethod
    def from_document(cls, document: Document) -> Self:
        values = {field.name: document[field.name] for field in fields(cls)[1:]}
        return cls(str(document["_id"]), **values)


@dataclass
class User(Stored):
    """A user, its ObjectId as its 24 hex characters."""

    email: str
    username: str
    password_hash: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
{%- if cookiecutter.auth == "session" %}


@dataclass
class UserSession(Stored):
    """A signed-in browser; the id is a keyed hash of the cookie, never the cookie."""

    user_id: ObjectId
    created_at: datetime
    expires_at: datetime
{%- endif %}
