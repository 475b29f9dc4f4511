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


def completion_token(project: Path, stack: str, files: Iterable[str]) -> dict[str, object]:
    return {
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


def write_completion_token(project: Path, stack: str, files: Iterable[str]) -> None:
    """Write backend-complete.token atomically; call it last, once every step succeeded."""
    token = completion_token(project, stack, files)
    (project / TOKENS_DIR).mkdir(exist_ok=True)
    write_atomic(project / COMPLETE_FILE, (json.dumps(token, indent=2) + "\n").encode())
