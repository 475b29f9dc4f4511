"""Load: 50 concurrent clients registering, signing in and doing CRUD, then a restart on the same data.

The project runs with its documented run command on a database of its own (a fresh PostgreSQL or
MongoDB database, or an SQLite file in a temp dir). Under load no request may fail at the transport
level, none may answer 5xx and every one must answer as the contract says (a `database is locked`
surfaces here). Then the server gets SIGTERM, must stop within the harness's grace period, and a
new one on the same database must still know every user created under load.

SCAFFOLD_LOAD_SECONDS sets the duration (default 5; the longer bench run uses 30).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.figures import FIGURES

from . import harness
from .contract.client import describe
from .load import PASSWORD, LoadResult, run_load

pytestmark = pytest.mark.e2e

CLIENTS = 50


def load_seconds() -> float:
    return float(os.environ.get("SCAFFOLD_LOAD_SECONDS", "5"))


def load_database_url(stack: harness.Stack, database_url: Callable[[str], str | None], tmp_path: Path) -> str:
    """A database for the load run alone; for SQLite a file in a temp dir (sqlite:////abs/path)."""
    url = database_url("load")
    return url if url is not None else f"sqlite:///{tmp_path / 'load.db'}"


def every_user(client: httpx.Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = []
    while True:
        response = client.get("/api/users", params={"limit": 100, "offset": len(users)}, headers=headers)
        assert response.status_code == 200, describe(response)
        page = response.json()
        users.extend(page["items"])
        if not page["items"] or len(users) >= page["total"]:
            return users


def credentials(client: httpx.Client, auth: str, email: str) -> dict[str, str]:
    if auth == "none":
        return {}
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, describe(response)
    if auth == "jwt":
        return {"Authorization": f"Bearer {response.json()['access_token']}"}
    return {"Cookie": response.headers["set-cookie"].split(";", 1)[0]}


def test_when_fifty_clients_use_the_api_at_once_then_no_request_fails_and_a_restart_loses_nothing(
    stack: harness.Stack,
    project: harness.Project,
    database_url: Callable[[str], str | None],
    tmp_path: Path,
) -> None:
    url = load_database_url(stack, database_url, tmp_path)
    # All load comes from one address: the failed-login limit must not be what answers it.
    settings = {"LOGIN_RATE_LIMIT": "1000000"}

    server = harness.boot_project(project, tmp_path, url, **settings)
    try:
        result: LoadResult = run_load(server.base_url, stack.auth, clients=CLIENTS, seconds=load_seconds())
    finally:
        server.stop()
    FIGURES.put(f"projects.{stack.name}.load", result.summary())
    log = server.log_tail(40)

    assert not result.errors, f"{len(result.errors)} transport errors, e.g. {result.errors[:5]}\n{log}"
    assert result.server_errors == 0, f"5xx answers: {dict(result.statuses)}\n{result.unexpected[:5]}\n{log}"
    assert not result.unexpected, (
        f"{len(result.unexpected)} answers off the contract: {result.unexpected[:5]}\n{log}"
    )
    assert len(result.users) == CLIENTS, f"only {len(result.users)} of {CLIENTS} clients registered"
    assert result.requests >= 4 * CLIENTS, result.summary()
    assert not server.killed, f"the server did not stop within 10 s of SIGTERM\n{log}"

    again = harness.boot_project(project, tmp_path, url, **settings)
    try:
        with httpx.Client(base_url=again.base_url, timeout=30) as client:
            headers = credentials(client, stack.auth, next(iter(result.users)))
            stored = {user["email"]: user["id"] for user in every_user(client, headers)}
    finally:
        again.stop()

    lost = {email: ident for email, ident in result.users.items() if stored.get(email) != ident}
    assert not lost, f"{len(lost)} of {len(result.users)} users created under load are gone: {list(lost)[:5]}"
