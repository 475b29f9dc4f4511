"""Everything routes receive through `Depends`, declared in one place."""

from __future__ import annotations
{% if cookiecutter.database != "mongodb" or cookiecutter.auth != "none" %}
from collections.abc import AsyncIterator
{%- endif %}
{%- if cookiecutter.auth != "none" %}
from dataclasses import dataclass
{%- endif %}
from typing import Annotated{% if cookiecutter.auth == "jwt" %}, Any{% endif %}

from fastapi import Depends, Request{% if cookiecutter.auth != "none" %}, Security{% endif %}
{%- if cookiecutter.auth != "none" %}
from fastapi.exceptions import RequestValidationError
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
{%- elif cookiecutter.auth == "session" %}
from fastapi.security import APIKeyCookie
{%- endif %}
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
{%- endif %}

from .config import Settings
{%- if cookiecutter.database == "mongodb" and cookiecutter.auth == "jwt" %}
from .documents import User, utcnow
{%- elif cookiecutter.database == "mongodb" and cookiecutter.auth == "session" %}
from .documents import User, UserSession, utcnow
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
from .errors import (
    InvalidCredentials,
    Unauthorized,
    ValidationFailed,
    from_validation_error,
)
{%- elif cookiecutter.auth == "session" %}
from .errors import InvalidCredentials, ValidationFailed, from_validation_error
{%- endif %}
{%- if cookiecutter.database == "mongodb" %}
from .mongo import Database
{%- elif cookiecutter.auth == "jwt" %}
from .models import User, utcnow
{%- elif cookiecutter.auth == "session" %}
from .models import User, UserSession, utcnow
{%- endif %}
from .security import Passwords
{%- if cookiecutter.auth == "jwt" %}
from .services import login_limit, tokens
{%- elif cookiecutter.auth == "session" %}
from .services import login_limit, sessions
from .web import SESSION_COOKIE
{%- endif %}


def get_settings(request: Request) -> Settings:
    settings: Settings = request.state.settings
    return settings
{%- if cookiecutter.database == "mongodb" %}


def get_database(request: Request) -> Database:
    """The database as it is, for the health check: nothing is created on the way."""
    database: Database = request.state.database
    return database


async def get_db(request: Request) -> Database:
    """The database, once its indexes exist (made on first use if start missed it)."""
    await request.state.indexes.ensure()
    database: Database = request.state.database
    return database
{%- else %}


def get_engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.state.engine
    return engine


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request, closed once the answer is out."""
    async with request.state.sessions() as session:
        yield session
{%- endif %}


def get_passwords(request: Request) -> Passwords:
    passwords: Passwords = request.state.passwords
    return passwords


AppSettings = Annotated[Settings, Depends(get_settings)]
{%- if cookiecutter.database == "mongodb" %}
PlainDatabase = Annotated[Database, Depends(get_database)]
# What services work in for this request: the database, its indexes in place.
DbSession = Annotated[Database, Depends(get_db)]
{%- else %}
Engine = Annotated[AsyncEngine, Depends(get_engine)]
DbSession = Annotated[AsyncSession, Depends(get_db)]
{%- endif %}
PasswordHasher = Annotated[Passwords, Depends(get_passwords)]
{%- if cookiecutter.auth == "jwt" %}

bearer_token = HTTPBearer(
    scheme_name="bearerAuth",
    bearerFormat="JWT",
    description="The `access_token` that register and login answer.",
    # Missing or malformed credentials answer the contract's 401, not FastAPI's.
    auto_error=False,
)


@dataclass(frozen=True)
class SignedIn:
    """The caller: a user and the claims of the token that proved it."""

    user: User
    claims: dict[str, Any]


async def get_signed_in(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_token)],
    db: DbSession,
    settings: AppSettings,
) -> SignedIn:
    if credentials is None or not credentials.credentials.strip():
        raise Unauthorized()
    user, claims = await tokens.authenticate(
        db, credentials.credentials.strip(), settings.secret_key
    )
    return SignedIn(user, claims)
{%- elif cookiecutter.auth == "session" %}

session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="cookieAuth",
    description="The opaque session id that register and login set.",
    # A missing cookie answers the contract's 401, not FastAPI's.
    auto_error=False,
)


@dataclass(frozen=True)
class SignedIn:
    """The caller: a user and the server-side session that proved it."""

    user: User
    session: UserSession


async def get_signed_in(
    token: Annotated[str | None, Security(session_cookie)],
    db: DbSession,
    settings: AppSettings,
) -> SignedIn:
    user, row = await sessions.authenticate(
        db, token or "", settings.secret_key, utcnow()
    )
    return SignedIn(user, row)
{%- endif %}
{%- if cookiecutter.auth != "none" %}


CurrentSignIn = Annotated[SignedIn, Depends(get_signed_in)]


async def get_current_user(signed_in: CurrentSignIn) -> User:
    return signed_in.user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def limit_login_attempts(
    request: Request, db: DbSession, settings: AppSettings
) -> AsyncIterator[None]:
    """Refuse a client that failed too often; count this attempt if it fails too.

    Runs around the login: before FastAPI validates the body, so a malformed
    attempt (422) counts as a failure just as a wrong password (401) does.
    """
    # The peer, or whom a trusted proxy forwarded for (TRUSTED_PROXIES, web.py).
    client = request.client.host if request.client else "unknown"
    await login_limit.ensure_allowed(db, client, settings.login_rate_limit, utcnow())
    try:
        yield
    except InvalidCredentials:
        await login_limit.record_failure(db, client, utcnow())
        raise
    except RequestValidationError as exc:
        # A body that is not even JSON is a 400, which the contract does not count.
        if isinstance(from_validation_error(exc), ValidationFailed):
            await login_limit.record_failure(db, client, utcnow())
        raise
{%- endif %}
