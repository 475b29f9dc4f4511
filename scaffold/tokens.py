"""The agent hand-off files in ``.agent-tokens/``: where the backend lives, and that it is done."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from scaffold import __version__
from scaffold.errors import WorkspaceMismatchError
from scaffold.render import RenderedFile
from scaffold.writer import write_atomic

TOKENS_DIR = ".agent-tokens"
WORKSPACE_FILE = f"{TOKENS_DIR}/workspace-path.txt"
COMPLETE_FILE = f"{TOKENS_DIR}/backend-complete.token"


class Workspace(NamedTuple):
    """The folder that holds the hand-off files, and where the backend sits in it."""

    root: Path  # holds .agent-tokens/
    project: Path  # the backend: the root itself, or a folder inside it

    @property
    def folder(self) -> str:
        """The project's folder relative to the workspace: `.` or, say, `backend`."""
        return self.project.relative_to(self.root).as_posix()


def find_workspace(start: Path) -> Path | None:
    """The nearest of `start` (resolved) and its ancestors holding workspace-path.txt, or None."""
    for folder in (start, *start.parents):
        if (folder / WORKSPACE_FILE).is_file():
            return folder
    return None


def check_workspace(root: Path) -> None:
    """Refuse a workspace whose workspace-path.txt names another folder (it was moved or copied).

    Raises WorkspaceMismatchError naming both paths.
    """
    named = read_workspace(root)
    if named is None or Path(named) != root:
        raise WorkspaceMismatchError(
            f"{root / WORKSPACE_FILE} names '{named}', not '{root}': the workspace was moved or copied; "
            f"put '{root}' in that file if this is the workspace to use"
        )


def workspace_file(project: Path) -> RenderedFile:
    """The file naming the project's absolute, resolved path."""
    return RenderedFile(WORKSPACE_FILE, f"{project}\n".encode(), 0o644)


def completion_token(
    workspace: Workspace,
    stack: str | None,
    files: Iterable[str],
    verification: dict[str, object] | None = None,
) -> dict[str, object]:
    """The token's fields: the project's files are relative to the workspace; `verification` is
    what `scaffold verify` ran and saw."""
    prefix = "" if workspace.folder == "." else f"{workspace.folder}/"
    token: dict[str, object] = {
        "agent": "backend-developer",
        "profile": "app-builder",
        "workspace": str(workspace.root),
        "project": workspace.folder,
        "status": "complete",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files_created": sorted(prefix + path for path in files),
        "next_agent": "frontend-developer",
        "stack": stack,
        "scaffold_version": __version__,
    }
    if verification is not None:
        token["verification"] = verification
    return token


def write_completion_token(
    workspace: Workspace,
    stack: str | None,
    files: Iterable[str],
    verification: dict[str, object] | None = None,
    *,
    staging: Path | None = None,
) -> None:
    """Write backend-complete.token atomically; call it last, once every step succeeded.

    `staging` is where the workspace's files are written first when it is not yet in place.
    """
    token = completion_token(workspace, stack, files, verification)
    folder = (staging or workspace.root) / TOKENS_DIR
    folder.mkdir(exist_ok=True)
    write_atomic(folder / "backend-complete.token", (json.dumps(token, indent=2) + "\n").encode())


def remove_completion_token(root: Path) -> bool:
    """Remove a completion token that no longer holds; whether there was one."""
    try:
        (root / COMPLETE_FILE).unlink()
    except FileNotFoundError:
        return False
    return True


def read_workspace(project: Path) -> str | None:
    """The path workspace-path.txt names, or None when the project has no such file."""
    try:
        return (project / WORKSPACE_FILE).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
