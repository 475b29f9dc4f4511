"""The database: the async engine and its sessions, the health ping and migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(settings: Settings) -> AsyncEngine:
    """Build the engine with the pool and connection options each database needs."""
    if settings.is_sqlite:
        engine = create_async_engine(settings.database_url)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        return engine
    return create_async_engine(
        settings.database_url,
        pool_size=5,
        max_overflow=10,
        # A full pool or an unreachable server must fail fast (503), not hang.
        pool_timeout=5,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"connect_timeout": 3},
    )


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once across server workers.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


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
