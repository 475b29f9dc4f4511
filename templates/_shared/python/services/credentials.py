"""The rules of signing in that know neither the framework nor the database."""

from __future__ import annotations
{% if cookiecutter.auth == "session" %}
import hashlib
import hmac
{%- endif %}
import math
{%- if cookiecutter.auth == "session" %}
import secrets
{%- elif cookiecutter.auth == "jwt" %}
import uuid
{%- endif %}
from collections.abc import Sequence
from datetime import datetime, timedelta
{%- if cookiecutter.auth == "jwt" %}
from typing import Any

import jwt
{%- endif %}

from ..exceptions import RateLimited, Unauthorized

# How long a failed login counts against its client.
WINDOW = timedelta(minutes=1)
{%- if cookiecutter.auth == "jwt" %}
# Pinned: a token signed with anything else, "none" included, is rejected.
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "iat", "exp", "jti"]
{%- elif cookiecutter.auth == "session" %}
MAX_COOKIE_LENGTH = 128
{%- endif %}


def ensure_below_limit(failures: Sequence[datetime], limit: int, now: datetime) -> None:
    """Raise RateLimited once a client's `failures` in the window reach `limit`."""
    # `failures` are oldest first: the one that must leave the window is known.
    if len(failures) < limit:
        return
    # Allowed again once enough failures have left the window to drop below limit.
    unblocked_at = failures[len(failures) - limit] + WINDOW
    raise RateLimited(
        retry_after=max(1, math.ceil((unblocked_at - now).total_seconds()))
    )
{%- if cookiecutter.auth == "jwt" %}


def encode(subject: str, secret: str, expires_in: int, now: datetime) -> str:
    """A token for the user `subject`, valid for `expires_in` seconds from `now`."""
    claims = {
        "sub": subject,
        "iat": now,
        "exp": now + timedelta(seconds=expires_in),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode(token: str, secret: str) -> dict[str, Any]:
    """The claims of a token signed with `secret` and still valid; else Unauthorized."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
    except jwt.InvalidTokenError:
        raise Unauthorized("Invalid or expired token") from None
    return claims
{%- elif cookiecutter.auth == "session" %}


def new_session(secret: str) -> tuple[str, str]:
    """A fresh cookie value, and the id its session is stored under."""
    token = secrets.token_urlsafe(32)
    return token, session_id(token, secret)


def session_id(token: str, secret: str) -> str:
    """The id a cookie's session is stored under; Unauthorized if none can be."""
    if not token or len(token) > MAX_COOKIE_LENGTH:
        raise Unauthorized()
    # A leaked sessions store cannot be replayed, and rotating SECRET_KEY ends them all.
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
{%- endif %}
