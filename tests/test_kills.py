"""Killing `scaffold new` at any moment, and filling the disk under it: no project or a complete one."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.figures import FIGURES
from tests.helpers import interrupted_while_python_started, mounted_tmpfs, run_scaffold, snapshot, tree

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

from scaffold import changes, generate, tokens, vcs, writer

if kind == "file":
    writer._write_file = counting(writer._write_file, "after")
elif kind in ("git-before", "git-after"):
    vcs._git = counting(vcs._git, kind.split("-")[1])
elif kind in ("token-before", "token-after"):
    generate.tokens.write_completion_token = counting(tokens.write_completion_token, kind.split("-")[1])
elif kind in ("rename-before", "rename-after"):
    writer.os.rename = counting(os.rename, kind.split("-")[1])
elif kind == "stage":  # `add resource`: after the n-th staged file of its change
    changes.os.chmod = counting(os.chmod, "after")
elif kind in ("commit-before", "commit-after"):  # around the rename that commits the change
    changes.os.rename = counting(os.rename, kind.split("-")[1])
elif kind == "finish":  # after the n-th file moved into the project
    changes.os.replace = counting(os.replace, "after")
elif kind == "delete":  # `remove resource`: after the n-th file it deletes
    import pathlib
    pathlib.Path.unlink = counting(pathlib.Path.unlink, "after")
elif kind == "resource":  # `new --resource`: after the n-th resource is planned in the staging
    from scaffold import add
    add.plan = counting(add.plan, "after")
sys.argv = ["scaffold", *sys.argv[1:]]
runpy.run_module("scaffold", run_name="__main__")
"""


def start_stopping(out: Path, cache: Path, moment: str, *flags: str) -> subprocess.Popen[str]:
    return start_stopped_command(
        cache, moment, "new", "demo", "--stack", STACK, "-y", "-q", "-o", str(out), *flags
    )


def start_stopped_command(cache: Path, moment: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "SCAFFOLD_TEST_STOP_AT": moment}
    return subprocess.Popen(
        [sys.executable, "-c", STOPPER, *args],
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


# --------------------------------------------------------------------------- add resource

ADD = ("add", "resource", "posts", "title:str{120}:unique", "body:text?", "--migration-id", "p1")


def resource_snapshot(project: Path) -> dict[str, tuple[int, bytes | None]]:
    """`snapshot`, but for the moment a migration was written, which differs from run to run."""
    found = {}
    for path, (mode, data) in snapshot(project).items():
        if data is not None and path.endswith("_posts.py") and b"Create Date:" in data:
            data = re.sub(rb"Create Date: .*", b"Create Date: -", data)
            # The drop migration's revision id is the time it was written.
            data = re.sub(rb"(Revision ID: |revision = \")[0-9]{14}", rb"\1-", data)
        found[re.sub(r"/[0-9]{14}_drop_", "/-_drop_", path)] = (mode, data)
    return found


def copy_of(project: Path, where: Path) -> Path:
    where.mkdir()
    shutil.copytree(project, where / "demo", symlinks=True)
    return where / "demo"


def test_when_add_resource_is_killed_at_any_moment_then_the_project_is_as_it_was_or_whole(
    reference: Path, tmp_path: Path
) -> None:
    def moments(files: int, deleted: int) -> list[str]:
        return [
            "stage:1", f"stage:{files // 2}", f"stage:{files}", "commit-before:1", "commit-after:1",
            "finish:1", f"finish:{files // 2}", f"finish:{files}",
        ]  # fmt: skip

    killed_at_every_moment(reference, tmp_path, ADD, moments)


def test_when_remove_resource_is_killed_at_any_moment_then_the_project_has_it_or_is_without_it(
    reference: Path, tmp_path: Path
) -> None:
    with_posts = copy_of(reference, tmp_path / "with_posts")
    added = run_scaffold(*ADD, "--path", str(with_posts), cwd=tmp_path)
    assert added.returncode == 0, added.stderr

    def moments(files: int, deleted: int) -> list[str]:
        # Staged: the drop migration, the registry and the record; then each deletion, then each move.
        return [
            "stage:1", f"stage:{files}", "commit-before:1", "commit-after:1",
            "delete:1", f"delete:{deleted // 2}", f"delete:{deleted}", "finish:1", f"finish:{files}",
        ]  # fmt: skip

    killed_at_every_moment(with_posts, tmp_path, ("remove", "resource", "posts"), moments)


def killed_at_every_moment(
    reference: Path, tmp_path: Path, command: tuple[str, ...], moments_of: Callable[[int, int], list[str]]
) -> None:
    """SIGKILL `command` on copies of `reference` at each moment `moments_of(files written, files
    deleted)` names: before its commit the project is as it was, after it the next run finishes."""
    base = copy_of(reference, tmp_path / "base")
    done = copy_of(reference, tmp_path / "done")
    finished = run_scaffold(*command, "--path", str(done), cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    before, after = resource_snapshot(base), resource_snapshot(done)
    # The files the change writes (the resource's or its drop migration, the registry and
    # .scaffold.toml), and those it deletes.
    files = sum(
        1 for path, (_, data) in after.items() if data is not None and before.get(path) != after[path]
    )
    deleted = sum(1 for path, (_, data) in before.items() if data is not None and path not in after)
    moments = moments_of(files, deleted)
    outcomes: dict[str, list[str]] = {"as it was": [], "finished by the next run": []}
    for n, moment in enumerate(moments):
        project = copy_of(reference, tmp_path / f"kill{n}")
        process = start_stopped_command(tmp_path / "cache", moment, *command, "--path", str(project))
        assert wait_until_stopped(process), f"the run ended before {moment}: {process.communicate()}"
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        FIGURES.add("tool.kills.sigkill")
        killed = resource_snapshot(project)

        # The next run of scaffold on the project finishes or sweeps up what the kill left.
        again = run_scaffold("resources", "--path", str(project), cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        if killed == before:
            outcomes["as it was"].append(moment)
            assert resource_snapshot(project) == before
        else:
            outcomes["finished by the next run"].append(moment)
            assert resource_snapshot(project) == after, f"the kill at {moment} left half a change"
        leftovers = [p.name for p in project.parent.iterdir() if p.name != "demo"]
        assert leftovers == [], f"the kill at {moment} left {leftovers}"
    # Before the commit nothing has changed; from the commit on, the next run finishes.
    committed = moments.index("commit-after:1")
    assert outcomes["as it was"] == moments[:committed], outcomes


@pytest.mark.parametrize("moment", ["stage:2", "commit-before:1", "finish:2"])
def test_when_add_resource_is_interrupted_with_sigint_then_exit_130_and_as_it_was_or_whole(
    moment: str, reference: Path, tmp_path: Path
) -> None:
    base = copy_of(reference, tmp_path / "base")
    project = copy_of(reference, tmp_path / "run")
    process = start_stopped_command(tmp_path / "cache", moment, *ADD, "--path", str(project))
    assert wait_until_stopped(process), f"the run ended before {moment}: {process.communicate()}"
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGCONT)
    _, stderr = process.communicate(timeout=60)
    FIGURES.add("tool.kills.sigint")

    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert [p.name for p in project.parent.iterdir()] == ["demo"]
    if not moment.startswith("stage"):  # signals wait while it commits and finishes
        assert "posts" in run_scaffold("resources", "--path", str(project), cwd=tmp_path).stdout
    else:
        assert resource_snapshot(project) == resource_snapshot(base)


@pytest.mark.parametrize("moment", ["stage:2", "commit-before:1", "delete:2"])
def test_when_remove_resource_is_interrupted_with_sigint_then_exit_130_and_with_it_or_without(
    moment: str, reference: Path, tmp_path: Path
) -> None:
    project = copy_of(reference, tmp_path / "run")
    assert run_scaffold(*ADD, "--path", str(project), cwd=tmp_path).returncode == 0
    before = resource_snapshot(project)
    process = start_stopped_command(
        tmp_path / "cache", moment, "remove", "resource", "posts", "--path", str(project)
    )
    assert wait_until_stopped(process), f"the run ended before {moment}: {process.communicate()}"
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGCONT)
    _, stderr = process.communicate(timeout=60)
    FIGURES.add("tool.kills.sigint")

    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert [p.name for p in project.parent.iterdir()] == ["demo"]
    listed = run_scaffold("resources", "--path", str(project), cwd=tmp_path).stdout
    if moment.startswith("stage"):
        assert resource_snapshot(project) == before
    else:  # signals wait while it commits and finishes
        assert "posts" not in listed
        assert not (project / "src/demo/resources/posts").exists()


def stamped(path: str) -> str:
    return re.sub(r"/[0-9]{14}_", "/<timestamp>_", path)


RESOURCES = ("--resource", "tags name:str{40}:unique", "--resource", "notes text:text tag:ref{tags}")


def test_when_new_is_killed_while_adding_its_resources_then_no_project_and_the_next_run_makes_it(
    tmp_path: Path,
) -> None:
    whole = tmp_path / "whole"
    whole.mkdir()
    made = start_new(whole, tmp_path / "cache", "--no-git", *RESOURCES)
    _, stderr = made.communicate(timeout=120)
    assert made.returncode == 0, stderr
    for n, moment in enumerate(["resource:1", "resource:2"]):
        out = tmp_path / f"out{n}"
        out.mkdir()
        process = start_stopping(out, tmp_path / "cache", moment, "--no-git", *RESOURCES)
        assert wait_until_stopped(process), f"the run ended before {moment}: {process.communicate()}"
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        FIGURES.add("tool.kills.sigkill")

        assert not (out / "demo").exists(), f"the kill at {moment} left a project"
        again = start_new(out, tmp_path / "cache", "--no-git", *RESOURCES)
        _, stderr = again.communicate(timeout=120)
        assert again.returncode == 0, stderr
        # The same files, but for the revision ids: each run takes the time it ran at.
        assert [stamped(f) for f in tree(out / "demo")] == [stamped(f) for f in tree(whole / "demo")]
        assert staging_folders(out) == [], f"the kill at {moment} left {staging_folders(out)}"
