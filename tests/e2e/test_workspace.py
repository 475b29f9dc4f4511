"""The agent hand-off, end to end: `scaffold new` in a prepared workspace verifies the backend and
only then leaves the workspace's completion token, for the next agent to find."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import harness
from .conftest import selected_stacks
from .test_verify import FAILING_TEST, scaffold

pytestmark = pytest.mark.e2e


def _one_sqlite_stack_per_framework() -> list[harness.Stack]:
    chosen: dict[str, harness.Stack] = {}
    for stack in selected_stacks():
        if stack.database == "sqlite":
            chosen.setdefault(stack.framework, stack)
    return list(chosen.values())


_STACKS = _one_sqlite_stack_per_framework()


def prepare(root: Path, *, brief: bool = True) -> dict[str, str]:
    """What the hand-off's setup step makes, with another agent's token and (`brief`) a file
    beside the backend's folder; their contents."""
    (root / ".agent-tokens").mkdir(parents=True)
    (root / ".agent-tokens/workspace-path.txt").write_text(f"{root.resolve()}\n")
    (root / ".agent-tokens/architect-complete.token").write_text('{"agent": "architect"}\n')
    if brief:
        (root / "docs").mkdir()
        (root / "docs/brief.md").write_text("A todo API with users.\n")
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("where", ["backend", "."])
@pytest.mark.parametrize("workspace_stack", _STACKS, ids=[stack.name for stack in _STACKS])
def test_when_new_runs_in_a_workspace_then_the_token_comes_after_passing_tests(
    workspace_stack: harness.Stack, where: str, tmp_path: Path
) -> None:
    stack = workspace_stack
    root = tmp_path / "todo-app"
    # `new .` takes only a folder without a project's files: the brief would be in the way.
    before = prepare(root, brief=where != ".")
    code, out, err = scaffold(
        "new", where, "--stack", stack.name, "--json", "--no-git", "-o", root, stack=stack
    )
    assert code == 0, harness.tail(err)

    document = json.loads(out)
    project = root if where == "." else root / where
    assert document["workspace"] == str(root.resolve())
    assert Path(document["path"]) == project.resolve()
    assert document["verification"]["passed"] is True
    assert document["token_written"] is True

    folders = sorted(p.relative_to(root).as_posix() for p in root.rglob(".agent-tokens"))
    assert folders == [".agent-tokens"], "the workspace's .agent-tokens/ is the only one"
    for path, text in before.items():
        assert (root / path).read_text() == text, f"{path} was changed"

    token = json.loads((root / ".agent-tokens/backend-complete.token").read_text())
    assert token["workspace"] == str(root.resolve())
    assert token["project"] == where
    assert token["next_agent"] == "frontend-developer"
    assert token["stack"] == stack.name
    steps = {step["name"]: step for step in token["verification"]["steps"]}
    assert steps["test"]["passed"] is True
    assert steps["test"]["tests_passed"] > 0
    files = token["files_created"]
    assert "docs/brief.md" not in files
    assert ".agent-tokens/architect-complete.token" not in files
    prefix = "" if where == "." else f"{where}/"
    assert all(path.startswith(prefix) for path in files), files
    assert all((root / path).is_file() for path in files), (
        "each listed file exists, relative to the workspace"
    )
    assert f"{prefix}README.md" in files
    assert f"{prefix}AGENTS.md" in files


@pytest.mark.parametrize("workspace_stack", _STACKS[:1], ids=[stack.name for stack in _STACKS[:1]])
def test_when_the_backends_tests_fail_then_the_workspace_gets_no_token(
    workspace_stack: harness.Stack, tmp_path: Path
) -> None:
    stack = workspace_stack
    root = tmp_path / "ws"
    prepare(root)
    code, _, err = scaffold("new", "backend", "--stack", stack.name, "--no-verify", "-o", root, stack=stack)
    assert code == 0, err
    token = root / ".agent-tokens/backend-complete.token"
    assert not token.exists()

    name, content = FAILING_TEST[stack.language]
    (root / "backend" / name).write_text(content)
    code, _, err = scaffold("verify", root / "backend", stack=stack)
    assert code == 1, err
    assert "at step 'test'" in err
    assert not token.exists()

    (root / "backend" / name).unlink()
    code, _, err = scaffold("verify", root / "backend", stack=stack)
    assert code == 0, harness.tail(err)
    assert json.loads(token.read_text())["verification"]["passed"] is True
