{% if cookiecutter.database == "mongodb" %}{% include "mongodb/services/users.py" %}{% else -%}
"""Creating, finding, changing and deleting users."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Conflict, NotFound
from ..models import MAX_INT, User
from ..security import Passwords
from .usernames import first_free, username_base


async def get_user(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id) if 0 < user_id <= MAX_INT else None
    if user is None:
        raise NotFound("User not found")
    return user


async def find_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.lower()))


async def list_users(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[User], int]:
    """One page of users, oldest first, and how many there are in all."""
    total = await session.scalar(select(func.count()).select_from(User)) or 0
    page = await session.scalars(
        select(User).order_by(User.created_at, User.id).limit(limit).offset(offset)
    )
    return list(page), total


async def create_user(
    session: AsyncSession,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    username: str | None = None,
) -> User:
    password_hash = await hash_without_a_connection(session, passwords, password)
    email = email.lower()
    await _ensure_email_free(session, email)
    if username is None:
        username = await derive_username(session, email)
    else:
        await _ensure_username_free(session, username)
    user = User(email=email, username=username, password_hash=password_hash)
    session.add(user)
    await _commit(session)
    return user


async def update_user(
    session: AsyncSession,
    passwords: Passwords,
    user: User,
    *,
    email: str | None = None,
    username: str | None = None,
    password: str | None = None,
) -> User:
    if password is not None:
        user.password_hash = await hash_without_a_connection(
            session, passwords, password
        )
    if email is not None and email.lower() != user.email:
        await _ensure_email_free(session, email.lower())
        user.email = email.lower()
    if username is not None and username != user.username:
        await _ensure_username_free(session, username)
        user.username = username
    await _commit(session)
    return user


async def hash_without_a_connection(
    session: AsyncSession, passwords: Passwords, password: str
) -> str:
    """Hash a password with the session's connection back in the pool.

    A hash takes a worker thread a good part of a second under load; holding a pooled
    connection meanwhile lets a burst of sign-ups drain the pool into 503s. Ending the
    transaction first is safe: nothing is written yet, and objects stay loaded.
    """
    await session.commit()
    return await passwords.hash(password)


async def delete_user(session: AsyncSession, user: User) -> None:
    # The database cascades the delete to everything the user owns.
    await session.delete(user)
    await session.commit()


async def derive_username(session: AsyncSession, email: str) -> str:
    """The email's local part, cleaned, padded to 3 and made unique with a number."""
    base = username_base(email)
    taken = set(
        await session.scalars(
            select(User.username).where(User.username.startswith(base, autoescape=True))
        )
    )
    return first_free(base, taken)


async def _ensure_email_free(session: AsyncSession, email: str) -> None:
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("Email is already registered")


async def _ensure_username_free(session: AsyncSession, username: str) -> None:
    taken = await session.scalar(select(User.id).where(User.username == username))
    if taken is not None:
        raise Conflict("Username is already taken")


async def _commit(session: AsyncSession) -> None:
    # Two requests can race past the checks above; the unique indexes decide.
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise Conflict("Email or username is already taken") from None
{% endif %}