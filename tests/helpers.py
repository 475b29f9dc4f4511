"""Small helpers for the tool's tests."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_file_tree(spec: Mapping[str | Path, str | bytes], root: Path) -> None:
    """Write files given as {relative path: content} under root."""
    for rel, content in spec.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every path below root (itself included) with its mode and, for files, contents."""
    found: dict[str, tuple[int, bytes | None]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            st = path.lstat()
            found[rel] = (st.st_mode, path.read_bytes() if path.is_file() and not path.is_symlink() else None)
    return found


def tree(root: Path) -> list[str]:
    """Relative paths of every file below root, sorted; a git repository's .git is left out."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not (d == ".git" and Path(dirpath) == root)]
        found += [(Path(dirpath) / f).relative_to(root).as_posix() for f in filenames]
    return sorted(found)


def assert_refused(
    project: Path, before: dict[str, tuple[int, bytes | None]], answer: tuple[int, str, str], code: int,
    message: str, *, more_lines: bool = False,
) -> None:  # fmt: skip
    """A refusal as the tool promises one: the exit code, nothing on stdout, one `error:` line
    naming what is wrong (more only where `more_lines`), no traceback, the project as it was."""
    got, out, err = answer
    assert got == code, err
    assert out == ""
    first, *rest = err.splitlines()
    assert first.startswith("error: "), err
    assert message in first, err
    assert "Traceback" not in err
    assert not rest or more_lines, err
    assert snapshot(project) == before


def run_scaffold(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    stdin: int | None = subprocess.DEVNULL,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, without a terminal."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        env=full_env,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_mount(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


@contextlib.contextmanager
def mounted_tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """Mount a tmpfs with `options` (e.g. size=64k) on folder for the block; skips when mounting is refused.

    Only root may mount; the tests that need a small or read-only filesystem say so when they skip.
    """
    import pytest

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8); neither is here")
    result = run_mount(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)])
    if result.returncode != 0:
        pytest.skip(f"mount refused a tmpfs here (no CAP_SYS_ADMIN?): {result.stderr.strip()}")
    try:
        yield folder
    finally:
        run_mount(["umount", "-l", str(folder)])


def interrupted_while_python_started(code: int, stderr: str) -> bool:
    """Whether a run died of Ctrl-C while the interpreter itself was still starting.

    Before `python -m scaffold` runs a line of scaffold's code (site imports, runpy finding the
    module), a SIGINT is Python's to handle: it prints its own traceback or a fatal error and
    exits 1. Such a run wrote nothing, which the callers check separately.
    """
    scaffold_frames = f"{ROOT / 'scaffold'}{os.sep}" in stderr
    return (
        code == 1 and not scaffold_frames and ("KeyboardInterrupt" in stderr or "init_import_site" in stderr)
    )


_COMMANDS_HEADER = ("| purpose | command |", "| --- | --- |")
_COMMAND_ROW = re.compile(r"\| (?P<purpose>[a-z]+) \| `(?P<command>[^`]+)` \|")


def agents_commands(text: str) -> dict[str, str]:
    """The commands table of an AGENTS.md as {purpose: command}, in the table's order.

    Raises ValueError when there is no such table, or more than one, or a row of another shape,
    or a purpose listed twice: a table that half parses must not pass for a short one.
    """
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == _COMMANDS_HEADER[0]]
    if len(starts) != 1:
        raise ValueError(f"expected one '{_COMMANDS_HEADER[0]}' table, found {len(starts)}")
    start = starts[0]
    if start + 1 >= len(lines) or lines[start + 1].strip() != _COMMANDS_HEADER[1]:
        raise ValueError(f"the commands table's header is not followed by '{_COMMANDS_HEADER[1]}'")
    commands: dict[str, str] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        row = _COMMAND_ROW.fullmatch(line.strip())
        if row is None:
            raise ValueError(f"not a '| purpose | `command` |' row: {line!r}")
        if row["purpose"] in commands:
            raise ValueError(f"purpose '{row['purpose']}' is listed twice")
        commands[row["purpose"]] = row["command"]
    return commands
