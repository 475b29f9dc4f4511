{%- if cookiecutter.database == "mongodb" -%}
"""Fixtures: a fresh app on a database of its own, dropped afterwards, per test."""
{%- else -%}
"""Fixtures: a fresh app on its own freshly migrated database for every test."""
{%- endif %}

from __future__ import annotations

{% if cookiecutter.database == "sqlite" -%}
import shutil
{% endif -%}
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
{%- if cookiecutter.database == "mongodb" %}
from pymongo import MongoClient
from pymongo.database import Database
{%- else %}
{%- if cookiecutter.database == "postgres" %}
from sqlalchemy import Engine, create_engine, make_url
{%- endif %}
from sqlalchemy.orm import Session
{%- endif %}
from werkzeug.test import TestResponse

import testbed
from {{ cookiecutter.package_name }} import create_app
from {{ cookiecutter.package_name }}.db import db
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import Document
{%- endif %}

# SECRET_KEY, the test database and the fixtures that every test uses.
pytest_plugins = ["testbed"]
{%- if cookiecutter.database == "mongodb" %}


@pytest.fixture
def database_url(_mongodb: MongoClient[Document]) -> Iterator[str]:
    """A database of this test's own on the test server, dropped when it ends."""
    name = testbed.new_database_name()
    yield testbed.with_database(testbed.TEST_DATABASE_URL, name)
    _mongodb.drop_database(name)
{%- elif cookiecutter.database == "postgres" %}


@pytest.fixture
def fresh_database_url(_postgres: Engine) -> str:
    """A database with nothing in it yet, not even migrations, beside the test one."""
    url = make_url(testbed.TEST_DATABASE_URL)
    fresh = url.set(database=f"{url.database}_fresh").render_as_string(
        hide_password=False
    )
    testbed.ensure_database(fresh)
    engine = create_engine(fresh)
    try:
        testbed.empty_schema(engine)
    finally:
        engine.dispose()
    return fresh
{%- else %}


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
        settings = testbed.make_settings(**{"database_url": database_url, **overrides})
        app = create_app(settings, password_hasher=testbed.CHEAP_HASHER)
        built_apps.append(app)
        return app

    return make


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., None]:
    """Set variables as a server's environment would hold them; no .env is read."""
    monkeypatch.chdir(tmp_path)

    def set_variables(**variables: str) -> None:
        for name, value in {"SECRET_KEY": testbed.SECRET_KEY, **variables}.items():
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
