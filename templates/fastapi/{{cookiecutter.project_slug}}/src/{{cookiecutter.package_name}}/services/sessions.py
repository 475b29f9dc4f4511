{% if cookiecutter.database == "mongodb" %}{% include "mongodb/services/sessions.py" %}{% else -%}
"""Server-side sessions, stored in the database under a keyed hash of the cookie."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Unauthorized
from ..models import User, UserSession
from .credentials import new_session, session_id


async def start(
    session: AsyncSession, user: User, secret: str, lifetime: int, now: datetime
) -> str:
    """Open a session for `user` and return the opaque id for the cookie."""
    token, stored_id = new_session(secret)
    await session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    session.add(
        UserSession(
            id=stored_id,
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
    row = await session.get(UserSession, session_id(token, secret))
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