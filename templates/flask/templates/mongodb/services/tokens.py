"""JWT access tokens: issuing, checking and revoking them server-side."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import jwt
from pymongo.database import Database

from ..db import REVOKED_TOKENS
from ..documents import Document, User, object_id
from ..errors import Unauthorized
from . import users

# Pinned: a token signed with anything else, "none" included, is rejected.
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "jti"]


def issue(user: User, secret: str, expires_in: int, now: datetime) -> str:
    claims = {
        "sub": user.id,
        "iat": now,
        "exp": now + timedelta(seconds=expires_in),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def authenticate(
    database: Database[Document], token: str, secret: str
) -> tuple[User, dict[str, Any]]:
    """The user a valid, unrevoked token names, with the token's claims."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
    except jwt.InvalidTokenError:
        raise Unauthorized("Invalid or expired token") from None
    if database[REVOKED_TOKENS].find_one({"_id": str(claims["jti"])}) is not None:
        raise Unauthorized("Token has been revoked")
    user = users.find_by_id(database, str(claims["sub"]))
    if user is None or not user.is_active:
        raise Unauthorized("Invalid or expired token")
    return user, claims


def revoke(database: Database[Document], claims: dict[str, Any], now: datetime) -> None:
    """Refuse this token from now until it would have expired anyway."""
    revoked = {
        "expires_at": datetime.fromtimestamp(claims["exp"], now.tzinfo),
        # Kept so that deleting the user deletes this record too.
        "user_id": object_id(str(claims["sub"])),
    }
    # An upsert: logging out twice at once with one token is not an error.
    database[REVOKED_TOKENS].update_one(
        {"_id": str(claims["jti"])}, {"$setOnInsert": revoked}, upsert=True
    )
