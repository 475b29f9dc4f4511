"""Checking a user's email and password."""

from __future__ import annotations

from ..documents import User
from ..errors import InvalidCredentials
from ..mongo import Database
from ..security import Passwords
from . import users


async def authenticate(
    db: Database, passwords: Passwords, email: str, password: str
) -> User:
    """The active user with these credentials; the same error for any mismatch."""
    user = await users.find_by_email(db, email)
    if user is None:
        await passwords.waste_time(password)
        raise InvalidCredentials()
    if not await passwords.verify(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        # Hashes made with older parameters are upgraded while the password is known.
        await users.set_password_hash(db, user, await passwords.hash(password))
    return user
