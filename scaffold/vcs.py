"""Version control for a written project: a git repository with a first commit."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from scaffold.errors import GenerationError

_TIMEOUT = 60


def _git(git: str, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # No prompts, no pager, no hooks of the user's templates: this must never wait for input.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}
    return subprocess.run(
        [git, *args],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    """What git said last, the line that names the problem, or its exit code if it said nothing."""
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1].strip() if lines else f"exit {result.returncode}"


def _has_identity(git: str, project: Path) -> bool:
    """Whether commits would carry a configured author (config or environment), not a guess."""
    for key, env_var in (("user.name", "GIT_AUTHOR_NAME"), ("user.email", "GIT_AUTHOR_EMAIL")):
        if not os.environ.get(env_var) and not _git(git, project, "config", key).stdout.strip():
            return False
    return True


def git_init(project: Path, message: str) -> str | None:
    """Make the project a repository and commit every file; a note when the commit was skipped.

    Raises GenerationError when git itself fails, so the caller can undo the project.
    """
    git = shutil.which("git")
    if git is None:
        return "git is not installed, so no repository was made"
    for args in (("init", "-q"), ("add", "-A")):
        result = _git(git, project, *args)
        if result.returncode != 0:
            raise GenerationError(f"git {args[0]} failed: {_last_line(result)}")
    if not _has_identity(git, project):
        return "git has no user.name and user.email, so the repository was made but nothing was committed"
    result = _git(git, project, "commit", "-q", "--no-verify", "-m", message)
    if result.returncode != 0:
        raise GenerationError(f"git commit failed: {_last_line(result)}")
    return None
