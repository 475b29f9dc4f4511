"""The application factory: builds a configured app, with no import-time effects."""

from __future__ import annotations
{% if cookiecutter.database == "mongodb" %}
import logging
{%- endif %}
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypedDict

from fastapi import FastAPI
{%- if cookiecutter.database == "mongodb" %}
from pymongo.errors import ConnectionFailure
{%- else %}
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
{%- endif %}

from .config import Settings
{%- if cookiecutter.database != "mongodb" %}
from .db import make_engine, make_sessions, run_migrations
{%- endif %}
from .errors import register_error_handlers, without_guessed_validation_errors
{%- if cookiecutter.database == "mongodb" %}
from .mongo import Database, Indexes, default_database, make_client
{%- endif %}
from .routers import include_routers
from .security import Passwords
from .web import CORSMiddleware, RequestContextMiddleware, TrustedProxiesMiddleware

DESCRIPTION = """\
Users{% if cookiecutter.auth == "jwt" %} with JWT bearer auth{% elif cookiecutter.auth == "session" %} with server-side session auth{% endif %}, served by FastAPI.

Every error answers `{"error": {"code": "...", "message": "..."}}`; validation
errors add `fields`, a message per offending field.
"""
{%- if cookiecutter.database == "mongodb" %}

logger = logging.getLogger(__name__)
{%- endif %}


class State(TypedDict):
    """What the lifespan hands every request, as `request.state`."""

    settings: Settings
    passwords: Passwords
{%- if cookiecutter.database == "mongodb" %}
    database: Database
    indexes: Indexes
{%- else %}
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
{%- endif %}


def create_app(
    settings: Settings | None = None, *, passwords: Passwords | None = None
) -> FastAPI:
    """Build the app from `settings`, or from the environment when none are given.

    `passwords` hashes with the strong Argon2id defaults unless the tests hand in
    a cheaper one.
    """
    settings = settings or Settings()
    passwords = passwords or Passwords()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[State]:
{%- if cookiecutter.database == "mongodb" %}
        # The client connects lazily; a client is bound to the event loop it first
        # runs on, so each app (and each worker process) makes its own here.
        client = make_client(settings)
        database = default_database(client)
        indexes = Indexes(database)
        try:
            await indexes.ensure()
        except ConnectionFailure as exc:
            # Start anyway, like an app whose database is down for a moment:
            # requests answer 503 until it is back, then the indexes are made.
            logger.warning("MongoDB is unreachable, indexes come later: %s", exc)
        try:
            yield {
                "settings": settings,
                "passwords": passwords,
                "database": database,
                "indexes": indexes,
            }
        finally:
            await client.close()
{%- else %}
        # The engine connects lazily: an unreachable database answers 503, not a
        # server that refuses to start (development, which migrates first, aside).
        engine = make_engine(settings)
        try:
            if settings.app_env == "development":
                # The schema follows the code, under `uvicorn --reload` too; after the
                # migration `python -m` makes before its workers start, a no-op.
                await run_migrations(engine)
            yield {
                "settings": settings,
                "passwords": passwords,
                "engine": engine,
                "sessions": make_sessions(engine),
            }
        finally:
            await engine.dispose()
{%- endif %}

    app = FastAPI(
        title="{{ cookiecutter.project_slug }}",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs is served by routers/docs.py: a pinned Swagger UI under a strict CSP.
        docs_url=None,
        redoc_url=None,
        # `/api/users/` is not `/api/users`: an unknown path is a JSON 404, not a
        # redirect.
        redirect_slashes=False,
    )
    register_error_handlers(app)
    include_routers(app)
    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        # Built once, on first request, like FastAPI's own: the contract's document.
        if app.openapi_schema is None:
            app.openapi_schema = without_guessed_validation_errors(generate_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, origins=settings.cors_origins)
    # Added after CORS, so it is outside it: it sees every answer, preflights too.
    app.add_middleware(RequestContextMiddleware)
    if settings.trusted_proxies:
        # Outermost; it changes the scope in place, so the routes and uvicorn's
        # access log alike see the client it finds.
        app.add_middleware(TrustedProxiesMiddleware, proxies=settings.trusted_proxies)
    return app


__all__ = ["create_app"]
