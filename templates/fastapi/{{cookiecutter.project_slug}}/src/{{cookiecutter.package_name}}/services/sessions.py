{% if cookiecutter.database == "mongodb" %}{% include "mongodb/services/sessions.py" %}{% else -%}
"""Server-side sessions, stored in the database under a keyed hash of the cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Unauthorized
from ..models import User, UserSession

MAX_COOKIE_LENGTH = 128


def _digest(token: str, secret: str) -> str:
    # A leaked sessions table cannot be replayed, and rotating SECRET_KEY ends them all.
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


async def start(
    session: AsyncSession, user: User, secret: str, lifetime: int, now: datetime
) -> str:
    """Open a session for `user` and return the opaque id for the cookie."""
    token = secrets.token_urlsafe(32)
    await session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    session.add(
        UserSession(
            id=_digest(token, secret),
            user_id=user.id,
            expires_at=now + timedelta(seconds=lifetime),
        )
    )
    await session.commit()
    return token


async def authenticate(
    session: AsyncSession, token: str, secret: str, now: datetime
) -> tuple[User, UserSession]:
    """The user behind a live session cookie, with the session itself."""
    if not token or len(token) > MAX_COOKIE_LENGTH:
        raise Unauthorized()
    row = await session.get(UserSession, _digest(token, secret))
    if row is None or row.expires_at <= now:
        raise Unauthorized("Session expired or signed out")
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthorized()
    return user, row


async def end(session: AsyncSession, row: UserSession) -> None:
    await session.delete(row)
    await session.commit()
{% endif %}