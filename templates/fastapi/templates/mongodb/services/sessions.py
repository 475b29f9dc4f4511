"""Server-side sessions, stored in MongoDB under a keyed hash of the cookie."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..documents import SESSIONS, USERS, User, UserSession, parse_id
from ..errors import Unauthorized
from ..mongo import Database
from .credentials import new_session, session_id


async def start(
    db: Database, user: User, secret: str, lifetime: int, now: datetime
) -> str:
    """Open a session for `user` and return the opaque id for the cookie."""
    token, stored_id = new_session(secret)
    # A TTL index on `expires_at` removes the session once it has expired.
    await db[SESSIONS].insert_one(
        {
            "_id": stored_id,
            "user_id": parse_id(user.id),
            "created_at": now,
            "expires_at": now + timedelta(seconds=lifetime),
        }
    )
    return token


async def authenticate(
    db: Database, token: str, secret: str, now: datetime
) -> tuple[User, UserSession]:
    """The user behind a live session cookie, with the session itself."""
    document = await db[SESSIONS].find_one({"_id": session_id(token, secret)})
    # The TTL monitor runs about once a minute: an expired session may linger.
    if document is None or document["expires_at"] <= now:
        raise Unauthorized("Session expired or signed out")
    row = UserSession.from_document(document)
    found = await db[USERS].find_one({"_id": row.user_id})
    user = User.from_document(found) if found else None
    if user is None or not user.is_active:
        raise Unauthorized()
    return user, row


async def end(db: Database, row: UserSession) -> None:
    await db[SESSIONS].delete_one({"_id": row.id})
