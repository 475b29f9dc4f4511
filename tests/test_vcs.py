"""The new project as a git repository with a first commit, or a note saying why not."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app


@pytest.fixture
def no_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """git sees no configured author: no ~/.gitconfig (HOME is isolated), no system file."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var, raising=False)


def git(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True, timeout=30)


def test_when_git_has_an_identity_then_every_file_is_in_one_first_commit(
    tmp_path: Path, isolated_home: Path, no_identity: None
) -> None:
    (isolated_home / ".gitconfig").write_text("[user]\n\tname = Ada\n\temail = ada@example.com\n")
    result = CliRunner().invoke(app, ["new", "shop", "--stack", "flask-sqlite-session", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "shop"
    log = git(project, "log", "--format=%an|%s").stdout.splitlines()
    assert log == ["Ada|Initial commit: flask-sqlite-session from scaffold"]
    assert git(project, "status", "--porcelain").stdout == ""
    committed = git(project, "ls-files").stdout.splitlines()
    assert "pyproject.toml" in committed
    assert ".scaffold.toml" in committed
    assert not any(p.startswith(".agent-tokens/") or p == ".env" for p in committed)


def test_when_git_has_no_identity_then_the_repository_is_made_without_a_commit(
    tmp_path: Path, no_identity: None
) -> None:
    result = CliRunner().invoke(app, ["new", "shop", "-y", "--json", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "shop"
    assert (project / ".git").is_dir()
    assert git(project, "rev-parse", "--verify", "HEAD").returncode != 0
    note = "git has no user.name and user.email, so the repository was made but nothing was committed"
    assert json.loads(result.stdout)["notes"] == [note]
    assert (project / ".agent-tokens/backend-complete.token").is_file()


def test_when_no_git_then_no_repository(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["new", "shop", "-y", "--no-git", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert not (tmp_path / "shop/.git").exists()


def test_when_git_is_not_installed_then_the_project_is_made_and_a_note_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = CliRunner().invoke(app, ["new", "shop", "-y", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert "note: git is not installed, so no repository was made" in result.stderr
    assert not (tmp_path / "shop/.git").exists()
    assert (tmp_path / "shop/pyproject.toml").is_file()


@pytest.mark.parametrize("failing", ["init", "add", "commit"])
def test_when_git_fails_then_its_last_line_is_the_error_and_the_project_is_undone(
    failing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = subprocess.run(["sh", "-c", "command -v git"], capture_output=True, text=True).stdout.strip()
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "{failing}" ]; then\n'
        "  echo 'hint: something first' >&2\n"
        "  echo 'fatal: unable to write new index file' >&2\n"
        "  exit 128\n"
        "fi\n"
        f'exec {real} "$@"\n'
    )
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{Path(real).parent}")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "A")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "a@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "A")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "a@example.com")
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(app, ["new", "shop", "-y", "-q", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"error: git {failing} failed: fatal: unable to write new index file\n"
    assert list(out.iterdir()) == []
