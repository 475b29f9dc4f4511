"""`scaffold new --verify` on every built stack, and `scaffold verify` on projects broken on purpose."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from . import harness
from .conftest import selected_stacks

pytestmark = pytest.mark.e2e

STEPS = ["install", "lint", "test", "boot"]


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


def test_when_a_stack_is_generated_with_verify_then_it_passes_and_the_token_records_it(
    stack: harness.Stack | str, database_url: Callable[[str], str | None], tmp_path: Path
) -> None:
    if not isinstance(stack, harness.Stack):
        pytest.fail(str(stack), pytrace=False)
    extra = {}
    # The caller's environment wins over the project's .env: a database for the tests, another for the boot.
    for variable, purpose in (("TEST_DATABASE_URL", "verify_tests"), ("DATABASE_URL", "verify_boot")):
        url = database_url(purpose)
        if url is not None:
            extra[variable] = url

    code, out, err = scaffold(
        "new", "demo", "--stack", stack.name, "--verify", "--json", "--no-input", "-o", tmp_path,
        stack=stack, extra=extra,
    )  # fmt: skip

    assert code == 0, f"`scaffold new --verify` failed for {stack.name}\n{harness.tail(err)}"
    document = json.loads(out)
    verification = document["verification"]
    assert verification["passed"] is True
    assert [step["name"] for step in verification["steps"]] == STEPS
    assert verification["tests_passed"] > 0
    assert document["install"] == verification["steps"][0]
    token = json.loads((tmp_path / "demo/.agent-tokens/backend-complete.token").read_text())
    assert token["stack"] == stack.name
    assert token["workspace"] == str((tmp_path / "demo").resolve())
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
