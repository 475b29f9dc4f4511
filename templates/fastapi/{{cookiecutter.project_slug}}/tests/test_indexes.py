"""The indexes that stand in for a schema: made at start, unique, and expiring."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pymongo import MongoClient
from pymongo.errors import WriteError

from {{ cookiecutter.package_name }} import __main__ as cli
from {{ cookiecutter.package_name }}.documents import (
{%- if cookiecutter.auth != "none" %}
    LOGIN_FAILURES,
{%- endif %}
{%- if cookiecutter.auth == "jwt" %}
    REVOKED_TOKENS,
{%- elif cookiecutter.auth == "session" %}
    SESSIONS,
{%- endif %}
    USERS,
)
from {{ cookiecutter.package_name }}.mongo import Database, create_indexes
from {{ cookiecutter.package_name }}.services import users

NewAccount = Callable[..., Any]
{%- if cookiecutter.auth == "none" %}
BODY_ROUTE = "/api/users"
{%- else %}
BODY_ROUTE = "/api/auth/register"
{%- endif %}


async def index_keys(db: Database, collection: str) -> dict[str, dict[str, Any]]:
    """Each index of a collection by its first key, with its options."""
    information = await db[collection].index_information()
    return {index["key"][0][0]: index for index in information.values()}


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


@pytest.mark.anyio
async def test_when_the_app_has_started_then_email_and_username_are_unique(
    client: TestClient, db: Database
) -> None:
    indexes = await index_keys(db, USERS)

    assert indexes["email"].get("unique") is True
    assert indexes["username"].get("unique") is True
{%- if cookiecutter.auth != "none" %}


@pytest.mark.anyio
async def test_when_the_app_has_started_then_short_lived_records_expire_on_their_own(
    client: TestClient, db: Database
) -> None:
{%- if cookiecutter.auth == "jwt" %}
    expiring = await index_keys(db, REVOKED_TOKENS)
{%- else %}
    expiring = await index_keys(db, SESSIONS)
{%- endif %}
    failures = await index_keys(db, LOGIN_FAILURES)

    assert expiring["expires_at"]["expireAfterSeconds"] == 0
    assert failures["failed_at"]["expireAfterSeconds"] == 60
{%- endif %}


@pytest.mark.anyio
async def test_when_indexes_are_created_again_then_nothing_changes(
    db: Database,
) -> None:
    before = await db[USERS].index_information()

    await create_indexes(db)
    await create_indexes(db)

    assert await db[USERS].index_information() == before


@pytest.mark.anyio
async def test_when_the_collection_already_exists_then_start_still_works(
    make_client: Callable[..., TestClient], db: Database, password: str
) -> None:
    await db.drop_collection(USERS)
    await db.create_collection(USERS)

    client = make_client()
    response = client.post(
        BODY_ROUTE, json={"email": "ada@example.com", "password": password}
    )

    assert response.status_code == 201
    assert (await index_keys(db, USERS))["email"].get("unique") is True


def test_when_a_duplicate_slips_past_the_checks_then_the_index_answers_409(
    client: TestClient, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def looks_free(*_args: object) -> None:
        return None

    # As if a concurrent request had written the same email between check and insert.
    monkeypatch.setattr(users, "_ensure_email_free", looks_free)
    body = {"email": "ada@example.com", "password": password}

    first = client.post(BODY_ROUTE, json=body)
    second = client.post(BODY_ROUTE, json={**body, "username": "another"})

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"] == {
        "code": "conflict",
        "message": "Email is already registered",
    }


def test_when_migrate_runs_then_the_indexes_and_validator_exist_and_it_exits_0(
    run_main: Callable[..., int], database_url: str
) -> None:
    code = run_main("migrate", database_url=database_url)

    assert code == 0
    client: MongoClient[dict[str, Any]] = MongoClient(database_url)
    try:
        users = client.get_default_database()[USERS]
        information = users.index_information().values()
        unique = {index["key"][0][0] for index in information if index.get("unique")}
        assert unique == {"email", "username"}
        now = datetime.now(UTC)
        with pytest.raises(WriteError):
            users.insert_one({"email": "ada@example.com", "created_at": now})
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
