"""The agent hand-off files a generated project carries."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from scaffold import __version__
from scaffold.cli import app
from tests.helpers import tree


def test_when_a_project_is_generated_then_the_tokens_hold_real_values(tmp_path: Path) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    result = CliRunner().invoke(app, ["new", "shop", "--stack", "flask-sqlite-session", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    project = tmp_path / "shop"

    assert (project / ".agent-tokens/workspace-path.txt").read_text() == f"{project.resolve()}\n"
    token = json.loads((project / ".agent-tokens/backend-complete.token").read_text())
    assert set(token) == {
        "agent", "profile", "workspace", "project", "status", "timestamp", "files_created",
        "next_agent", "stack", "scaffold_version",
    }  # fmt: skip
    assert token["agent"] == "backend-developer"
    assert token["profile"] == "app-builder"
    assert token["next_agent"] == "frontend-developer"
    assert token["status"] == "complete"
    assert token["workspace"] == str(project.resolve())
    assert token["project"] == "."
    assert token["stack"] == "flask-sqlite-session"
    assert token["scaffold_version"] == __version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", token["timestamp"])
    stamp = datetime.strptime(token["timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= datetime.now(UTC) + timedelta(seconds=1)
    on_disk = [p for p in tree(project) if p != ".agent-tokens/backend-complete.token"]
    assert token["files_created"] == on_disk


def test_when_generated_through_a_symlinked_folder_then_the_workspace_is_resolved(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    result = CliRunner().invoke(app, ["new", "demo", "-y", "-o", str(tmp_path / "link")])
    assert result.exit_code == 0, result.stderr
    workspace = (real / "demo/.agent-tokens/workspace-path.txt").read_text().strip()
    assert workspace == str((real / "demo").resolve())


def test_when_generated_then_the_gitignore_keeps_tokens_and_secrets_out(tmp_path: Path) -> None:
    CliRunner().invoke(app, ["new", "demo", "-y", "-o", str(tmp_path)])
    ignored = (tmp_path / "demo/.gitignore").read_text().splitlines()
    assert ".agent-tokens/" in ignored
    assert ".env" in ignored
