{%- if cookiecutter.database == "mongodb" -%}
"""Fixtures: a fresh app on a database of its own, dropped afterwards, per test."""
{%- else -%}
"""Fixtures: a fresh app on its own freshly migrated database for every test."""
{%- endif %}

from __future__ import annotations
{%- if cookiecutter.database == "mongodb" %}

import os
import uuid
{%- elif cookiecutter.database == "postgres" %}

import os
{%- else %}

import shutil
{%- endif %}
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
{%- if cookiecutter.database == "mongodb" %}
from urllib.parse import urlsplit, urlunsplit
{%- endif %}

import pytest
from argon2 import PasswordHasher, profiles
from flask import Flask
from flask.testing import FlaskClient
{%- if cookiecutter.database == "mongodb" %}
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import PyMongoError
{%- else %}
{%- if cookiecutter.database == "postgres" %}
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
{%- endif %}
from sqlalchemy.orm import Session
{%- endif %}
from werkzeug.test import TestResponse

import support
from {{ cookiecutter.package_name }} import create_app
from {{ cookiecutter.package_name }}.config import Settings{% if cookiecutter.database == "postgres" %}, normalize_database_url{% endif %}
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.db import db
from {{ cookiecutter.package_name }}.documents import Document
{%- else %}
from {{ cookiecutter.package_name }}.db import db, make_engine, run_migrations
{%- endif %}
{%- if cookiecutter.database == "postgres" %}
from {{ cookiecutter.package_name }}.models import Base
{%- endif %}

# 64 bytes: long enough for any HMAC algorithm the tests sign with.
SECRET_KEY = "test-secret-" + "0123456789abcdef" * 3 + "0123"
# Tests hash hundreds of passwords: the cheapest Argon2id there is keeps them fast.
# The apps are given it here; production code never sees it (test_security.py).
CHEAP_HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)
{%- if cookiecutter.database == "mongodb" %}
TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "mongodb://localhost:27017/{{ cookiecutter.package_name }}_test"
)
{%- elif cookiecutter.database == "postgres" %}
TEST_DATABASE_URL = normalize_database_url(
    os.environ.get(
        "TEST_DATABASE_URL",
        "postgresql+psycopg://postgres:postgres@localhost:5432/{{ cookiecutter.package_name }}_test",
    )
)
{%- endif %}


def make_settings(**overrides: Any) -> Settings:
    """Settings for a test: nothing read from .env, the given values win."""
    values: dict[str, Any] = {"app_env": "test", "secret_key": SECRET_KEY, **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
{%- if cookiecutter.database == "mongodb" %}


def with_database(url: str, name: str) -> str:
    """The same server URL, naming another database."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def shown(url: str) -> str:
    """The URL without its credentials, fit for a message."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
{%- endif %}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's or CI's APP_ENV, LOGIN_RATE_LIMIT, ... must not steer the tests.
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
{%- if cookiecutter.database == "mongodb" %}


@pytest.fixture(scope="session", autouse=True)
def _mongo() -> Iterator[MongoClient[Document]]:
    """The test server, checked once: unreachable, the run stops with one line."""
    client: MongoClient[Document] = MongoClient(
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


@pytest.fixture
def database_url(_mongo: MongoClient[Document]) -> Iterator[str]:
    """A database of this test's own on the test server, dropped when it ends."""
    base = urlsplit(TEST_DATABASE_URL).path.strip("/")[:40]
    name = f"{base}_{uuid.uuid4().hex[:12]}"
    yield with_database(TEST_DATABASE_URL, name)
    _mongo.drop_database(name)
{%- elif cookiecutter.database == "postgres" %}


def _ensure_database(url: str) -> None:
    """Create the test database on its server if missing; raises if unreachable."""
    name = make_url(url).database
    server = create_engine(
        make_url(url).set(database="postgres"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with server.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()


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
    engine = make_engine(make_settings(database_url=TEST_DATABASE_URL))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    run_migrations(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(_postgres: Engine) -> str:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with _postgres.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return TEST_DATABASE_URL


@pytest.fixture
def fresh_database_url(_postgres: Engine) -> str:
    """A database with nothing in it yet, not even migrations, beside the test one."""
    url = make_url(TEST_DATABASE_URL)
    fresh = url.set(database=f"{url.database}_fresh").render_as_string(
        hide_password=False
    )
    _ensure_database(fresh)
    engine = create_engine(fresh)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    return fresh
{%- else %}


@pytest.fixture(scope="session")
def _migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated once; each test gets its own copy of it."""
    path = tmp_path_factory.mktemp("migrated") / "app.db"
    engine = make_engine(make_settings(database_url=f"sqlite:///{path}"))
    run_migrations(engine)
    engine.dispose()
    return path


@pytest.fixture
def database_url(_migrated_file: Path, tmp_path: Path) -> str:
    path = tmp_path / "app.db"
    shutil.copyfile(_migrated_file, path)
    return f"sqlite:///{path}"


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> str:
    """A database file that does not exist yet, so nothing is migrated."""
    return f"sqlite:///{tmp_path / 'fresh.db'}"
{%- endif %}


@pytest.fixture
def built_apps() -> Iterator[list[Flask]]:
    """The apps a test builds; their database connections close when it ends."""
    apps: list[Flask] = []
    yield apps
    for app in apps:
        with app.app_context():
{%- if cookiecutter.database == "mongodb" %}
            db.client.close()
{%- else %}
            db.engine.dispose()
{%- endif %}


@pytest.fixture
def make_app(database_url: str, built_apps: list[Flask]) -> Callable[..., Flask]:
    """Build apps on this test's database, with settings overridden as asked."""

    def make(**overrides: Any) -> Flask:
        settings = make_settings(**{"database_url": database_url, **overrides})
        app = create_app(settings, password_hasher=CHEAP_HASHER)
        built_apps.append(app)
        return app

    return make


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., None]:
    """Set variables as a server's environment would hold them; no .env is read."""
    monkeypatch.chdir(tmp_path)

    def set_variables(**variables: str) -> None:
        for name, value in {"SECRET_KEY": SECRET_KEY, **variables}.items():
            monkeypatch.setenv(name, value)

    return set_variables


class Response(TestResponse):
    """A test response read as httpx reads one: `.json()` is a method."""

    def json(self) -> Any:  # type: ignore[override]
        return self.get_json()


class Cookies:
    """A client's cookies by name, as httpx's `client.cookies` gives them."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def __getitem__(self, name: str) -> str:
        cookie = self._client.get_cookie(name)
        if cookie is None:
            raise KeyError(name)
        return cookie.value

    def set(self, name: str, value: str) -> None:
        self._client.set_cookie(name, value)


class Client(FlaskClient):
    """app.test_client() that also speaks httpx's names (support.Client)."""

    @property
    def cookies(self) -> Cookies:
        return Cookies(self)

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        response: Response = self.open(url, method=method, **kwargs)
        return response

    def open(self, *args: Any, **kwargs: Any) -> Any:
        # httpx sends a raw body as `content`; werkzeug calls it `data`.
        if "content" in kwargs:
            kwargs["data"] = kwargs.pop("content")
        return super().open(*args, **kwargs)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def make_client(app: Flask, make_app: Callable[..., Flask]) -> Callable[..., Client]:
    """Clients of the test's app, or of an app with settings overridden as asked.

    `address` is the client's socket address, as the app sees it.
    """

    def make(address: str = "127.0.0.1", **overrides: Any) -> Client:
        client = Client(make_app(**overrides) if overrides else app, Response)
        client.environ_base["REMOTE_ADDR"] = address
        return client

    return make


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    return make_client()


@pytest.fixture
def password() -> str:
    return support.PASSWORD


@pytest.fixture
def secret_key() -> str:
    """The SECRET_KEY that test apps sign with."""
    return SECRET_KEY
{%- if cookiecutter.database == "mongodb" %}


@pytest.fixture
def database(app: Flask) -> Iterator[Database[Document]]:
    """The app's database, indexes in place, for tests that call services directly."""
    with app.app_context():
        yield db.database
{%- else %}


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """The app's database session, for tests that call services directly."""
    with app.app_context():
        yield db.session
{%- endif %}


@pytest.fixture
def new_account(make_client: Callable[..., Client]) -> support.NewAccount:
    return support.account_maker(make_client)
