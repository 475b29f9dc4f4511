"""Registering, signing in and out, and asking who is signed in."""

from __future__ import annotations

from fastapi import APIRouter, Depends, {% if cookiecutter.auth == "session" %}Response, {% endif %}status
{%- if cookiecutter.auth == "session" and cookiecutter.database != "mongodb" %}
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}

from ..config import Settings
from ..dependencies import (
    AppSettings,
    CurrentSignIn,
    CurrentUser,
    DbSession,
    PasswordHasher,
    limit_login_attempts,
)
{%- if cookiecutter.database == "mongodb" %}
from ..documents import User, utcnow
{%- endif %}
from ..errors import (
    BODY_ERRORS,
    Conflict,
    InvalidCredentials,
    RateLimited,
    Unauthorized,
    UnsupportedMediaType,
    error_responses,
)
{%- if cookiecutter.database == "mongodb" and cookiecutter.auth == "session" %}
from ..mongo import Database
{%- elif cookiecutter.database != "mongodb" %}
from ..models import User, utcnow
{%- endif %}
from ..schemas import LoginRequest, {% if cookiecutter.auth == "jwt" %}TokenResponse{% else %}SessionResponse{% endif %}, UserCreate, UserOut
from ..services import auth, {% if cookiecutter.auth == "jwt" %}tokens{% else %}sessions{% endif %}, users
from ..web import JSONRoute{% if cookiecutter.auth == "session" %}, clear_session_cookie, set_session_cookie{% endif %}

router = APIRouter(prefix="/api/auth", tags=["auth"], route_class=JSONRoute)


@router.post(
    "/register",
    summary="Create an account and sign in",
    operation_id="register",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(*BODY_ERRORS, Conflict),
)
async def register(
    data: UserCreate,
    db: DbSession,
    passwords: PasswordHasher,
    settings: AppSettings,
{%- if cookiecutter.auth == "session" %}
    response: Response,
{%- endif %}
) -> {% if cookiecutter.auth == "jwt" %}TokenResponse{% else %}SessionResponse{% endif %}:
    user = await users.create_user(
        db, passwords, email=data.email, password=data.password, username=data.username
    )
{%- if cookiecutter.auth == "jwt" %}
    return _signed_in(user, settings)
{%- else %}
    return await _signed_in(db, user, settings, response)
{%- endif %}


@router.post(
    "/login",
    summary="Sign in",
    operation_id="login",
    # Counts failed attempts per client address and refuses them past the limit.
    dependencies=[Depends(limit_login_attempts)],
    responses=error_responses(*BODY_ERRORS, InvalidCredentials, RateLimited),
)
async def login(
    data: LoginRequest,
    db: DbSession,
    passwords: PasswordHasher,
    settings: AppSettings,
{%- if cookiecutter.auth == "session" %}
    response: Response,
{%- endif %}
) -> {% if cookiecutter.auth == "jwt" %}TokenResponse{% else %}SessionResponse{% endif %}:
    user = await auth.authenticate(db, passwords, data.email, data.password)
{%- if cookiecutter.auth == "jwt" %}
    return _signed_in(user, settings)
{%- else %}
    return await _signed_in(db, user, settings, response)
{%- endif %}


@router.get(
    "/me",
    summary="The signed-in user",
    operation_id="getCurrentUser",
    response_model=UserOut,
    responses=error_responses(Unauthorized),
)
async def me(user: CurrentUser) -> User:
    return user


@router.post(
    "/logout",
    summary="Sign out: these credentials stop working at once",
    operation_id="logout",
    status_code=status.HTTP_204_NO_CONTENT,
    # No body, but application/json all the same, so no form can log a user out.
    responses=error_responses(Unauthorized, UnsupportedMediaType),
)
async def logout(
    signed_in: CurrentSignIn,
    db: DbSession,
{%- if cookiecutter.auth == "session" %}
    settings: AppSettings,
    response: Response,
{%- endif %}
) -> None:
{%- if cookiecutter.auth == "jwt" %}
    await tokens.revoke(db, signed_in.claims, utcnow())
{%- else %}
    await sessions.end(db, signed_in.session)
    clear_session_cookie(response, settings)
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}


def _signed_in(user: User, settings: Settings) -> TokenResponse:
    token = tokens.issue(
        user, settings.secret_key, settings.access_token_expires, utcnow()
    )
    return TokenResponse(
        user=UserOut.model_validate(user),
        access_token=token,
        expires_in=settings.access_token_expires,
    )
{%- else %}


async def _signed_in(
    db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }}, user: User, settings: Settings, response: Response
) -> SessionResponse:
    token = await sessions.start(
        db, user, settings.secret_key, settings.session_expires, utcnow()
    )
    set_session_cookie(response, token, settings)
    return SessionResponse(user=UserOut.model_validate(user))
{%- endif %}
