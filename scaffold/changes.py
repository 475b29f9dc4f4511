"""Changing an existing project all at once or not at all: `add resource` and `remove resource`.

A change is staged beside the project (as `new` stages a project), with a journal of what goes
where. Moving that folder into the project as ``.scaffold-change/`` is the commit: before it, a
kill leaves the project untouched (the next run removes the stray staging folder); after it,
every later run of scaffold on the project finishes the change before doing anything else.
Finishing is idempotent, so a kill while finishing is finished by the next run in turn.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scaffold import writer
from scaffold.errors import GenerationError

COMMITTED = ".scaffold-change"
JOURNAL = "journal.json"
_STAGING_SUFFIX = ".scaffold-change-staging"


@dataclass(frozen=True)
class Change:
    """One file of a change: created where nothing is, replaced, or deleted (`data` None)."""

    path: str  # relative to the project, with '/'
    data: bytes | None
    action: str  # create, update or delete
    mode: int = 0o644


def diff(project: Path, change: Change) -> str:
    """The unified diff a change makes to its file (from nothing for a new one, to nothing for
    a deletion)."""
    target = project / change.path
    before = target.read_text(encoding="utf-8").splitlines(True) if target.is_file() else []
    after = (change.data or b"").decode().splitlines(True)
    return "".join(difflib.unified_diff(before, after, f"a/{change.path}", f"b/{change.path}"))


def _staging_prefix(project: Path) -> str:
    return f".{project.name}."


def recover(project: Path) -> bool:
    """Finish a change a killed run committed, and drop staging a killed run left; True if one was
    finished."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(project.parent):
            prefix = _staging_prefix(project)
            if entry.name.startswith(prefix) and entry.name.endswith(_STAGING_SUFFIX):
                pid = entry.name[len(prefix) :].split(".", 1)[0]
                if pid.isdigit() and not writer.pid_alive(int(pid)):
                    shutil.rmtree(entry.path, ignore_errors=True)
    committed = project / COMMITTED
    if not (committed / JOURNAL).is_file():
        # A commit folder without its journal cannot have been committed: the journal is
        # written before the folder moves.
        shutil.rmtree(committed, ignore_errors=True)
        return False
    _finish(project, committed)
    return True


def _finish(project: Path, committed: Path) -> None:
    with writer.uninterrupted():
        entries = json.loads((committed / JOURNAL).read_text(encoding="utf-8"))
        for number, entry in enumerate(entries):
            target = project / entry["path"]
            staged = committed / "files" / str(number)
            if entry["action"] == "delete":
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
                _prune(project, target.parent)
                continue
            if not staged.exists():
                continue  # moved into place by the run that was killed
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        shutil.rmtree(committed, ignore_errors=True)


def _prune(project: Path, folder: Path) -> None:
    """Remove folders a deletion left empty, up to the project."""
    while folder != project and folder.is_relative_to(project):
        with contextlib.suppress(OSError):
            if [entry.name for entry in os.scandir(folder)] == ["__pycache__"]:
                shutil.rmtree(folder / "__pycache__")  # only what Python compiled from the deleted files
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def apply(project: Path, changes: Sequence[Change]) -> None:
    """Make every change in `project`, or none: GenerationError when the disk refuses."""
    recover(project)
    try:
        staging = Path(
            tempfile.mkdtemp(
                prefix=f"{_staging_prefix(project)}{os.getpid()}.", suffix=_STAGING_SUFFIX, dir=project.parent
            )
        )
    except OSError as exc:
        raise GenerationError(f"cannot write beside '{project}': {exc.strerror}") from exc
    try:
        (staging / "files").mkdir()
        for number, change in enumerate(changes):
            if change.data is not None:
                path = staging / "files" / str(number)
                path.write_bytes(change.data)
                os.chmod(path, change.mode)
        journal = [{"path": c.path, "action": c.action} for c in changes]
        (staging / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
        with writer.uninterrupted():
            os.rename(staging, project / COMMITTED)  # the commit
            _finish(project, project / COMMITTED)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise GenerationError(f"could not change the project: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
