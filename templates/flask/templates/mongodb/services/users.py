"""Creating, finding, changing and deleting users."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bson import ObjectId
from pymongo import ASCENDING
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from ..db import {% if cookiecutter.auth == "jwt" %}REVOKED_TOKENS, {% elif cookiecutter.auth == "session" %}SESSIONS, {% endif %}USERS
from ..documents import Document, User, object_id, utcnow
from ..errors import Conflict, NotFound
from ..security import passwords
from .usernames import first_free, username_base


def get_user(database: Database[Document], user_id: str) -> User:
    user = find_by_id(database, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def find_by_id(database: Database[Document], user_id: str) -> User | None:
    """The user with this id; None for an unknown id or one of the wrong shape."""
    oid = object_id(user_id)
    document = database[USERS].find_one({"_id": oid}) if oid is not None else None
    return User.from_document(document) if document is not None else None


def find_by_email(database: Database[Document], email: str) -> User | None:
    document = database[USERS].find_one({"email": email.lower()})
    return User.from_document(document) if document is not None else None


def list_users(
    database: Database[Document], *, limit: int, offset: int
) -> tuple[list[User], int]:
    """One page of users, oldest first, and how many there are in all."""
    total = database[USERS].count_documents({})
    page = (
        database[USERS]
        .find()
        .sort([("created_at", ASCENDING), ("_id", ASCENDING)])
        .skip(offset)
        .limit(limit)
    )
    return [User.from_document(document) for document in page], total


def create_user(
    database: Database[Document],
    *,
    email: str,
    password: str,
    username: str | None = None,
) -> User:
    email = email.lower()
    _ensure_email_free(database, email)
    if username is None:
        username = derive_username(database, email)
    else:
        _ensure_username_free(database, username)
    now = utcnow()
    document: Document = {
        "email": email,
        "username": username,
        "password_hash": passwords.hash(password),
        "is_active": True,
        "created_at": now,
        "updated_at": now,
    }
    _write(lambda: database[USERS].insert_one(document))
    return User.from_document(document)


def update_user(
    database: Database[Document],
    user: User,
    *,
    email: str | None = None,
    username: str | None = None,
    password: str | None = None,
) -> User:
    changes: dict[str, Any] = {}
    if email is not None and email.lower() != user.email:
        _ensure_email_free(database, email.lower())
        changes["email"] = email.lower()
    if username is not None and username != user.username:
        _ensure_username_free(database, username)
        changes["username"] = username
    if password is not None:
        changes["password_hash"] = passwords.hash(password)
    if changes:
        changes["updated_at"] = utcnow()
        query = {"_id": ObjectId(user.id)}
        _write(lambda: database[USERS].update_one(query, {"$set": changes}))
        for name, value in changes.items():
            setattr(user, name, value)
    return user


def delete_user(database: Database[Document], user: User) -> None:
    # MongoDB has no cascades: what the user owns goes with them here.
    # Imported here, not at the top: the resources it lists use this module.
    from ..registry import RESOURCES

    user_id = ObjectId(user.id)
    database[USERS].delete_one({"_id": user_id})
    for resource in RESOURCES:
        if resource.owner_field is not None:
            database[resource.name].delete_many({resource.owner_field: user_id})
{%- if cookiecutter.auth == "session" %}
    database[SESSIONS].delete_many({"user_id": user_id})
{%- elif cookiecutter.auth == "jwt" %}
    database[REVOKED_TOKENS].delete_many({"user_id": user_id})
{%- endif %}


def derive_username(database: Database[Document], email: str) -> str:
    """The email's local part, cleaned, padded to 3 and made unique with a number."""
    base = username_base(email)
    # An anchored prefix match uses the username index.
    similar = database[USERS].find(
        {"username": {"$regex": "^" + re.escape(base)}}, {"username": True}
    )
    taken = {document["username"] for document in similar}
    return first_free(base, taken)


def _ensure_email_free(database: Database[Document], email: str) -> None:
    if database[USERS].find_one({"email": email}, {"_id": True}) is not None:
        raise Conflict("Email is already registered")


def _ensure_username_free(database: Database[Document], username: str) -> None:
    if database[USERS].find_one({"username": username}, {"_id": True}) is not None:
        raise Conflict("Username is already taken")


def _write(operation: Callable[[], object]) -> None:
    # Two requests can race past the checks above; the unique indexes decide.
    try:
        operation()
    except DuplicateKeyError:
        raise Conflict("Email or username is already taken") from None
