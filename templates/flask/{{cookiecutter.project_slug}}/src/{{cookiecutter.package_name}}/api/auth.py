{%- set handle = "db.database" if cookiecutter.database == "mongodb" else "db.session" -%}
"""Registering, signing in and out, and asking who is signed in."""

from __future__ import annotations

from flask import Blueprint, Response, make_response, request

from ..db import db
{%- if cookiecutter.database == "mongodb" %}
from ..documents import User, utcnow
{%- endif %}
from ..errors import InvalidCredentials, ValidationFailed
{%- if cookiecutter.database != "mongodb" %}
from ..models import User, utcnow
{%- endif %}
from ..schemas import LoginRequest, {% if cookiecutter.auth == "jwt" %}TokenResponse{% else %}SessionResponse{% endif %}, UserCreate, UserOut
from ..services import auth, login_limit, {% if cookiecutter.auth == "jwt" %}tokens{% else %}sessions{% endif %}, users
from ..web import json_body, settings
{%- if cookiecutter.auth == "jwt" %}
from .guards import current_token_claims, current_user, login_required
{%- else %}
from .guards import (
    clear_session_cookie,
    current_session,
    current_user,
    login_required,
    set_session_cookie,
)
{%- endif %}
from .users import user_json

bp = Blueprint("auth", __name__, url_prefix="/api/auth")


@bp.post("/register")
def register() -> Response:
    data = json_body(UserCreate)
    user = users.create_user(
        {{ handle }}, email=data.email, password=data.password, username=data.username
    )
    return _signed_in(user, 201)


@bp.post("/login")
def login() -> Response:
    # The socket's peer, or the client a TRUSTED_PROXIES proxy forwarded (proxies.py).
    client = request.remote_addr or "unknown"
    login_limit.ensure_allowed(
        {{ handle }}, client, settings().login_rate_limit, utcnow()
    )
    try:
        data = json_body(LoginRequest)
        user = auth.authenticate({{ handle }}, data.email, data.password)
    except (InvalidCredentials, ValidationFailed):
        login_limit.record_failure({{ handle }}, client, utcnow())
        raise
    return _signed_in(user, 200)


@bp.get("/me")
@login_required
def me() -> dict[str, object]:
    return user_json(current_user())


@bp.post("/logout")
@login_required
def logout() -> Response:
    response = Response(status=204)
{%- if cookiecutter.auth == "jwt" %}
    tokens.revoke({{ handle }}, current_token_claims(), utcnow())
{%- else %}
    sessions.end({{ handle }}, current_session())
    clear_session_cookie(response)
{%- endif %}
    return response


def _signed_in(user: User, status: int) -> Response:
    config = settings()
{%- if cookiecutter.auth == "jwt" %}
    token = tokens.issue(user, config.secret_key, config.access_token_expires, utcnow())
    body = TokenResponse(
        user=UserOut.model_validate(user),
        access_token=token,
        expires_in=config.access_token_expires,
    )
    return make_response(body.model_dump(mode="json"), status)
{%- else %}
    token = sessions.start(
        {{ handle }}, user, config.secret_key, config.session_expires, utcnow()
    )
    body = SessionResponse(user=UserOut.model_validate(user))
    response = make_response(body.model_dump(mode="json"), status)
    set_session_cookie(response, token)
    return response
{%- endif %}
