"""Every Express stack installs with npm 12 too, which runs no install script unless allowed, and
then passes its tests, boots and hashes a password (a hasher whose native part an install script
builds would crash at the first hash)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from . import harness

pytestmark = [pytest.mark.e2e, pytest.mark.languages("javascript")]


@pytest.fixture(scope="module")
def npm12() -> str:
    path = os.environ.get("SCAFFOLD_NPM12", "")
    assert os.access(path, os.X_OK), "SCAFFOLD_NPM12 names no npm 12; scripts/test installs one"
    version = harness.run([path, "--version"], timeout=60).stdout.strip()
    assert version.startswith("12."), version
    return path


def test_when_installed_with_npm_12_then_tests_pass_it_boots_and_passwords_hash(
    stack: harness.Stack,
    npm12: str,
    database_url: Callable[[str], str | None],
    tmp_path: Path,
) -> None:
    project = harness.generate_project(stack, "npm12-app", tmp_path)
    env = harness.node_env(path_first=project.bin)
    node = harness.run(["node", "--version"], env=env).stdout.strip()
    assert re.fullmatch(r"v(2[4-9]|[3-9]\d)\..*", node), f"the Express stacks target Node 24, not {node}"

    install = harness.run(
        [npm12, "install", "--no-audit", "--no-fund", "--prefer-offline"],
        cwd=project.path,
        env=env,
        timeout=600,
    )
    # npm 12 warns of each install script it blocked; none may be needed, so none may be there.
    said = install.stdout + install.stderr
    assert "install-scripts" not in said, harness.tail(said)

    extra = {}
    test_database = database_url("npm12")
    if test_database is not None:
        extra["TEST_DATABASE_URL"] = test_database
    result = harness.run(
        [npm12, "test"],
        cwd=project.path,
        env=harness.node_env(extra, path_first=project.bin),
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, harness.tail(output, 80)
    counts = harness.node_test_summary(output)
    assert counts["failed"] == 0, counts
    assert counts["passed"] >= 20, counts

    server = harness.boot_project(project, tmp_path, database_url("npm12_boot"))
    try:
        path = "/api/users" if stack.auth == "none" else "/api/auth/register"
        status, body = harness.http_post_json(
            server.base_url + path,
            {"email": "npm12@example.com", "password": "long enough password"},
            timeout=30,
        )
        assert status == 201, (status, body, server.log_tail())
    finally:
        server.stop()
    assert server.process.returncode is not None
