{%- set answer = "TokenResponse" if cookiecutter.auth == "jwt" else "SessionResponse" -%}
"""Registering, signing in and out, and asking who is signed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, {% if cookiecutter.auth == "session" %}Response, {% endif %}status

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
{%- if cookiecutter.database != "mongodb" %}
from ..models import User, utcnow
{%- endif %}
from ..schemas import LoginRequest, {{ answer }}, UserCreate, UserOut
from ..services import auth, {% if cookiecutter.auth == "jwt" %}tokens{% else %}sessions{% endif %}, users
from ..web import JSONRoute{% if cookiecutter.auth == "session" %}, clear_session_cookie, set_session_cookie{% endif %}

router = APIRouter(prefix="/api/auth", tags=["auth"], route_class=JSONRoute)
{%- if cookiecutter.auth == "jwt" %}


class SignIn:
    """Answers a register or a login: the user, and a new token that proves it."""

    def __init__(self, settings: AppSettings) -> None:
        self.settings = settings

    async def __call__(self, user: User) -> TokenResponse:
        expires_in = self.settings.access_token_expires
        token = tokens.issue(user, self.settings.secret_key, expires_in, utcnow())
        return TokenResponse(
            user=UserOut.model_validate(user), access_token=token, expires_in=expires_in
        )
{%- else %}


class SignIn:
    """Answers a register or a login: the user, and a session cookie that proves it."""

    def __init__(
        self, db: DbSession, settings: AppSettings, response: Response
    ) -> None:
        self.db, self.settings, self.response = db, settings, response

    async def __call__(self, user: User) -> SessionResponse:
        lifetime = self.settings.session_expires
        token = await sessions.start(
            self.db, user, self.settings.secret_key, lifetime, utcnow()
        )
        set_session_cookie(self.response, token, self.settings)
        return SessionResponse(user=UserOut.model_validate(user))
{%- endif %}


NewSignIn = Annotated[SignIn, Depends()]


@router.post(
    "/register",
    summary="Create an account and sign in",
    operation_id="register",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(*BODY_ERRORS, Conflict),
)
async def register(
    data: UserCreate, db: DbSession, passwords: PasswordHasher, sign_in: NewSignIn
) -> {{ answer }}:
    user = await users.create_user(
        db, passwords, email=data.email, password=data.password, username=data.username
    )
    return await sign_in(user)


@router.post(
    "/login",
    summary="Sign in",
    operation_id="login",
    # Counts failed attempts per client address and refuses them past the limit.
    dependencies=[Depends(limit_login_attempts)],
    responses=error_responses(*BODY_ERRORS, InvalidCredentials, RateLimited),
)
async def login(
    data: LoginRequest, db: DbSession, passwords: PasswordHasher, sign_in: NewSignIn
) -> {{ answer }}:
    user = await auth.authenticate(db, passwords, data.email, data.password)
    return await sign_in(user)


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
