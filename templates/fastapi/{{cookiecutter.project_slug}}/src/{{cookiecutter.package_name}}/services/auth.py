"""Checking a user's email and password."""

from __future__ import annotations
{%- if cookiecutter.database == "mongodb" %}

from ..documents import User
from ..errors import InvalidCredentials
from ..mongo import Database
{%- else %}

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import InvalidCredentials
from ..models import User
{%- endif %}
from ..security import Passwords
from . import users


async def authenticate(
{%- if cookiecutter.database == "mongodb" %}
    db: Database, passwords: Passwords, email: str, password: str
{%- else %}
    session: AsyncSession, passwords: Passwords, email: str, password: str
{%- endif %}
) -> User:
    """The active user with these credentials; the same error for any mismatch."""
{%- if cookiecutter.database == "mongodb" %}
    user = await users.find_by_email(db, email)
{%- else %}
    user = await users.find_by_email(session, email)
    # The pooled connection goes back before the slow hash check; the user stays loaded.
    await session.commit()
{%- endif %}
    if user is None:
        await passwords.waste_time(password)
        raise InvalidCredentials()
    if not await passwords.verify(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials()
    if passwords.needs_rehash(user.password_hash):
        # Hashes made with older parameters are upgraded while the password is known.
{%- if cookiecutter.database == "mongodb" %}
        await users.set_password_hash(db, user, await passwords.hash(password))
{%- else %}
        user.password_hash = await passwords.hash(password)
        await session.commit()
{%- endif %}
    return user
