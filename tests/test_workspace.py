"""Agent workspaces: `scaffold new` into a prepared workspace, `scaffold new .`, and refusals."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scaffold import tokens, writer
from scaffold.errors import TargetExistsError
from scaffold.render import RenderedFile
from tests.helpers import run_scaffold, tree

STACK = "flask-sqlite-jwt"


def workspace(root: Path, named: Path | None = None) -> dict[str, str]:
    """A workspace as the hand-off's setup step makes it, with another agent's file; its files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".agent-tokens").mkdir()
    (root / tokens.WORKSPACE_FILE).write_text(f"{(named or root).resolve()}\n")
    (root / ".agent-tokens/setup-complete.token").write_text('{"agent": "setup"}\n')
    (root / "brief.md").write_text("Build a todo API.\n")
    return {path: (root / path).read_text() for path in tree(root)}


def unchanged(root: Path, before: dict[str, str]) -> None:
    for path, text in before.items():
        assert (root / path).read_text() == text, f"{path} changed"


def test_when_new_runs_in_a_workspace_then_the_project_has_no_tokens_of_its_own(tmp_path: Path) -> None:
    before = workspace(tmp_path / "ws")
    result = run_scaffold("new", "backend", "--stack", STACK, "--no-verify", "--no-git", cwd=tmp_path / "ws")
    assert result.returncode == 0, result.stderr

    project = tmp_path / "ws/backend"
    assert (project / "pyproject.toml").is_file()
    assert not (project / ".agent-tokens").exists()
    unchanged(tmp_path / "ws", before)
    # --no-verify: nothing vouches for the backend, so the next agent finds no token, and is told.
    assert not (tmp_path / "ws" / tokens.COMPLETE_FILE).exists()
    assert "no completion token was written (--no-verify)" in result.stderr
    assert sorted(p for p in tree(tmp_path / "ws") if not p.startswith("backend/")) == sorted(before)


def test_when_new_runs_below_a_workspace_then_json_names_it(tmp_path: Path) -> None:
    workspace(tmp_path / "ws")
    (tmp_path / "ws/services").mkdir()
    result = run_scaffold(
        "new", "api", "--stack", STACK, "--no-verify", "--no-git", "--json", cwd=tmp_path / "ws/services"
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["workspace"] == str((tmp_path / "ws").resolve())
    assert not any(path.startswith(".agent-tokens") for path in document["files"])
    assert document["verification"] is None
    assert document["token_written"] is False


def test_when_the_workspace_path_names_another_folder_then_exit_1_and_nothing_written(tmp_path: Path) -> None:
    before = workspace(tmp_path / "ws", named=tmp_path / "elsewhere")
    for args in (["new", "backend"], ["new", "."]):
        result = run_scaffold(*args, "--stack", STACK, "--no-git", cwd=tmp_path / "ws")
        assert result.returncode == 1, result.stderr
        assert str((tmp_path / "elsewhere").resolve()) in result.stderr
        assert f"not '{(tmp_path / 'ws').resolve()}'" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert sorted(tree(tmp_path / "ws")) == sorted(before)
        unchanged(tmp_path / "ws", before)


def test_when_verify_runs_in_a_moved_workspace_then_exit_1_naming_both(tmp_path: Path) -> None:
    workspace(tmp_path / "ws", named=tmp_path / "elsewhere")
    (tmp_path / "ws/backend").mkdir()
    result = run_scaffold("verify", "backend", cwd=tmp_path / "ws")
    assert result.returncode == 1
    assert str((tmp_path / "elsewhere").resolve()) in result.stderr


def test_when_new_dot_runs_in_the_workspace_itself_then_its_files_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "todo-api"
    root.mkdir()
    (root / ".agent-tokens").mkdir()
    (root / tokens.WORKSPACE_FILE).write_text(f"{root.resolve()}\n")
    (root / ".agent-tokens/setup-complete.token").write_text("{}\n")
    before = {path: (root / path).read_text() for path in tree(root)}
    result = run_scaffold("new", ".", "--stack", STACK, "--no-verify", "--no-git", "--json", cwd=root)
    assert result.returncode == 0, result.stderr

    document = json.loads(result.stdout)
    assert document["package"] == "todo_api"
    assert Path(document["path"]) == root.resolve()
    assert (root / "src/todo_api/__init__.py").is_file()
    unchanged(root, before)
    assert sorted(p for p in tree(root) if p.startswith(".agent-tokens/")) == sorted(before)
    assert "cd " not in " ".join(document["next_steps"]), "the project is the current folder"


def test_when_new_dot_runs_in_an_empty_folder_then_it_is_a_standalone_project(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    root.mkdir()
    result = run_scaffold("new", ".", "--stack", STACK, cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "src/shop/__main__.py").is_file()
    assert (root / tokens.WORKSPACE_FILE).read_text() == f"{root.resolve()}\n"
    assert (root / ".git").is_dir()
    assert not [p for p in root.iterdir() if p.name.endswith(".scaffold-staging")]


@pytest.mark.parametrize("occupant", ["notes.txt", "src"])
def test_when_new_dot_finds_anything_of_a_project_then_exit_1_and_nothing_written(
    tmp_path: Path, occupant: str
) -> None:
    root = tmp_path / "shop"
    root.mkdir()
    (root / ".git").mkdir()
    (root / occupant).mkdir() if occupant == "src" else (root / occupant).write_text("mine\n")
    before = tree(root)
    result = run_scaffold("new", ".", "--stack", STACK, cwd=root)
    assert result.returncode == 1
    assert "is not empty" in result.stderr
    assert occupant in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree(root) == before
    assert sorted(p.name for p in root.iterdir()) == sorted([".git", occupant])


def test_when_the_folder_name_is_not_a_valid_name_then_new_dot_is_exit_2(tmp_path: Path) -> None:
    root = tmp_path / "my project"
    root.mkdir()
    result = run_scaffold("new", ".", "--stack", STACK, cwd=root)
    assert result.returncode == 2
    assert "takes the name of the folder" in result.stderr
    assert list(root.iterdir()) == []


def test_when_the_folder_is_a_git_repository_then_new_dot_joins_it(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    root.mkdir()
    subprocess.run(["git", "init", "-q", root], check=True)
    head = (root / ".git/HEAD").read_text()
    result = run_scaffold("new", ".", "--stack", STACK, cwd=root)
    assert result.returncode == 0, result.stderr
    assert "inside the git repository" in result.stderr
    assert (root / ".git/HEAD").read_text() == head
    assert not list((root / "src").rglob(".git"))


def test_when_a_file_appears_while_writing_in_place_then_every_move_is_undone(tmp_path: Path) -> None:
    files = [RenderedFile("a.txt", b"a\n", 0o644), RenderedFile("z/b.txt", b"b\n", 0o644)]

    def race() -> None:
        with writer.into_folder(tmp_path, files):
            (tmp_path / "z").mkdir()
            (tmp_path / "z/b.txt").write_text("someone else's\n")

    with pytest.raises(TargetExistsError):
        race()
    assert sorted(tree(tmp_path)) == ["z/b.txt"]
    assert (tmp_path / "z/b.txt").read_text() == "someone else's\n"
