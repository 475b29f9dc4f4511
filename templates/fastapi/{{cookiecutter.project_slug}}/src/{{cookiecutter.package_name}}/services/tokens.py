{% if cookiecutter.database == "mongodb" %}{% include "mongodb/services/tokens.py" %}{% else -%}
"""JWT access tokens: issuing, checking and revoking them server-side."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Unauthorized
from ..models import MAX_INT, RevokedToken, User

# Pinned: a token signed with anything else, "none" included, is rejected.
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "jti"]


def issue(user: User, secret: str, expires_in: int, now: datetime) -> str:
    claims = {
        "sub": str(user.id),
        "iat": now,
        "exp": now + timedelta(seconds=expires_in),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


async def authenticate(
    session: AsyncSession, token: str, secret: str
) -> tuple[User, dict[str, Any]]:
    """The user a valid, unrevoked token names, with the token's claims."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
    except jwt.InvalidTokenError:
        raise Unauthorized("Invalid or expired token") from None
    if await session.get(RevokedToken, str(claims["jti"])) is not None:
        raise Unauthorized("Token has been revoked")
    subject = str(claims["sub"])
    valid_id = subject.isascii() and subject.isdigit() and int(subject) <= MAX_INT
    user = await session.get(User, int(subject)) if valid_id else None
    if user is None or not user.is_active:
        raise Unauthorized("Invalid or expired token")
    return user, claims


async def revoke(session: AsyncSession, claims: dict[str, Any], now: datetime) -> None:
    """Refuse this token from now until it would have expired anyway."""
    expires_at = datetime.fromtimestamp(claims["exp"], now.tzinfo)
    await session.execute(delete(RevokedToken).where(RevokedToken.expires_at <= now))
    session.add(RevokedToken(jti=str(claims["jti"]), expires_at=expires_at))
    await session.commit()
{% endif %}