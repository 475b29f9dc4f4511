{% if cookiecutter.database == "mongodb" %}{% include "mongodb/services/auth.py" %}{% else -%}
"""Checking a user's email and password."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import InvalidCredentials
from ..models import User
from ..security import Passwords
from . import users


async def authenticate(
    session: AsyncSession, passwords: Passwords, email: str, password: str
) -> User:
    """The active user with these credentials; the same error for any mismatch."""
    user = await users.find_by_email(session, email)
    # The pooled connection goes back before the slow hash check; the user stays loaded.
    await session.commit()
    if user is None:
        await passwords.waste_time(password)
        raise InvalidCredentials()
    if not await passwords.verify(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        # Hashes made with older parameters are upgraded while the password is known.
        user.password_hash = await passwords.hash(password)
        await session.commit()
    return user
{% endif %}