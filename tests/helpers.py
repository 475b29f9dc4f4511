"""Small helpers for the tool's tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
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
