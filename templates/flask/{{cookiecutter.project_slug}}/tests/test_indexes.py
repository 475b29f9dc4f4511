"""MongoDB's schema: the indexes and validator made at start, which decide races."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from flask import Flask
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import WriteError

from {{ cookiecutter.package_name }} import __main__ as cli
from {{ cookiecutter.package_name }}.db import ensure_schema
from {{ cookiecutter.package_name }}.documents import Document

# The route that creates a user in this stack.
{%- if cookiecutter.auth == "none" %}
CREATE_ROUTE = "/api/users"
{%- else %}
CREATE_ROUTE = "/api/auth/register"
{%- endif %}


def indexes(database: Database[Document], collection: str) -> dict[str, Document]:
    return {index["name"]: index for index in database[collection].list_indexes()}


def a_user_breaking_the_validator() -> Document:
    now = datetime.now(UTC)
    return {
        "email": "ada@example.com",
        "username": "no spaces allowed",
        "password_hash": "x",
        "is_active": True,
        "created_at": now,
        "updated_at": now,
    }


def unused_port() -> int:
    """A port nothing listens on: one the system picks, released at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def logs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> pytest.LogCaptureFixture:
    """What main() logs; its own logging setup would replace pytest's capture."""
    monkeypatch.setattr(cli, "configure_logging", lambda level: None)
    return caplog


def test_when_the_app_starts_then_email_and_username_are_unique(
    database: Database[Document],
) -> None:
    users = indexes(database, "users")

    assert users["email_unique"]["unique"] is True
    assert dict(users["email_unique"]["key"]) == {"email": 1}
    assert users["username_unique"]["unique"] is True
    assert dict(users["username_unique"]["key"]) == {"username": 1}
{%- if cookiecutter.auth != "none" %}


@pytest.mark.parametrize(
    ("collection", "field", "seconds"),
    [
{%- if cookiecutter.auth == "session" %}
        ("sessions", "expires_at", 0),
{%- else %}
        ("revoked_tokens", "expires_at", 0),
{%- endif %}
        ("login_failures", "failed_at", 60),
    ],
)
def test_when_the_app_starts_then_short_lived_records_expire_by_ttl_index(
    database: Database[Document], collection: str, field: str, seconds: int
) -> None:
    ttl = indexes(database, collection)["expiry"]

    assert dict(ttl["key"]) == {field: 1}
    assert ttl["expireAfterSeconds"] == seconds
{%- endif %}


def test_when_the_schema_is_ensured_again_then_nothing_changes(
    database: Database[Document],
) -> None:
    before = indexes(database, "users")

    ensure_schema(database)
    ensure_schema(database)

    assert indexes(database, "users") == before


def test_when_a_document_breaks_the_validator_then_the_server_refuses_it(
    database: Database[Document],
) -> None:
    with pytest.raises(WriteError):
        database["users"].insert_one(a_user_breaking_the_validator())


def test_when_migrate_runs_then_the_indexes_and_validator_exist_and_it_exits_0(
    database_url: str,
    environment: Callable[..., None],
    logs: pytest.LogCaptureFixture,
) -> None:
    environment(DATABASE_URL=database_url)

    code = cli.main(["migrate"])

    assert code == 0
    client: MongoClient[Document] = MongoClient(database_url)
    try:
        database = client.get_default_database()
        users = indexes(database, "users")
        assert users["email_unique"]["unique"] is True
        assert users["username_unique"]["unique"] is True
        with pytest.raises(WriteError):
            database["users"].insert_one(a_user_breaking_the_validator())
    finally:
        client.close()


def test_when_mongodb_cannot_be_reached_then_migrate_logs_one_error_and_exits_1(
    environment: Callable[..., None], logs: pytest.LogCaptureFixture
) -> None:
    url = f"mongodb://127.0.0.1:{unused_port()}/app?serverSelectionTimeoutMS=300"
    environment(DATABASE_URL=url)

    code = cli.main(["migrate"])

    assert code == 1
    errors = [r.getMessage() for r in logs.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert errors[0].startswith("cannot create the MongoDB indexes: ")


def test_when_many_requests_race_for_one_email_then_one_wins_and_the_rest_get_409(
    app: Flask, password: str
) -> None:
    def create(number: int) -> int:
        body = {
            "email": "ada@example.com",
            "password": password,
            "username": f"ada_{number}",
        }
        return app.test_client().post(CREATE_ROUTE, json=body).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(create, range(8)))

    assert statuses == [201] + [409] * 7
