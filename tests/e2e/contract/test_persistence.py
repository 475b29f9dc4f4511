"""Contract: server-side state lives in the database, so a restart keeps what it must."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .. import harness
from .client import assert_error, connect, describe

pytestmark = [pytest.mark.e2e, pytest.mark.auth_modes("jwt", "session")]


def test_when_the_server_restarts_then_sessions_live_on_and_logged_out_ones_stay_dead(
    project: harness.Project, database_url: Callable[[str], str | None], tmp_path: Path
) -> None:
    url = database_url("restart")
    settings = project.dotenv()

    first = harness.boot_project(project, tmp_path, url)
    try:
        with connect(first.base_url, project.stack.auth, settings, first.log_path) as api:
            kept = api.register()
            ended = api.login(kept)
            logout = api.logout(ended)
            assert logout.status_code == 204, describe(logout)
    finally:
        first.stop()

    second = harness.boot_project(project, tmp_path, url)
    try:
        with connect(second.base_url, project.stack.auth, settings, second.log_path) as api:
            alive = api.client.get("/api/auth/me", headers=kept.headers)
            dead = api.client.get("/api/auth/me", headers=ended.headers)
    finally:
        second.stop()

    assert alive.status_code == 200, describe(alive)
    assert alive.json()["id"] == kept.id
    assert_error(dead, 401, "unauthorized")
