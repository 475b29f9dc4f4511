"""MongoDB's schema: the indexes and validator made at start, which decide races."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
{%- if cookiecutter._framework == "flask" %}
from concurrent.futures import ThreadPoolExecutor
{%- endif %}
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
{%- if cookiecutter._framework == "flask" %}
from flask import Flask
{%- endif %}
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import WriteError

import support
from {{ cookiecutter.package_name }} import __main__ as cli
{%- if cookiecutter._framework == "flask" %}
from {{ cookiecutter.package_name }}.db import ensure_schema
{%- else %}
from {{ cookiecutter.package_name }}.mongo import Database as AsyncDatabase
from {{ cookiecutter.package_name }}.mongo import create_indexes
from {{ cookiecutter.package_name }}.services import users
{%- endif %}

# The route that creates a user in this stack.
{%- if cookiecutter.auth == "none" %}
CREATE_ROUTE = "/api/users"
{%- else %}
CREATE_ROUTE = "/api/auth/register"
{%- endif %}


def index_keys(database: Database[Any], collection: str) -> dict[str, dict[str, Any]]:
    """Each index the server reports for a collection, by its first key."""
    information = database[collection].index_information()
    return {index["key"][0][0]: index for index in information.values()}


def a_user(**fields: Any) -> dict[str, Any]:
    """A user document as the app writes one, but for `fields` (None: left out)."""
    now = datetime.now(UTC)
    user = {
        "email": "ada@example.com",
        "username": "ada",
        "password_hash": "x",
        "is_active": True,
        "created_at": now,
        "updated_at": now,
        **fields,
    }
    return {name: value for name, value in user.items() if value is not None}


def unused_port() -> int:
    """A port nothing listens on: one the system picks, released at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def run_main(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, secret_key: str
) -> Callable[..., int]:
    """Run the command line on a DATABASE_URL, as a server's environment sets it."""
    # Away from the project's .env; main()'s own logging setup would replace
    # pytest's capture, so caplog sees what it logs only without it.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SECRET_KEY", secret_key)
    monkeypatch.setattr(cli, "configure_logging", lambda level: None)

    def run(*argv: str, database_url: str) -> int:
        monkeypatch.setenv("DATABASE_URL", database_url)
        return cli.main(list(argv))

    return run


def test_when_the_app_has_started_then_email_and_username_are_unique(
    client: support.Client, database: Database[Any]
) -> None:
    indexes = index_keys(database, "users")

    assert indexes["email"]["unique"] is True
    assert indexes["email"]["key"] == [("email", 1)]
    assert indexes["username"]["unique"] is True
    assert indexes["username"]["key"] == [("username", 1)]
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
def test_when_the_app_has_started_then_short_lived_records_expire_by_ttl_index(
    client: support.Client,
    database: Database[Any],
    collection: str,
    field: str,
    seconds: int,
) -> None:
    ttl = index_keys(database, collection)[field]

    assert ttl["key"] == [(field, 1)]
    assert ttl["expireAfterSeconds"] == seconds
{%- endif %}


@pytest.mark.parametrize(
    "fields",
    [{"password_hash": None}, {"username": "ab"}],
    ids=["a field left out", "a username too short"],
)
def test_when_a_document_breaks_the_validator_then_the_server_refuses_it(
    client: support.Client, database: Database[Any], fields: dict[str, Any]
) -> None:
    with pytest.raises(WriteError):
        database["users"].insert_one(a_user(**fields))


def test_when_migrate_runs_then_the_indexes_and_validator_exist_and_it_exits_0(
    run_main: Callable[..., int], database_url: str
) -> None:
    code = run_main("migrate", database_url=database_url)

    assert code == 0
    client: MongoClient[dict[str, Any]] = MongoClient(database_url)
    try:
        database = client.get_default_database()
        information = database["users"].index_information().values()
        unique = {index["key"][0][0] for index in information if index.get("unique")}
        assert unique == {"email", "username"}
        with pytest.raises(WriteError):
            database["users"].insert_one(a_user(password_hash=None))
    finally:
        client.close()


def test_when_mongodb_cannot_be_reached_then_migrate_logs_one_error_and_exits_1(
    run_main: Callable[..., int], caplog: pytest.LogCaptureFixture
) -> None:
    url = f"mongodb://127.0.0.1:{unused_port()}/app?serverSelectionTimeoutMS=300"

    code = run_main("migrate", database_url=url)

    assert code == 1
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert errors[0].startswith("cannot create the MongoDB indexes: ")
{%- if cookiecutter._framework == "flask" %}


def test_when_a_username_breaks_its_pattern_then_the_server_refuses_it(
    database: Database[Any],
) -> None:
    # The validator is built from schemas.py, the username's pattern with the rest.
    with pytest.raises(WriteError):
        database["users"].insert_one(a_user(username="no spaces allowed"))


def test_when_the_schema_is_ensured_again_then_nothing_changes(
    database: Database[Any],
) -> None:
    before = database["users"].index_information()

    ensure_schema(database)
    ensure_schema(database)

    assert database["users"].index_information() == before


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
{%- else %}


@pytest.mark.anyio
async def test_when_indexes_are_created_again_then_nothing_changes(
    db: AsyncDatabase,
) -> None:
    before = await db["users"].index_information()

    await create_indexes(db)
    await create_indexes(db)

    assert await db["users"].index_information() == before


def test_when_the_collection_already_exists_then_start_still_works(
    make_client: Callable[..., support.Client],
    database: Database[Any],
    password: str,
) -> None:
    database.drop_collection("users")
    database.create_collection("users")

    client = make_client()
    response = client.post(
        CREATE_ROUTE, json={"email": "ada@example.com", "password": password}
    )

    assert response.status_code == 201
    assert index_keys(database, "users")["email"].get("unique") is True


def test_when_a_duplicate_slips_past_the_checks_then_the_index_answers_409(
    client: support.Client, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def looks_free(*_args: object) -> None:
        return None

    # As if a concurrent request had written the same email between check and insert.
    monkeypatch.setattr(users, "_ensure_email_free", looks_free)
    body = {"email": "ada@example.com", "password": password}

    first = client.post(CREATE_ROUTE, json=body)
    second = client.post(CREATE_ROUTE, json={**body, "username": "another"})

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"] == {
        "code": "conflict",
        "message": "Email is already registered",
    }
{%- endif %}
