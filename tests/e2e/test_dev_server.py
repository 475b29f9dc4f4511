"""Every stack's development server: started with its documented command, it serves a change to a
route's source without a restart."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scaffold.stacks import FRAMEWORK_INFO

from . import harness

pytestmark = pytest.mark.e2e

RELOAD_TIMEOUT = 30


def health_route_source(project: harness.Project) -> Path:
    """The source file that declares the project's `/health` route."""
    found = [
        path
        for path in (project.path / "src").rglob("health.*")
        if path.suffix in (".py", ".js") and any(f"{q}/health{q}" in path.read_text() for q in "'\"")
    ]
    assert len(found) == 1, f"expected one source file declaring /health, found {found}"
    return found[0]


def wait_for(server: harness.Server, path: str, status: int) -> None:
    deadline = time.monotonic() + RELOAD_TIMEOUT
    last = 0
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"the dev server exited\n{server.log_tail()}"
        last, _ = harness.http_get(server.base_url + path, timeout=2)
        if last == status:
            return
        time.sleep(0.2)
    raise AssertionError(
        f"GET {path} did not answer {status} within {RELOAD_TIMEOUT}s (last {last or 'no answer'})\n"
        f"{server.log_tail()}"
    )


@pytest.fixture
def dev_server(
    project: harness.Project,
    database_url: Callable[[str], str | None],
    tmp_path: Path,
) -> Iterator[harness.Server]:
    """The project's `dev` command on a free port, told its address the way its framework reads it."""
    assert "dev" in project.commands, project.commands
    host_variable, port_variable = FRAMEWORK_INFO[project.stack.framework].dev_address
    port = harness.free_port()
    env = harness.project_env(
        project, port, database_url("dev"), **{host_variable: "127.0.0.1", port_variable: str(port)}
    )
    server = harness.start_server(
        project.commands["dev"],
        cwd=project.path,
        env=env,
        port=port,
        log_path=tmp_path / "dev.log",
        timeout=60,
    )
    try:
        yield server
    finally:
        server.stop()


def test_when_a_route_changes_under_the_dev_server_then_the_change_is_served_without_a_restart(
    project: harness.Project, dev_server: harness.Server
) -> None:
    source = health_route_source(project)
    original = source.read_text()
    changed = original.replace("/health'", "/health-reloaded'").replace('/health"', '/health-reloaded"')
    try:
        source.write_text(changed)
        wait_for(dev_server, "/health-reloaded", 200)
        wait_for(dev_server, "/health", 404)
    finally:
        source.write_text(original)
    wait_for(dev_server, "/health", 200)
    # The same process, started once, served all three versions.
    assert dev_server.process.poll() is None, dev_server.log_tail()
