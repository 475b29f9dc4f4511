"""Server-side sessions, stored in MongoDB under a keyed hash of the cookie."""

from __future__ import annotations

from datetime import datetime, timedelta

from bson import ObjectId
from pymongo.database import Database

from ..db import SESSIONS
from ..documents import Document, User, UserSession
from ..errors import Unauthorized
from . import users
from .credentials import new_session, session_id


def start(
    database: Database[Document],
    user: User,
    secret: str,
    lifetime: int,
    now: datetime,
) -> str:
    """Open a session for `user` and return the opaque id for the cookie."""
    token, stored_id = new_session(secret)
    database[SESSIONS].insert_one(
        {
            "_id": stored_id,
            "user_id": ObjectId(user.id),
            "created_at": now,
            # A TTL index deletes the session once this moment has passed.
            "expires_at": now + timedelta(seconds=lifetime),
        }
    )
    return token


def authenticate(
    database: Database[Document], token: str, secret: str, now: datetime
) -> tuple[User, UserSession]:
    """The user behind a live session cookie, with the session itself."""
    document = database[SESSIONS].find_one({"_id": session_id(token, secret)})
    # The TTL monitor runs about once a minute, so expiry is checked here too.
    if document is None or document["expires_at"] <= now:
        raise Unauthorized("Session expired or signed out")
    row = UserSession.from_document(document)
    user = users.find_by_id(database, str(row.user_id))
    if user is None or not user.is_active:
        raise Unauthorized()
    return user, row


def end(database: Database[Document], row: UserSession) -> None:
    database[SESSIONS].delete_one({"_id": row.id})
