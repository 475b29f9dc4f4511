"""Fixtures: a fresh app on a database of its own, dropped afterwards, per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import PyMongoError
from werkzeug.test import TestResponse

from {{ cookiecutter.package_name }} import create_app
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.db import db
from {{ cookiecutter.package_name }}.documents import Document

# 64 bytes: long enough for any HMAC algorithm the tests sign with.
SECRET_KEY = "test-secret-" + "0123456789abcdef" * 3 + "0123"
PASSWORD = "correct horse battery"
TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "mongodb://localhost:27017/{{ cookiecutter.package_name }}_test"
)


def make_settings(**overrides: Any) -> Settings:
    """Settings for a test: nothing read from .env, the given values win."""
    values: dict[str, Any] = {"app_env": "test", "secret_key": SECRET_KEY, **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def with_database(url: str, name: str) -> str:
    """The same server URL, naming another database."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def shown(url: str) -> str:
    """The URL without its credentials, fit for a message."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's or CI's APP_ENV, LOGIN_RATE_LIMIT, ... must not steer the tests.
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


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


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps on this test's database, with settings overridden as asked."""
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = create_app(make_settings(**{"database_url": database_url, **overrides}))
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.client.close()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def database(app: Flask) -> Iterator[Database[Document]]:
    """The app's database, indexes in place, for tests that call services directly."""
    with app.app_context():
        yield db.database
