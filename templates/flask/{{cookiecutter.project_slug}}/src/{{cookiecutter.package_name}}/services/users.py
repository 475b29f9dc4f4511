{%- if cookiecutter.database == "mongodb" %}{% include "mongodb/services/users.py" %}{% else -%}
"""Creating, finding, changing and deleting users."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound
from ..models import MAX_INT, User
from ..security import passwords
from .usernames import first_free, username_base

# Session.get builds its query afresh on every call, which costs more than running it;
# reads are the hot path, so this one is built once.
USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


def get_user(session: Session, user_id: int) -> User:
    if not 0 < user_id <= MAX_INT:
        raise NotFound("User not found")
    # As in Session.get, the identity map answers first: a signed-in caller reading
    # themselves is loaded already.
    user = session.identity_map.get(session.identity_key(User, user_id))
    if not isinstance(user, User):
        user = session.scalar(USER_BY_ID, {"user_id": user_id})
    if user is None:
        raise NotFound("User not found")
    return user


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.lower()))


def list_users(session: Session, *, limit: int, offset: int) -> tuple[list[User], int]:
    """One page of users, oldest first, and how many there are in all."""
    total = session.scalar(select(func.count()).select_from(User)) or 0
    page = session.scalars(
        select(User).order_by(User.created_at, User.id).limit(limit).offset(offset)
    )
    return list(page), total


def create_user(
    session: Session, *, email: str, password: str, username: str | None = None
) -> User:
    email = email.lower()
    _ensure_email_free(session, email)
    if username is None:
        username = derive_username(session, email)
    else:
        _ensure_username_free(session, username)
    user = User(email=email, username=username, password_hash=passwords.hash(password))
    session.add(user)
    _commit(session)
    return user


def update_user(
    session: Session,
    user: User,
    *,
    email: str | None = None,
    username: str | None = None,
    password: str | None = None,
) -> User:
    if email is not None and email.lower() != user.email:
        _ensure_email_free(session, email.lower())
        user.email = email.lower()
    if username is not None and username != user.username:
        _ensure_username_free(session, username)
        user.username = username
    if password is not None:
        user.password_hash = passwords.hash(password)
    _commit(session)
    return user


def delete_user(session: Session, user: User) -> None:
    # The database cascades the delete to everything the user owns.
    session.delete(user)
    session.commit()


def derive_username(session: Session, email: str) -> str:
    """The email's local part, cleaned, padded to 3 and made unique with a number."""
    base = username_base(email)
    taken = set(
        session.scalars(
            select(User.username).where(User.username.startswith(base, autoescape=True))
        )
    )
    return first_free(base, taken)


def _ensure_email_free(session: Session, email: str) -> None:
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("Email is already registered")


def _ensure_username_free(session: Session, username: str) -> None:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("Username is already taken")


def _commit(session: Session) -> None:
    # Two requests can race past the checks above; the unique indexes decide.
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("Email or username is already taken") from None
{% endif %}