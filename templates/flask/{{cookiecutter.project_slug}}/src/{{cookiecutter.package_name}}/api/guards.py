{%- set handle = "db.database" if cookiecutter.database == "mongodb" else "db.session" -%}
"""Who is calling: the `login_required` decorator and the signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import {% if cookiecutter.auth == "jwt" %}Any, {% endif %}ParamSpec, TypeVar

from flask import {% if cookiecutter.auth == "session" %}Response, {% endif %}g, request

from ..db import db
{%- if cookiecutter.auth == "jwt" %}
{%- if cookiecutter.database == "mongodb" %}
from ..documents import User
from ..errors import Unauthorized
{%- else %}
from ..errors import Unauthorized
from ..models import User
{%- endif %}
from ..services import tokens
{%- else %}
from ..{% if cookiecutter.database == "mongodb" %}documents{% else %}models{% endif %} import User, UserSession, utcnow
from ..services import sessions
{%- endif %}
from ..web import settings

{%- if cookiecutter.auth == "session" %}

SESSION_COOKIE = "session_id"
{%- endif %}

P = ParamSpec("P")
R = TypeVar("R")


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Answer 401 unless the request carries valid credentials."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        _authenticate()
        return view(*args, **kwargs)

    return guarded


def current_user() -> User:
    user: User = g.current_user
    return user
{%- if cookiecutter.auth == "jwt" %}


def current_token_claims() -> dict[str, Any]:
    claims: dict[str, Any] = g.token_claims
    return claims


def _authenticate() -> None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    g.current_user, g.token_claims = tokens.authenticate(
        {{ handle }}, token.strip(), settings().secret_key
    )
{%- else %}


def current_session() -> UserSession:
    row: UserSession = g.current_session
    return row


def set_session_cookie(response: Response, token: str) -> None:
    config = settings()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=config.session_expires,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=config.is_production,
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=settings().is_production,
    )


def _authenticate() -> None:
    token = request.cookies.get(SESSION_COOKIE, "")
    g.current_user, g.current_session = sessions.authenticate(
        {{ handle }}, token, settings().secret_key, utcnow()
    )
{%- endif %}
