"""The agent hand-off files in ``.agent-tokens/``: where the backend lives, and that it is done."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from scaffold import __version__
from scaffold.render import RenderedFile
from scaffold.writer import write_atomic

TOKENS_DIR = ".agent-tokens"
WORKSPACE_FILE = f"{TOKENS_DIR}/workspace-path.txt"
COMPLETE_FILE = f"{TOKENS_DIR}/backend-complete.token"


def workspace_file(project: Path) -> RenderedFile:
    """The file naming the project's absolute, resolved path."""
    return RenderedFile(WORKSPACE_FILE, f"{project}\n".encode(), 0o644)


def completion_token(
    project: Path, stack: str | None, files: Iterable[str], verification: dict[str, object] | None = None
) -> dict[str, object]:
    """The token's fields; `verification` (what `scaffold verify` ran and saw) when it was verified."""
    token: dict[str, object] = {
        "agent": "backend-developer",
        "profile": "app-builder",
        "workspace": str(project),
        "status": "complete",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files_created": sorted(files),
        "next_agent": "frontend-developer",
        "stack": stack,
        "scaffold_version": __version__,
    }
    if verification is not None:
        token["verification"] = verification
    return token


def write_completion_token(
    project: Path,
    stack: str | None,
    files: Iterable[str],
    verification: dict[str, object] | None = None,
    workspace: Path | None = None,
) -> None:
    """Write backend-complete.token atomically; call it last, once every step succeeded.

    `workspace` is where the project will live when it is written elsewhere first (staging).
    """
    token = completion_token(workspace or project, stack, files, verification)
    (project / TOKENS_DIR).mkdir(exist_ok=True)
    write_atomic(project / COMPLETE_FILE, (json.dumps(token, indent=2) + "\n").encode())


def remove_completion_token(project: Path) -> bool:
    """Remove a completion token that no longer holds; whether there was one."""
    try:
        (project / COMPLETE_FILE).unlink()
    except FileNotFoundError:
        return False
    return True


def read_workspace(project: Path) -> str | None:
    """The path workspace-path.txt names, or None when the project has no such file."""
    try:
        return (project / WORKSPACE_FILE).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
