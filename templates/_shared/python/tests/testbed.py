"""Fixtures every test shares: its own settings, a clean environment, the {% if cookiecutter.database == "mongodb" %}server{% else %}database{% endif %}.

conftest.py imports it before pytest loads it as a plugin, too late to rewrite its
asserts (it has none): PYTEST_DONT_REWRITE tells pytest not to try.
"""

from __future__ import annotations

{% if cookiecutter._framework == "fastapi" and cookiecutter.database != "mongodb" -%}
import asyncio
{% endif -%}
{% if cookiecutter.database != "sqlite" -%}
import os
{% endif -%}
{% if cookiecutter.database == "mongodb" -%}
import secrets
{% endif -%}
from collections.abc import Callable{% if cookiecutter.database != "sqlite" %}, Iterator{% endif %}
{%- if cookiecutter.database == "postgres" %}
from contextlib import contextmanager
{%- elif cookiecutter.database == "sqlite" %}
from pathlib import Path
{%- endif %}
from typing import Any
{%- if cookiecutter.database == "mongodb" %}
from urllib.parse import urlsplit, urlunsplit
{%- endif %}

import pytest
from argon2 import PasswordHasher, profiles
{%- if cookiecutter.database == "mongodb" %}
from pymongo import MongoClient
from pymongo.errors import PyMongoError
{%- elif cookiecutter.database == "postgres" %}
from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
{%- endif %}

import support
from {{ cookiecutter.package_name }}.config import Settings{% if cookiecutter.database == "postgres" %}, normalize_database_url{% endif %}
{%- if cookiecutter.database != "mongodb" %}
{%- if cookiecutter._framework == "flask" %}
from {{ cookiecutter.package_name }}.db import make_engine, run_migrations
{%- else %}
from {{ cookiecutter.package_name }}.db import migrate
{%- endif %}
{%- endif %}
{%- if cookiecutter.database == "postgres" %}
from {{ cookiecutter.package_name }}.models import Base
{%- endif %}

# 64 bytes: long enough for any HMAC algorithm the tests sign with.
SECRET_KEY = "test-secret-" + "0123456789abcdef" * 3 + "0123"
# Tests hash hundreds of passwords: the cheapest Argon2id there is keeps them fast.
# The test apps are given it; production code never sees it (test_security.py).
CHEAP_HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)
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
{%- if cookiecutter.database == "mongodb" %}


def new_database_name() -> str:
    """A database name of its own: runs and tests side by side never meet."""
    base = urlsplit(TEST_DATABASE_URL).path.strip("/") or "test"
    # MongoDB database names stop at 63 characters.
    return f"{base[:40]}_{secrets.token_hex(6)}"


def with_database(url: str, name: str) -> str:
    """The same server URL and options, naming another database."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def shown(url: str) -> str:
    """The URL without its credentials, fit for a message."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
{%- else %}


def migrate_database(url: str) -> None:
    """Bring the database at `url` up to the latest migration."""
{%- if cookiecutter._framework == "flask" %}
    engine = make_engine(make_settings(database_url=url))
    run_migrations(engine)
    engine.dispose()
{%- else %}
    asyncio.run(migrate(make_settings(database_url=url)))
{%- endif %}
{%- endif %}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's or CI's APP_ENV, LOGIN_RATE_LIMIT, ... must not steer the tests.
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
{%- if cookiecutter.database == "mongodb" %}


@pytest.fixture(scope="session")
def _mongodb() -> Iterator[MongoClient[dict[str, Any]]]:
    """A plain client for setup and cleanup; stops the run at once without a server."""
    client: MongoClient[dict[str, Any]] = MongoClient(
        TEST_DATABASE_URL, serverSelectionTimeoutMS=2000, connectTimeoutMS=2000
    )
    try:
        client.admin.command("ping")
    except PyMongoError:
        client.close()
        pytest.exit(
            f"MongoDB is not reachable at {shown(TEST_DATABASE_URL)}: start it with "
            "`docker compose up -d mongo` or set TEST_DATABASE_URL",
            returncode=3,
        )
    yield client
    client.close()
{%- elif cookiecutter.database == "postgres" %}


@contextmanager
def server(url: str) -> Iterator[Connection]:
    """A connection to the server of `url`, outside any database's transactions."""
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


def ensure_database(url: str) -> None:
    """Create the database of `url` on its server if missing; raises if unreachable."""
    name = make_url(url).database
    with server(url) as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))


def empty_schema(engine: Engine) -> None:
    """Drop every table, type and sequence: the database as on a fresh checkout."""
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session", autouse=True)
def _postgres() -> Iterator[Engine]:
    """The test database, wiped and migrated once; each test then truncates it."""
    try:
        ensure_database(TEST_DATABASE_URL)
    except OperationalError:
        shown = make_url(TEST_DATABASE_URL).render_as_string(hide_password=True)
        pytest.exit(
            f"PostgreSQL is not reachable at {shown}: start it with "
            "`docker compose up -d db` or set TEST_DATABASE_URL",
            returncode=3,
        )
    engine = create_engine(TEST_DATABASE_URL)
    empty_schema(engine)
    migrate_database(TEST_DATABASE_URL)
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(_postgres: Engine) -> str:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with _postgres.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return TEST_DATABASE_URL
{%- else %}


@pytest.fixture(scope="session")
def _migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated once; each test gets its own copy of it."""
    path = tmp_path_factory.mktemp("migrated") / "app.db"
    migrate_database(f"sqlite:///{path}")
    return path
{%- endif %}


@pytest.fixture
def password() -> str:
    return support.PASSWORD


@pytest.fixture
def secret_key() -> str:
    """The SECRET_KEY that test apps sign with."""
    return SECRET_KEY


@pytest.fixture
def new_account(make_client: Callable[..., support.Client]) -> support.NewAccount:
    return support.account_maker(make_client)
