{%- if cookiecutter.database == "mongodb" -%}
"""Fixtures: apps shared across tests, on a database emptied after every test."""
{%- else -%}
"""Fixtures: apps shared across tests, on a database made fresh for every test."""
{%- endif %}

from __future__ import annotations

{% if cookiecutter.database == "sqlite" -%}
import shutil
{% endif -%}
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack
{%- if cookiecutter.database == "sqlite" %}
from pathlib import Path
{%- endif %}
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
{%- if cookiecutter.database == "mongodb" %}
from pymongo import MongoClient
from pymongo.database import Database as SyncDatabase
{%- else %}
{%- if cookiecutter.database == "postgres" %}
from sqlalchemy import Engine, create_engine, make_url, text
{%- else %}
from sqlalchemy import create_engine
{%- endif %}
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
{%- endif %}

import testbed
from {{ cookiecutter.package_name }} import create_app{% if cookiecutter.database == "mongodb" %}, mongo{% endif %}
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.mongo import Database
{%- else %}
from {{ cookiecutter.package_name }}.db import make_engine, make_sessions
{%- endif %}
from {{ cookiecutter.package_name }}.security import Passwords

# SECRET_KEY, the test database and the fixtures that every test uses.
pytest_plugins = ["testbed"]


def cheap_passwords() -> Passwords:
    """argon2's cheapest profile: the tests hash hundreds of passwords; apps never."""
    return Passwords(testbed.CHEAP_HASHER)


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (`@pytest.mark.anyio`) run on asyncio, as the app does."""
    return "asyncio"
{%- if cookiecutter.database == "mongodb" %}


@pytest.fixture(scope="session")
def _database_name() -> str:
    """A database of this run's own: apps are shared, so all its tests use one URL."""
    return testbed.new_database_name()


@pytest.fixture
def database_url(
    _mongodb: MongoClient[dict[str, Any]], _database_name: str
) -> Iterator[str]:
    """The run's database, dropped after every test: each starts on an empty one."""
    yield testbed.with_database(testbed.TEST_DATABASE_URL, _database_name)
    _mongodb.drop_database(_database_name)
{%- elif cookiecutter.database == "postgres" %}


@pytest.fixture
def empty_database_url(_postgres: Engine) -> Iterator[str]:
    """A database of its own with not one table in it, as on a fresh checkout."""
    url = make_url(testbed.TEST_DATABASE_URL)
    name = f"{url.database}_empty"
    with testbed.server(testbed.TEST_DATABASE_URL) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with testbed.server(testbed.TEST_DATABASE_URL) as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
{%- else %}


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
        settings = testbed.make_settings(**{"database_url": database_url, **overrides})
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
def passwords() -> Passwords:
    return cheap_passwords()
{%- if cookiecutter.database == "mongodb" %}


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The test's database with its indexes, on a client bound to the test's loop."""
    client = mongo.make_client(testbed.make_settings(database_url=database_url))
    database = mongo.default_database(client)
    await mongo.create_indexes(database)
    yield database
    await client.close()


@pytest.fixture
def database(database_url: str) -> Iterator[SyncDatabase[dict[str, Any]]]:
    """The test's database on a plain client, to look at what the app has stored."""
    client: MongoClient[dict[str, Any]] = MongoClient(database_url, tz_aware=True)
    yield client.get_default_database()
    client.close()
{%- else %}


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session of its own on the test's database, for async tests of services."""
    engine = make_engine(testbed.make_settings(database_url=database_url))
    async with make_sessions(engine)() as session:
        yield session
    await engine.dispose()


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A plain session on the test's database, to look at what the app has stored."""
    engine = create_engine(database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()
{%- endif %}
