"""Killing `scaffold new` at any moment, and filling the disk under it: no project or a complete one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.figures import FIGURES
from tests.helpers import interrupted_while_python_started, mounted_tmpfs, tree

STACK = "flask-sqlite-jwt"


def start_new(out: Path, cache: Path, *extra: str) -> subprocess.Popen[str]:
    """`scaffold new demo` into `out` as its own process, without a terminal."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scaffold",
            "new",
            "demo",
            "--stack",
            STACK,
            "-y",
            "-q",
            "-o",
            str(out),
            *extra,
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def staging_folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".scaffold-staging"))


def git_files(project: Path) -> list[str]:
    result = subprocess.run(
        ["git", "-C", str(project), "ls-files"], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, f"not a sound git repository: {result.stderr}"
    return sorted(result.stdout.splitlines())


def assert_complete(project: Path, reference: Path, git: bool) -> None:
    files = tree(project)
    assert files == tree(reference), "a project is in place but it is not the whole project"
    assert (project / ".agent-tokens/backend-complete.token").is_file()
    if git:
        assert git_files(project) == sorted(
            f for f in files if not f.startswith(".agent-tokens/") and f != ".env"
        )


# Runs `python -m scaffold` after arranging for it to stop itself (SIGSTOP) at one chosen moment,
# so that the test can SIGKILL it exactly there: after the n-th file is written, before or
# after the n-th git command, around the completion token, around the final rename.
STOPPER = """
import os, runpy, signal, sys

kind, _, number = os.environ["SCAFFOLD_TEST_STOP_AT"].partition(":")
number = int(number or 0)
seen = [0]

def stop():
    os.kill(os.getpid(), signal.SIGSTOP)

def counting(real, when):
    def wrapper(*args, **kwargs):
        seen[0] += 1
        if when == "before" and seen[0] == number:
            stop()
        result = real(*args, **kwargs)
        if when == "after" and seen[0] == number:
            stop()
        return result
    return wrapper

from scaffold import generate, tokens, vcs, writer

if kind == "file":
    writer._write_file = counting(writer._write_file, "after")
elif kind in ("git-before", "git-after"):
    vcs._git = counting(vcs._git, kind.split("-")[1])
elif kind in ("token-before", "token-after"):
    generate.tokens.write_completion_token = counting(tokens.write_completion_token, kind.split("-")[1])
elif kind in ("rename-before", "rename-after"):
    writer.os.rename = counting(os.rename, kind.split("-")[1])
sys.argv = ["scaffold", *sys.argv[1:]]
runpy.run_module("scaffold", run_name="__main__")
"""


def start_stopping(out: Path, cache: Path, moment: str, *flags: str) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "SCAFFOLD_TEST_STOP_AT": moment}
    return subprocess.Popen(
        [sys.executable, "-c", STOPPER, "new", "demo", "--stack", STACK, "-y", "-q", "-o", str(out), *flags],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_stopped(process: subprocess.Popen[str], timeout: float = 60) -> bool:
    """Whether the process stopped itself (True) or ended first (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            state = ""
        if state in ("T", "t"):
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.005)
    process.kill()
    raise AssertionError("the run neither stopped nor ended")


def kill_moments(files: int, git: bool) -> list[str]:
    """The moments to kill at: across the file writes, each git command, the token, the rename."""
    moments = ["file:1", "file:2", "file:5", *(f"file:{n}" for n in range(6, files, 3)), f"file:{files}"]
    if git:
        # init, add, and the identity look-ups (a commit follows only where git knows an author).
        moments += [f"git-{when}:{n}" for n in (1, 2, 3) for when in ("before", "after")]
    moments += ["token-before:1", "token-after:1", "rename-before:1", "rename-after:1"]
    return moments


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project generated to the end without interference."""
    out = tmp_path_factory.mktemp("reference")
    process = start_new(out, tmp_path_factory.mktemp("cache"))
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return out / "demo"


@pytest.mark.parametrize("git", [True, False], ids=["git", "no-git"])
def test_when_killed_at_any_moment_then_no_project_or_a_complete_one(
    git: bool, reference: Path, tmp_path: Path
) -> None:
    flags = () if git else ("--no-git",)
    files = len([f for f in tree(reference) if f != ".agent-tokens/backend-complete.token"])
    moments = kill_moments(files, git)
    assert len(moments) >= 20
    outcomes: dict[str, list[str]] = {"no project": [], "complete project": []}
    for n, moment in enumerate(moments):
        out, cache = tmp_path / f"out{n}", tmp_path / f"cache{n}"
        out.mkdir()
        process = start_stopping(out, cache, moment, *flags)
        assert wait_until_stopped(process), f"the run ended before {moment}: {process.communicate()}"
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        FIGURES.add("tool.kills.sigkill")

        project = out / "demo"
        if project.exists():
            outcomes["complete project"].append(moment)
            assert_complete(project, reference, git)
        else:
            outcomes["no project"].append(moment)
            # The next run for the same target sweeps up the killed run's staging folder.
            again = start_new(out, cache, *flags)
            _, stderr = again.communicate(timeout=120)
            assert again.returncode == 0, stderr
            assert_complete(project, reference, git)
        assert staging_folders(out) == [], f"the kill at {moment} left {staging_folders(out)}"
    # Every kill before the rename leaves nothing; only the one after it leaves the project.
    assert outcomes["complete project"] == ["rename-after:1"], outcomes


def assert_interrupted(process: subprocess.Popen[str], out: Path, reference: Path) -> None:
    """A complete project and exit 0 when the interrupt came too late; else 130 and nothing left."""
    _, stderr = process.communicate(timeout=60)
    FIGURES.add("tool.kills.sigint")
    assert staging_folders(out) == []
    assert "Traceback" not in stderr
    # Python itself dies of the signal (a shell shows 130 too) when it lands while the
    # interpreter starts or shuts down, outside any Python code that could handle it.
    assert process.returncode in (0, 130, -signal.SIGINT) or interrupted_while_python_started(
        process.returncode, stderr
    ), stderr
    if (out / "demo").exists():
        # Too late: the project was already in place, whole.
        assert_complete(out / "demo", reference, git=True)
    else:
        assert process.returncode != 0, stderr


@pytest.mark.parametrize(
    "moment", ["file:1", "file:25", "git-before:1", "git-after:2", "token-before:1", "rename-before:1"]
)
def test_when_interrupted_with_sigint_at_a_moment_then_exit_130_and_no_leftovers(
    moment: str, reference: Path, tmp_path: Path
) -> None:
    process = start_stopping(tmp_path, tmp_path / "cache", moment)
    assert wait_until_stopped(process), f"the run ended before {moment}: {process.communicate()}"
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGCONT)
    assert_interrupted(process, tmp_path, reference)
    assert process.returncode == 130


@pytest.mark.parametrize("delay", [0.1, 0.2, 0.3, 0.5, 0.8])
def test_when_interrupted_with_sigint_after_a_while_then_exit_130_or_done_and_no_leftovers(
    delay: float, reference: Path, tmp_path: Path
) -> None:
    process = start_new(tmp_path, tmp_path / "cache")
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    assert_interrupted(process, tmp_path, reference)


# --------------------------------------------------------------------------- a full disk


@pytest.mark.parametrize("size", ["48k", "128k", "256k", "400k", "600k"])
def test_when_the_disk_fills_up_then_one_line_exit_1_and_nothing_left(
    size: str, reference: Path, tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted_tmpfs(disk, f"size={size}"):
        (disk / "keep.txt").write_text("mine\n")
        process = start_new(disk, tmp_path / "cache")
        _, stderr = process.communicate(timeout=120)
        FIGURES.add("tool.full_disk_runs")
        if process.returncode == 0:
            # The project fitted: then it is whole.
            assert_complete(disk / "demo", reference, git=True)
            return
        FIGURES.add("tool.full_disk_refusals")
        assert process.returncode == 1, stderr
        assert stderr.startswith("error: "), stderr
        assert "No space left on device" in stderr, stderr
        assert stderr.count("\n") == 1, stderr
        assert sorted(p.name for p in disk.iterdir()) == ["keep.txt"]
        assert (disk / "keep.txt").read_text() == "mine\n"
