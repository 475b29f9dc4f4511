"""Creating, finding, changing and deleting users."""

from __future__ import annotations

import re
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from ..documents import {% if cookiecutter.auth == "jwt" %}REVOKED_TOKENS, {% elif cookiecutter.auth == "session" %}SESSIONS, {% endif %}USERS, User, parse_id, utcnow
from ..errors import Conflict, NotFound
from ..mongo import Database
from ..security import Passwords
from .usernames import first_free, username_base

# A derived username lost a race to another request this often before giving up.
DERIVE_ATTEMPTS = 3


async def get_user(db: Database, user_id: str) -> User:
    """The user with this id; a wrong-shaped id is as unknown as a missing one."""
    object_id = parse_id(user_id)
    document = await db[USERS].find_one({"_id": object_id}) if object_id else None
    if document is None:
        raise NotFound("User not found")
    return User.from_document(document)


async def find_by_email(db: Database, email: str) -> User | None:
    document = await db[USERS].find_one({"email": email.lower()})
    return User.from_document(document) if document else None


async def list_users(
    db: Database, *, limit: int, offset: int
) -> tuple[list[User], int]:
    """One page of users, oldest first, and how many there are in all."""
    total = await db[USERS].count_documents({})
    cursor = (
        db[USERS]
        .find()
        .sort([("created_at", ASCENDING), ("_id", ASCENDING)])
        .skip(offset)
        .limit(limit)
    )
    return [User.from_document(document) async for document in cursor], total


async def create_user(
    db: Database,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    username: str | None = None,
) -> User:
    email = email.lower()
    await _ensure_email_free(db, email)
    if username is not None:
        await _ensure_username_free(db, username)
    now = utcnow()
    document: dict[str, Any] = {
        "email": email,
        "password_hash": await passwords.hash(password),
        "is_active": True,
        "created_at": now,
        "updated_at": now,
    }
    for _ in range(DERIVE_ATTEMPTS if username is None else 1):
        document["username"] = username or await derive_username(db, email)
        document.pop("_id", None)
        try:
            await db[USERS].insert_one(document)
        except DuplicateKeyError as exc:
            # A derived name taken by a concurrent request is derived again.
            if username is not None or _duplicate_field(exc) != "username":
                raise _conflict(exc) from None
            continue
        return User.from_document(document)
    raise Conflict("Username is already taken")


async def update_user(
    db: Database,
    passwords: Passwords,
    user: User,
    *,
    email: str | None = None,
    username: str | None = None,
    password: str | None = None,
) -> User:
    changes: dict[str, Any] = {}
    if email is not None and email.lower() != user.email:
        await _ensure_email_free(db, email.lower())
        changes["email"] = email.lower()
    if username is not None and username != user.username:
        await _ensure_username_free(db, username)
        changes["username"] = username
    if password is not None:
        changes["password_hash"] = await passwords.hash(password)
    if not changes:
        return user
    changes["updated_at"] = utcnow()
    try:
        document = await db[USERS].find_one_and_update(
            {"_id": parse_id(user.id)},
            {"$set": changes},
            return_document=ReturnDocument.AFTER,
        )
    except DuplicateKeyError as exc:
        # Two requests can race past the checks above; the unique indexes decide.
        raise _conflict(exc) from None
    if document is None:
        raise NotFound("User not found")
    return User.from_document(document)


async def set_password_hash(db: Database, user: User, password_hash: str) -> None:
    await db[USERS].update_one(
        {"_id": parse_id(user.id)}, {"$set": {"password_hash": password_hash}}
    )
    user.password_hash = password_hash


async def delete_user(db: Database, user: User) -> None:
    """Delete the user and everything that belongs to them."""
    # Imported here, not at the top: the resources it lists use this module.
    from ..registry import RESOURCES

    user_id = parse_id(user.id)
    await db[USERS].delete_one({"_id": user_id})
    for resource in RESOURCES:
        if resource.owner_field is not None:
            await db[resource.name].delete_many({resource.owner_field: user_id})
{%- if cookiecutter.auth == "jwt" %}
    await db[REVOKED_TOKENS].delete_many({"user_id": user_id})
{%- elif cookiecutter.auth == "session" %}
    await db[SESSIONS].delete_many({"user_id": user_id})
{%- endif %}


async def derive_username(db: Database, email: str) -> str:
    """The email's local part, cleaned, padded to 3 and made unique with a number."""
    base = username_base(email)
    # An anchored prefix match, which the username index serves.
    prefix = {"username": {"$regex": f"^{re.escape(base)}"}}
    taken = set(await db[USERS].distinct("username", prefix))
    return first_free(base, taken)


async def _ensure_email_free(db: Database, email: str) -> None:
    if await db[USERS].find_one({"email": email}, {"_id": 1}) is not None:
        raise Conflict("Email is already registered")


async def _ensure_username_free(db: Database, username: str) -> None:
    if await db[USERS].find_one({"username": username}, {"_id": 1}) is not None:
        raise Conflict("Username is already taken")


def _duplicate_field(exc: DuplicateKeyError) -> str | None:
    """The field whose unique index refused the write, when the server says."""
    pattern = (exc.details or {}).get("keyPattern") or {}
    return next(iter(pattern), None)


def _conflict(exc: DuplicateKeyError) -> Conflict:
    field = _duplicate_field(exc)
    if field == "email":
        return Conflict("Email is already registered")
    if field == "username":
        return Conflict("Username is already taken")
    return Conflict("Email or username is already taken")
