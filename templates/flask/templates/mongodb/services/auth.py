"""Checking a user's email and password."""

from __future__ import annotations

from bson import ObjectId
from pymongo.database import Database

from ..db import USERS
from ..documents import Document, User
from ..errors import InvalidCredentials
from ..security import passwords
from . import users


def authenticate(database: Database[Document], email: str, password: str) -> User:
    """The active user with these credentials; the same error for any mismatch."""
    user = users.find_by_email(database, email)
    if user is None:
        passwords.waste_time(password)
        raise InvalidCredentials()
    if not passwords.verify(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        # Hashes made with older parameters are upgraded while the password is known.
        user.password_hash = passwords.hash(password)
        database[USERS].update_one(
            {"_id": ObjectId(user.id)}, {"$set": {"password_hash": user.password_hash}}
        )
    return user
