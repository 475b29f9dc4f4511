{%- if cookiecutter.database == "mongodb" -%}
"""Fixtures: apps shared across tests, on a database emptied after every test."""
{%- else -%}
"""Fixtures: apps shared across tests, on a database made fresh for every test."""
{%- endif %}

from __future__ import annotations

{%- if cookiecutter.database == "mongodb" %}

import os
import secrets
{%- else %}

import asyncio
{%- if cookiecutter.database == "postgres" %}
import os
{%- else %}
import shutil
{%- endif %}
{%- endif %}
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack{% if cookiecutter.database == "postgres" %}, contextmanager{% endif %}
{%- if cookiecutter.database == "sqlite" %}
from pathlib import Path
{%- endif %}
from typing import Any
{%- if cookiecutter.database == "mongodb" %}
from urllib.parse import urlsplit, urlunsplit
{%- endif %}

import pytest
from argon2 import PasswordHasher, profiles
from fastapi import FastAPI
from fastapi.testclient import TestClient
{%- if cookiecutter.database == "mongodb" %}
from pymongo import MongoClient
from pymongo.errors import PyMongoError
{%- else %}
{%- if cookiecutter.database == "postgres" %}
from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
{%- endif %}
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}

import support
from {{ cookiecutter.package_name }} import create_app{% if cookiecutter.database == "mongodb" %}, mongo{% endif %}
from {{ cookiecutter.package_name }}.config import Settings{% if cookiecutter.database == "postgres" %}, normalize_database_url{% endif %}
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.mongo import Database
{%- else %}
from {{ cookiecutter.package_name }}.db import make_engine, make_sessions, migrate
{%- endif %}
{%- if cookiecutter.database == "postgres" %}
from {{ cookiecutter.package_name }}.models import Base
{%- endif %}
from {{ cookiecutter.package_name }}.security import Passwords

# 64 bytes: long enough for any HMAC algorithm the tests sign with.
SECRET_KEY = "test-secret-" + "0123456789abcdef" * 3 + "0123"
{%- if cookiecutter.database == "mongodb" %}
TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "mongodb://localhost:27017/{{ cookiecutter.package_name }}_test"
)
{%- elif cookiecutter.database == "postgres" %}
TEST_DATABASE_URL = normalize_database_url(
    os.environ.get(
        "TEST_DATABASE_URL",
        "postgresql://postgres:postgres@localhost:5432/{{ cookiecutter.package_name }}_test",
    )
)
{%- endif %}


def make_settings(**overrides: Any) -> Settings:
    """Settings for a test: nothing read from .env, the given values win."""
    values: dict[str, Any] = {"app_env": "test", "secret_key": SECRET_KEY, **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def cheap_passwords() -> Passwords:
    """argon2's cheapest profile: the tests hash hundreds of passwords; apps never."""
    return Passwords(PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's or CI's APP_ENV, LOGIN_RATE_LIMIT, ... must not steer the tests.
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (`@pytest.mark.anyio`) run on asyncio, as the app does."""
    return "asyncio"
{%- if cookiecutter.database == "mongodb" %}


def _with_database(url: str, name: str) -> str:
    """The same server and options, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def _mongodb() -> Iterator[MongoClient[dict[str, Any]]]:
    """A plain client for setup and cleanup; stops the run at once without a server."""
    client: MongoClient[dict[str, Any]] = MongoClient(
        TEST_DATABASE_URL, serverSelectionTimeoutMS=2000
    )
    try:
        client.admin.command("ping")
    except PyMongoError:
        client.close()
        pytest.exit(
            f"MongoDB is not reachable at {TEST_DATABASE_URL}: start it with "
            "`docker compose up -d mongo` or set TEST_DATABASE_URL",
            returncode=3,
        )
    yield client
    client.close()


@pytest.fixture(scope="session")
def _database_name() -> str:
    """A database of this run's own, so that runs side by side never meet."""
    base = urlsplit(TEST_DATABASE_URL).path.strip("/") or "test"
    # MongoDB database names stop at 63 characters.
    return f"{base[:40]}_{secrets.token_hex(6)}"


@pytest.fixture
def database_url(
    _mongodb: MongoClient[dict[str, Any]], _database_name: str
) -> Iterator[str]:
    """The run's database, dropped after every test: each starts on an empty one."""
    yield _with_database(TEST_DATABASE_URL, _database_name)
    _mongodb.drop_database(_database_name)
{%- elif cookiecutter.database == "postgres" %}


@contextmanager
def _server(url: str) -> Iterator[Connection]:
    """A connection to the server of `url`, outside any database's transactions."""
    # The same psycopg 3 driver, used synchronously for one-off setup.
    engine = create_engine(
        make_url(url).set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _ensure_database(url: str) -> None:
    """Create the test database on its server if missing; raises if unreachable."""
    name = make_url(url).database
    with _server(url) as server:
        exists = server.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            server.execute(text(f'CREATE DATABASE "{name}"'))


@pytest.fixture(scope="session", autouse=True)
def _postgres() -> Iterator[Engine]:
    """The test database, wiped and migrated once; each test then truncates it."""
    try:
        _ensure_database(TEST_DATABASE_URL)
    except OperationalError:
        shown = make_url(TEST_DATABASE_URL).render_as_string(hide_password=True)
        pytest.exit(
            f"PostgreSQL is not reachable at {shown}: start it with "
            "`docker compose up -d db` or set TEST_DATABASE_URL",
            returncode=3,
        )
    engine = create_engine(TEST_DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    asyncio.run(migrate(make_settings(database_url=TEST_DATABASE_URL)))
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(_postgres: Engine) -> str:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with _postgres.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return TEST_DATABASE_URL


@pytest.fixture
def empty_database_url(_postgres: Engine) -> Iterator[str]:
    """A database of its own with not one table in it, as on a fresh checkout."""
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_empty"
    with _server(TEST_DATABASE_URL) as server:
        server.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with _server(TEST_DATABASE_URL) as server:
        server.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
{%- else %}


@pytest.fixture(scope="session")
def _migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated once; each test gets its own copy of it."""
    path = tmp_path_factory.mktemp("migrated") / "app.db"
    asyncio.run(migrate(make_settings(database_url=f"sqlite:///{path}")))
    return path


@pytest.fixture(scope="session")
def _database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where every test's database lives: one URL for all, so apps can be shared."""
    return tmp_path_factory.mktemp("database") / "app.db"


@pytest.fixture
def database_url(_migrated_file: Path, _database_file: Path) -> str:
    """The test database, replaced by a fresh copy of the migrated one for each test."""
    # The previous test's apps have closed their engines; any journal left is stale.
    for leftover in ("-wal", "-shm"):
        _database_file.with_name(_database_file.name + leftover).unlink(missing_ok=True)
    shutil.copyfile(_migrated_file, _database_file)
    return f"sqlite:///{_database_file}"


@pytest.fixture
def empty_database_url(tmp_path: Path) -> str:
    """A database file with not one table in it, as on a fresh checkout."""
    return f"sqlite:///{tmp_path / 'empty.db'}"
{%- endif %}


@pytest.fixture(scope="session")
def _apps() -> dict[str, FastAPI]:
    """The apps built so far, one per set of settings.

    FastAPI builds an app's routes when it first serves them, which costs more than
    most tests: tests with the same settings share an app.
    """
    return {}


@pytest.fixture
def make_app(database_url: str) -> Callable[..., FastAPI]:
    """Build apps on this test's database, with settings overridden as asked."""

    def make(**overrides: Any) -> FastAPI:
        settings = make_settings(**{"database_url": database_url, **overrides})
        return create_app(settings, passwords=cheap_passwords())

    return make


@pytest.fixture
def make_client(
    database_url: str, make_app: Callable[..., FastAPI], _apps: dict[str, FastAPI]
) -> Iterator[Callable[..., TestClient]]:
    """Start clients on this test's database, with settings overridden as asked.

    Each client runs the app's lifespan, so its engine opens and closes with it;
    `address` is the client's socket address, as the app sees it. A test that
    changes the app itself asks for one of its own with `fresh=True`.
    """
    with ExitStack() as stack:

        def make(
            address: str = "127.0.0.1", *, fresh: bool = False, **overrides: Any
        ) -> TestClient:
            key = repr(sorted({"database_url": database_url, **overrides}.items()))
            app = _apps.get(key)
            if app is None or fresh:
                app = make_app(**overrides)
                if not fresh:
                    _apps[key] = app
            client = TestClient(app, client=(address, 50000))
            return stack.enter_context(client)

        yield make


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def password() -> str:
    return support.PASSWORD


@pytest.fixture
def secret_key() -> str:
    """The SECRET_KEY that test apps sign with."""
    return SECRET_KEY


@pytest.fixture
def passwords() -> Passwords:
    return cheap_passwords()
{%- if cookiecutter.database == "mongodb" %}


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The test's database with its indexes, on a client bound to the test's loop."""
    client = mongo.make_client(make_settings(database_url=database_url))
    database = mongo.default_database(client)
    await mongo.create_indexes(database)
    yield database
    await client.close()
{%- else %}


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session of its own on the test's database, for async tests of services."""
    engine = make_engine(make_settings(database_url=database_url))
    async with make_sessions(engine)() as session:
        yield session
    await engine.dispose()
{%- endif %}


@pytest.fixture
def new_account(make_client: Callable[..., TestClient]) -> support.NewAccount:
    return support.account_maker(make_client)
