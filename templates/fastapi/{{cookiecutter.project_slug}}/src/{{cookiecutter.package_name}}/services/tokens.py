"""JWT access tokens: issuing, checking and revoking them server-side."""

from __future__ import annotations

from datetime import datetime
from typing import Any
{% if cookiecutter.database == "mongodb" %}
from ..documents import REVOKED_TOKENS, USERS, User, parse_id
from ..errors import Unauthorized
from ..mongo import Database
from . import credentials
{%- else %}
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Unauthorized
from ..models import MAX_INT, RevokedToken, User
from . import credentials
{%- endif %}


def issue(user: User, secret: str, expires_in: int, now: datetime) -> str:
    return credentials.encode(str(user.id), secret, expires_in, now)


async def authenticate(
{%- if cookiecutter.database == "mongodb" %}
    db: Database, token: str, secret: str
{%- else %}
    session: AsyncSession, token: str, secret: str
{%- endif %}
) -> tuple[User, dict[str, Any]]:
    """The user a valid, unrevoked token names, with the token's claims."""
    claims = credentials.decode(token, secret)
{%- if cookiecutter.database == "mongodb" %}
    if await db[REVOKED_TOKENS].find_one({"_id": str(claims["jti"])}) is not None:
        raise Unauthorized("Token has been revoked")
    user_id = parse_id(str(claims["sub"]))
    found = await db[USERS].find_one({"_id": user_id}) if user_id else None
    user = User.from_document(found) if found else None
{%- else %}
    if await session.get(RevokedToken, str(claims["jti"])) is not None:
        raise Unauthorized("Token has been revoked")
    subject = str(claims["sub"])
    valid_id = subject.isascii() and subject.isdigit() and int(subject) <= MAX_INT
    user = await session.get(User, int(subject)) if valid_id else None
{%- endif %}
    if user is None or not user.is_active:
        raise Unauthorized("Invalid or expired token")
    return user, claims
{%- if cookiecutter.database == "mongodb" %}


async def revoke(db: Database, claims: dict[str, Any], now: datetime) -> None:
{%- else %}


async def revoke(session: AsyncSession, claims: dict[str, Any], now: datetime) -> None:
{%- endif %}
    """Refuse this token from now until it would have expired anyway."""
    expires_at = datetime.fromtimestamp(claims["exp"], now.tzinfo)
{%- if cookiecutter.database == "mongodb" %}
    # A TTL index on `expires_at` forgets the token once it could not be used anyway;
    # an upsert, so that two logouts at once both succeed.
    await db[REVOKED_TOKENS].update_one(
        {"_id": str(claims["jti"])},
        {
            "$setOnInsert": {
                # Kept so that deleting the user deletes its revocations too.
                "user_id": parse_id(str(claims["sub"])),
                "expires_at": expires_at,
            }
        },
        upsert=True,
    )
{%- else %}
    await session.execute(delete(RevokedToken).where(RevokedToken.expires_at <= now))
    session.add(RevokedToken(jti=str(claims["jti"]), expires_at=expires_at))
    await session.commit()
{%- endif %}
