{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""JWT access tokens: issuing, checking and revoking them server-side."""

from __future__ import annotations

from datetime import datetime
from typing import Any
{% if cookiecutter.database == "mongodb" %}
from pymongo.database import Database

from ..db import REVOKED_TOKENS
from ..documents import Document, User, object_id
from ..errors import Unauthorized
from . import credentials, users
{%- else %}
from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.orm import Session

from ..errors import Unauthorized
from ..models import MAX_INT, RevokedToken, User
from . import credentials
{%- endif %}
{%- if cookiecutter.database != "mongodb" %}

# Every authenticated request runs this: one round trip, and a statement built once
# (building it per request costs more than running it).
UNREVOKED_USER = select(User).where(
    User.id == bindparam("user_id"),
    ~exists().where(RevokedToken.jti == bindparam("jti")),
)
{%- endif %}


def issue(user: User, secret: str, expires_in: int, now: datetime) -> str:
    return credentials.encode(str(user.id), secret, expires_in, now)


def authenticate(
    {{ session }}: {{ Session }}, token: str, secret: str
) -> tuple[User, dict[str, Any]]:
    """The user a valid, unrevoked token names, with the token's claims."""
    claims = credentials.decode(token, secret)
{%- if cookiecutter.database == "mongodb" %}
    if database[REVOKED_TOKENS].find_one({"_id": str(claims["jti"])}) is not None:
        raise Unauthorized("Token has been revoked")
    user = users.find_by_id(database, str(claims["sub"]))
{%- else %}
    subject, jti = str(claims["sub"]), str(claims["jti"])
    valid_id = subject.isascii() and subject.isdigit() and int(subject) <= MAX_INT
    user = (
        session.scalar(UNREVOKED_USER, {"user_id": int(subject), "jti": jti})
        if valid_id
        else None
    )
    if user is None and session.get(RevokedToken, jti) is not None:
        raise Unauthorized("Token has been revoked")
{%- endif %}
    if user is None or not user.is_active:
        raise Unauthorized("Invalid or expired token")
    return user, claims


def revoke({{ session }}: {{ Session }}, claims: dict[str, Any], now: datetime) -> None:
    """Refuse this token from now until it would have expired anyway."""
{%- if cookiecutter.database == "mongodb" %}
    revoked = {
        "expires_at": datetime.fromtimestamp(claims["exp"], now.tzinfo),
        # Kept so that deleting the user deletes this record too.
        "user_id": object_id(str(claims["sub"])),
    }
    # An upsert: logging out twice at once with one token is not an error.
    database[REVOKED_TOKENS].update_one(
        {"_id": str(claims["jti"])}, {"$setOnInsert": revoked}, upsert=True
    )
{%- else %}
    expires_at = datetime.fromtimestamp(claims["exp"], now.tzinfo)
    session.execute(delete(RevokedToken).where(RevokedToken.expires_at <= now))
    session.add(RevokedToken(jti=str(claims["jti"]), expires_at=expires_at))
    session.commit()
{%- endif %}
