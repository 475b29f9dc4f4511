"""Child processes: each in its own process group, without stdin, within a time limit, its output
in a file, and the whole group gone when it is done with."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, NamedTuple


class Outcome(NamedTuple):
    """How commands run by `run` ended."""

    code: int | None  # None: still running at the deadline (and killed), or never started
    output: str
    seconds: float
    error: str = ""  # why it could not start


def shown(commands: Sequence[Sequence[str]]) -> str:
    """Commands as one shell line."""
    return " && ".join(shlex.join(argv) for argv in commands)


def kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def spawn(argv: Sequence[str], cwd: Path, env: Mapping[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start a command in its own process group (so that all it starts can be signalled at
    once), without stdin, its output and errors to `log`."""
    return subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@contextlib.contextmanager
def started(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str], log: IO[bytes]
) -> Iterator[subprocess.Popen[bytes]]:
    """A command in its own process group, output to `log`; the whole group is killed on the way out."""
    process = spawn(argv, cwd, env, log)
    try:
        yield process
    finally:
        # Whatever outlived the command (a test server, npm's child) goes with it.
        kill_and_reap(process)


def read(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")


def run(commands: Sequence[Sequence[str]], cwd: Path, env: Mapping[str, str], timeout: float) -> Outcome:
    """Run commands one after another until one fails, all within `timeout` seconds together."""
    start = time.monotonic()
    # A file, not a pipe: a grandchild that keeps the pipe open can never make us wait.
    with tempfile.TemporaryFile() as log:
        for argv in commands:
            remaining = timeout - (time.monotonic() - start)
            try:
                with started(argv, cwd, env, log) as process:
                    try:
                        code = process.wait(timeout=max(remaining, 0.1))
                    except subprocess.TimeoutExpired:
                        return Outcome(None, read(log), time.monotonic() - start)
            except OSError as exc:
                why = f"could not start {argv[0]}: {exc}"
                return Outcome(None, read(log), time.monotonic() - start, why)
            if code != 0:
                return Outcome(code, read(log), time.monotonic() - start)
        return Outcome(0, read(log), time.monotonic() - start)


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (zombies, which only wait to be reaped, do not)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def kill_and_reap(process: subprocess.Popen[bytes], bound: float = 10) -> None:
    """SIGKILL the process group and wait, within `bound` seconds, until none of it runs."""
    kill_group(process, signal.SIGKILL)
    deadline = time.monotonic() + bound
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=bound)
    # SIGKILL takes effect when the kernel next schedules each process, not on sending it.
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def stop(process: subprocess.Popen[bytes], bound: float) -> str:
    """SIGTERM the process group, SIGKILL it after `bound` seconds; how it ended.

    The whole group must be gone, not only its leader: `npm start` exits on SIGTERM at once
    while the server it started may linger.
    """
    if process.poll() is not None and not group_alive(process.pid):
        return f"it had already exited with {process.returncode}"
    kill_group(process, signal.SIGTERM)
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        process.poll()  # reap the leader, so that it does not count as alive
        if not group_alive(process.pid):
            return "stopped on SIGTERM"
        time.sleep(0.05)
    kill_and_reap(process)
    return f"killed: it ignored SIGTERM for {bound:.0f}s"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_status(port: int, path: str = "/health", timeout: float = 2) -> int:
    """The status of GET `path` on 127.0.0.1:`port`; 0 when nothing answers."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()
