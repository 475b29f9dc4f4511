{%- if cookiecutter.database == "mongodb" %}{% include "mongodb/services/sessions.py" %}{% else -%}
"""Server-side sessions, stored in the database under a keyed hash of the cookie."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from ..errors import Unauthorized
from ..models import User, UserSession
from .credentials import new_session, session_id

# Every authenticated request runs this: one round trip, and a statement built once
# (building it per request costs more than running it).
SESSION_WITH_USER = (
    select(UserSession, User)
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.id == bindparam("id"))
)


def start(
    session: Session, user: User, secret: str, lifetime: int, now: datetime
) -> str:
    """Open a session for `user` and return the opaque id for the cookie."""
    token, stored_id = new_session(secret)
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    session.add(
        UserSession(
            id=stored_id,
            user_id=user.id,
            expires_at=now + timedelta(seconds=lifetime),
        )
    )
    session.commit()
    return token


def authenticate(
    session: Session, token: str, secret: str, now: datetime
) -> tuple[User, UserSession]:
    """The user behind a live session cookie, with the session itself."""
    digest = session_id(token, secret)
    found = session.execute(SESSION_WITH_USER, {"id": digest}).first()
    if found is None or found[0].expires_at <= now:
        raise Unauthorized("Session expired or signed out")
    row, user = found
    if not user.is_active:
        raise Unauthorized()
    return user, row


def end(session: Session, row: UserSession) -> None:
    session.delete(row)
    session.commit()
{% endif %}