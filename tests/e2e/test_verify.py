"""Every command of every stack's AGENTS.md, `scaffold verify` among them, and `scaffold verify` on
projects broken on purpose."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scaffold.stacks import FRAMEWORK_INFO
from tests.helpers import agents_commands

from . import harness
from .conftest import selected_stacks

pytestmark = pytest.mark.e2e

STEPS = ["install", "lint", "test", "boot"]
# Each project's own suite: verify's test step fails on any failure, and must pass at least these.
MIN_PROJECT_TESTS = 20


def scaffold(
    *args: str | Path, stack: harness.Stack, extra: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run the real CLI the way a user would, with the shared package caches; (code, stdout, stderr)."""
    values = {"NO_COLOR": "1", **(extra or {})}
    env = harness.node_env(values) if stack.language == "javascript" else harness.clean_env(values)
    result = harness.run(
        [sys.executable, "-m", "scaffold", *args], cwd=harness.REPO_ROOT, env=env, timeout=1500, check=False
    )
    return result.returncode, result.stdout, result.stderr


def agent_variables(database_url: Callable[[str], str | None], purpose: str) -> dict[str, str]:
    """What an agent's shell sets: this Python's scaffold first on PATH and, where the stack has a
    server, fresh databases. The caller's environment wins over the project's .env: a database
    for the tests, another for the rest."""
    values = {"PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', os.defpath)}"}
    for variable, use in (("TEST_DATABASE_URL", "tests"), ("DATABASE_URL", "boot")):
        url = database_url(f"{purpose}_{use}")
        if url is not None:
            values[variable] = url
    return values


def _shell(command: str, project: Path, env: dict[str, str], timeout: float) -> None:
    """Run one line of AGENTS.md as an agent's fresh shell would, from the project folder."""
    result = harness.run(["sh", "-c", command], cwd=project, env=env, timeout=timeout, check=False)
    assert result.returncode == 0, (
        f"`{command}` exited with {result.returncode}\n{harness.tail(result.stdout + result.stderr)}"
    )


def _serves(command: str, project: Path, env: dict[str, str], variables: tuple[str, str], logs: Path) -> None:
    """Start a server command of AGENTS.md on a free port and see GET /health answer 200."""
    port = harness.free_port()
    host, port_variable = variables
    values = {**env, "HOST": "127.0.0.1", "PORT": str(port), host: "127.0.0.1", port_variable: str(port)}
    server = harness.start_server(command, cwd=project, env=values, port=port, log_path=logs / f"{port}.log")
    server.stop(timeout=10)


def test_when_every_command_of_agents_md_runs_then_each_succeeds_and_verify_writes_the_token(
    stack: harness.Stack | str, database_url: Callable[[str], str | None], tmp_path: Path
) -> None:
    """AGENTS.md's commands, each as written: install, migrate and dev here; lint, test and run are
    the steps `scaffold verify` runs (checked to be the same commands), which then writes the token."""
    if not isinstance(stack, harness.Stack):
        pytest.fail(str(stack), pytrace=False)
    code, _, err = scaffold("new", "demo", "--stack", stack.name, "--no-input", "-o", tmp_path, stack=stack)
    assert code == 0, err
    project = tmp_path / "demo"
    commands = agents_commands((project / "AGENTS.md").read_text())
    assert list(commands) == ["install", "dev", "test", "lint", "run", "migrate", "verify"]

    values = agent_variables(database_url, "verify")
    env = harness.node_env(values) if stack.language == "javascript" else harness.clean_env(values)
    _shell(commands["install"], project, env, timeout=900)
    _shell(commands["migrate"], project, env, timeout=120)
    address = FRAMEWORK_INFO[stack.framework].dev_address
    _serves(commands["dev"], project, env, address, tmp_path)

    result = harness.run(
        ["sh", "-c", commands["verify"] + " --json"], cwd=project, env=env, timeout=1500, check=False
    )
    assert result.returncode == 0, f"`scaffold verify` failed for {stack.name}\n{harness.tail(result.stderr)}"
    verification = json.loads(result.stdout)
    assert [step["name"] for step in verification["steps"]] == STEPS
    ran = {step["name"]: step["command"] for step in verification["steps"]}
    assert ran["lint"] == commands["lint"]
    assert ran["test"] == commands["test"]
    assert ran["boot"].endswith(f" {commands['run']}"), ran["boot"]
    assert verification["tests_passed"] >= MIN_PROJECT_TESTS, (
        f"the project's own suite passed only {verification['tests_passed']} tests"
    )
    token = json.loads((project / ".agent-tokens/backend-complete.token").read_text())
    assert token["stack"] == stack.name
    assert token["workspace"] == str(project.resolve())
    assert token["verification"]["passed"] is True
    assert token["verification"]["tests_passed"] == verification["tests_passed"]


def _one_sqlite_stack_per_language() -> list[harness.Stack]:
    chosen: dict[str, harness.Stack] = {}
    for stack in selected_stacks():
        if stack.database == "sqlite":
            chosen.setdefault(stack.language, stack)
    return list(chosen.values())


_BROKEN = _one_sqlite_stack_per_language()

FAILING_TEST = {
    "python": (
        "tests/test_broken_on_purpose.py",
        "def test_when_broken_then_it_fails():\n    total = sum([1, 1])\n    assert total == 3\n",
    ),
    "javascript": (
        "tests/broken-on-purpose.test.js",
        "import test from 'node:test';\nimport assert from 'node:assert/strict';\n\n"
        "test('when broken, then it fails', () => {\n  assert.equal(1, 2);\n});\n",
    ),
}
SYNTAX_ERROR = {"python": "broken.py", "javascript": "src/broken.js"}


# One Python and one JavaScript stack are enough to show how verify fails.
@pytest.mark.parametrize("broken_stack", _BROKEN, ids=[stack.name for stack in _BROKEN])
def test_when_a_project_is_broken_then_verify_names_the_failing_step_and_leaves_no_token(
    broken_stack: harness.Stack, tmp_path: Path
) -> None:
    stack = broken_stack
    code, out, err = scaffold("new", "demo", "--stack", stack.name, "--no-input", "-o", tmp_path, stack=stack)
    assert code == 0, err
    project = tmp_path / "demo"
    token = project / ".agent-tokens/backend-complete.token"
    assert token.exists(), "plain `scaffold new` still writes its token"

    # A test that fails: the tests step fails, after install and lint passed.
    name, content = FAILING_TEST[stack.language]
    (project / name).write_text(content)
    code, out, err = scaffold("verify", project, "--json", stack=stack)
    assert code == 1, err
    assert "verification failed at step 'test'" in err
    report = json.loads(out)
    assert report["failed_step"] == "test"
    assert [step["name"] for step in report["steps"]] == ["install", "lint", "test"]
    assert "broken" in report["steps"][2]["output"]
    assert not token.exists()

    # A syntax error: the linter stops it first.
    (project / name).unlink()
    (project / SYNTAX_ERROR[stack.language]).write_text("def broken(:\n    pass\n")
    code, out, err = scaffold("verify", project, stack=stack)
    assert code == 1, err
    assert "verification failed at step 'lint'" in err
    assert "Traceback" not in err
    assert not token.exists()


_PYTHON = [stack for stack in _BROKEN if stack.language == "python"][:1]


@pytest.mark.parametrize("python_stack", _PYTHON, ids=[stack.name for stack in _PYTHON])
def test_when_generated_with_install_then_the_venv_works_and_the_token_is_the_unverified_one(
    python_stack: harness.Stack, tmp_path: Path
) -> None:
    code, out, err = scaffold(
        "new", "demo", "--stack", python_stack.name, "--install", "--json", "--no-input", "-o", tmp_path,
        stack=python_stack,
    )  # fmt: skip
    assert code == 0, err
    document = json.loads(out)
    assert document["install"]["passed"] is True
    assert document["verification"] is None
    project = tmp_path / "demo"
    harness.run([project / ".venv/bin/python", "-c", f"import {document['package']}"], cwd=project)
    token = json.loads((project / ".agent-tokens/backend-complete.token").read_text())
    assert "verification" not in token, "--install alone verifies nothing and must not claim to"
