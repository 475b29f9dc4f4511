{%- if cookiecutter.database == "mongodb" %}{% include "mongodb/db.py" %}{% else -%}
"""The database extension: engine, per-request session and migrations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from .config import Settings
from .connections import SERVER_POOL, tune_sqlite

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(settings: Settings) -> Engine:
    """Build the engine with the pool and connection options each database needs."""
    if settings.is_sqlite:
        engine = create_engine(settings.database_url)
        event.listen(engine, "connect", tune_sqlite)
        return engine
    return create_engine(settings.database_url, **SERVER_POOL)


def ping(engine: Engine) -> None:
    """Make one real round trip to the database; raises when it cannot."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def run_migrations(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind `engine` to `revision` with Alembic."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@dataclass(frozen=True)
class _State:
    engine: Engine
    sessions: sessionmaker[Session]


class Database:
    """Binds an engine to each app; hands out one session per app context."""

    def init_app(self, app: Flask, settings: Settings) -> None:
        engine = make_engine(settings)
        app.extensions["database"] = _State(
            engine, sessionmaker(engine, expire_on_commit=False)
        )
        app.teardown_appcontext(self._close_session)

    @staticmethod
    def _state() -> _State:
        state: _State = current_app.extensions["database"]
        return state

    @property
    def engine(self) -> Engine:
        return self._state().engine

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = self._state().sessions()
        session: Session = g.db_session
        return session

    @staticmethod
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
{% endif %}