"""The database: the async engine and its sessions, the health ping and migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from .config import Settings
from .connections import SERVER_POOL, tune_sqlite

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(settings: Settings) -> AsyncEngine:
    """Build the engine with the pool and connection options each database needs."""
    if settings.is_sqlite:
        engine = create_async_engine(settings.database_url)
        event.listen(engine.sync_engine, "connect", tune_sqlite)
        return engine
    return create_async_engine(settings.database_url, **SERVER_POOL)


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after commit: an async session cannot lazy-load them.
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> None:
    """Make one real round trip to the database; raises when it cannot."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def run_migrations(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` to `revision` with Alembic."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


def _upgrade(connection: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def migrate(settings: Settings) -> None:
    """Bring the configured database up to date, on an engine of its own."""
    engine = make_engine(settings)
    try:
        await run_migrations(engine)
    finally:
        await engine.dispose()
