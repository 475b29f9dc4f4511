"""Writing a project safely: never over a user's files, and all at once or not at all.

The project is built in a hidden staging folder beside the target and moved into
place with one ``rename``, so a kill at any moment leaves either no project or a
complete one. Staging folders carry the writer's process id, so one left behind by
a killed run is recognised and removed by the next run for the same target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from scaffold.errors import GenerationError, TargetExistsError, UsageError
from scaffold.render import RenderedFile

_STAGING_SUFFIX = ".scaffold-staging"


def check_output_dir(output_dir: Path) -> Path:
    """The resolved output folder; it must exist and be a folder."""
    if not output_dir.exists():
        raise UsageError(f"output folder '{output_dir}' does not exist; create it first")
    if not output_dir.is_dir():
        raise UsageError(f"output folder '{output_dir}' is not a folder")
    return output_dir.resolve()


def check_target(target: Path) -> None:
    """Refuse a target that exists and is anything but an empty folder."""
    if target.is_symlink():
        raise TargetExistsError(f"'{target}' already exists (a symbolic link); choose another name")
    if not target.exists():
        return
    if not target.is_dir():
        raise TargetExistsError(f"'{target}' already exists and is a file; choose another name")
    with os.scandir(target) as entries:
        if any(True for _ in entries):
            raise TargetExistsError(
                f"'{target}' already exists and is not empty; choose another name or remove it"
            )


# What `scaffold new .` may find in the folder it generates into: an agent workspace's hand-off
# files and version-control metadata, nothing of a project.
IN_PLACE_ALLOWED = frozenset({".agent-tokens", ".git", ".hg", ".svn", ".jj"})
_IN_PLACE_PREFIX = ".scaffold."


def check_in_place(target: Path) -> None:
    """Refuse to generate into an existing folder holding anything but IN_PLACE_ALLOWED."""
    if not target.is_dir():
        raise TargetExistsError(f"'{target}' is not a folder")
    with os.scandir(target) as entries:
        found = sorted(
            entry.name
            for entry in entries
            if entry.name not in IN_PLACE_ALLOWED and not entry.name.endswith(_STAGING_SUFFIX)
        )
    if found:
        shown = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
        raise TargetExistsError(
            f"'{target}' is not empty ({shown}); `scaffold new .` generates only into a folder that "
            "is empty or holds only .agent-tokens/ and version-control metadata"
        )


def _staging_prefix(target: Path) -> str:
    return f".{target.name}."


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while cleaning up, so a second Ctrl-C cannot leave half."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _remove(path: Path) -> None:
    with uninterrupted():
        shutil.rmtree(path, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(target: Path, *, inside: bool = False) -> None:
    """Remove staging folders for this target left by runs that were killed (`inside` it, for
    generation into an existing folder)."""
    prefix = _IN_PLACE_PREFIX if inside else _staging_prefix(target)
    try:
        entries = list(os.scandir(target if inside else target.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(_STAGING_SUFFIX)):
            continue
        pid_part = name[len(prefix) :].split(".", 1)[0]
        if pid_part.isdigit() and not pid_alive(int(pid_part)):
            shutil.rmtree(entry.path, ignore_errors=True)


def _write_file(root: Path, file: RenderedFile) -> None:
    path = root / file.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(file.data)
    os.chmod(path, file.mode)


@contextlib.contextmanager
def new_project(target: Path, files: Iterable[RenderedFile]) -> Iterator[Path]:
    """Write the files into a staging folder beside target and yield it; then move it into place.

    The block finishes the project inside the staging folder (git, the completion token), so
    the one rename at the end publishes a whole project or nothing. Raises TargetExistsError if
    the target is taken (also when it is taken while we work), GenerationError when the disk
    refuses; when the block fails or the run is interrupted, nothing is left behind.
    """
    check_target(target)
    remove_stale_staging(target)
    try:
        staging = Path(
            tempfile.mkdtemp(
                prefix=f"{_staging_prefix(target)}{os.getpid()}.",
                suffix=_STAGING_SUFFIX,
                dir=target.parent,
            )
        )
    except OSError as exc:
        raise GenerationError(f"cannot write in '{target.parent}': {exc.strerror}") from exc
    try:
        # mkdtemp makes the folder private; a project folder gets the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        for file in files:
            _write_file(staging, file)
        yield staging
        _move_into_place(staging, target)
    except OSError as exc:
        _remove(staging)
        raise GenerationError(f"could not write the project: {exc.strerror or exc}") from exc
    except BaseException:
        # Ctrl-C, a signal turned into an exception, a failed step or a bug: leave nothing behind.
        _remove(staging)
        raise


@contextlib.contextmanager
def into_folder(target: Path, files: Iterable[RenderedFile]) -> Iterator[Path]:
    """`new_project` for an existing folder (`scaffold new .`): stage inside it, then move each
    entry into place with signals held, taking every move back if one finds its place taken.

    The folder's own entries (IN_PLACE_ALLOWED) are kept; a folder both have (.agent-tokens/) is
    merged file by file, and no existing file is ever replaced.
    """
    remove_stale_staging(target, inside=True)
    check_in_place(target)
    try:
        staging = Path(
            tempfile.mkdtemp(prefix=f"{_IN_PLACE_PREFIX}{os.getpid()}.", suffix=_STAGING_SUFFIX, dir=target)
        )
    except OSError as exc:
        raise GenerationError(f"cannot write in '{target}': {exc.strerror}") from exc
    try:
        for file in files:
            _write_file(staging, file)
        yield staging
        with uninterrupted():
            _merge_into(staging, target)
    except OSError as exc:
        raise GenerationError(f"could not write the project: {exc.strerror or exc}") from exc
    finally:
        _remove(staging)


def _merge_into(staging: Path, target: Path) -> None:
    """Move staging's entries into target, all or none: a taken name undoes the moves made."""
    moved: list[tuple[Path, Path]] = []

    def merge(source: Path, destination: Path) -> None:
        for entry in sorted(source.iterdir()):
            there = destination / entry.name
            if entry.is_dir() and not entry.is_symlink() and there.is_dir() and not there.is_symlink():
                merge(entry, there)
                continue
            if there.exists() or there.is_symlink():
                raise TargetExistsError(f"'{there}' already exists; nothing was changed")
            os.rename(entry, there)
            moved.append((there, entry))

    try:
        merge(staging, target)
    except BaseException:
        for there, entry in reversed(moved):
            with contextlib.suppress(OSError):
                os.rename(there, entry)
        raise


def _move_into_place(staging: Path, target: Path) -> None:
    try:
        # rename() replaces an empty folder and fails on anything else, so a
        # folder created by someone else since check_target() is never touched.
        os.rename(staging, target)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            _remove(staging)
            raise TargetExistsError(
                f"'{target}' appeared while the project was being written; nothing was changed"
            ) from exc
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Replace one file atomically: readers see the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
