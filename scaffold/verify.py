"""Verification of a generated project: install it, lint it, run its tests, boot it, then hand off.

Every command runs without stdin, in its own process group, within a time limit, with the
caller's environment (so TEST_DATABASE_URL and DATABASE_URL given by the caller win over the
project's `.env`). Only a run in which every step passed writes the completion token.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, NamedTuple, Protocol

from scaffold import tokens
from scaffold.errors import NotAProjectError, VerificationFailed
from scaffold.stacks import FRAMEWORK_INFO

STEPS = ("install", "lint", "test", "boot")

# Interpreter variables of the caller's shell that would point a project's own tools at
# another interpreter or its packages.
_FOREIGN_PYTHON = ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH", "__PYVENV_LAUNCHER__")
# Folders a verification creates or that hold no project source; left out of files_created.
_NOT_PROJECT_FILES = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}
_OUTPUT_TAIL_LINES = 40


class Timeouts(NamedTuple):
    """Upper bounds, in seconds, of each step; `stop` is how long a server gets to exit on SIGTERM."""

    install: float = 900
    lint: float = 120
    test: float = 600
    boot: float = 60
    stop: float = 10


DEFAULT_TIMEOUTS = Timeouts()


class Step(NamedTuple):
    """One step of a verification: what ran, for how long, and how it ended."""

    name: str
    command: str
    passed: bool
    seconds: float
    detail: str = ""
    tests_passed: int | None = None
    output: str = ""  # the tail of the command's output, kept when the step failed

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "name": self.name,
            "command": self.command,
            "passed": self.passed,
            "seconds": round(self.seconds, 2),
            "detail": self.detail,
        }
        if self.tests_passed is not None:
            found["tests_passed"] = self.tests_passed
        if not self.passed:
            found["output"] = self.output
        return found


class Verification(NamedTuple):
    """The outcome of verifying a project: each step run, in order, and whether all passed."""

    path: Path
    stack: str | None
    steps: list[Step]
    passed: bool
    token_written: bool = False
    seconds: float = 0.0  # wall time: the boot overlaps the tests, so less than the steps' sum

    @property
    def failed(self) -> Step | None:
        return next((step for step in self.steps if not step.passed), None)

    @property
    def tests_passed(self) -> int | None:
        return next((step.tests_passed for step in self.steps if step.tests_passed is not None), None)

    def as_dict(self) -> dict[str, object]:
        failed = self.failed
        return {
            "path": str(self.path),
            "stack": self.stack,
            "passed": self.passed,
            "failed_step": failed.name if failed else None,
            "tests_passed": self.tests_passed,
            "seconds": round(self.seconds, 2),
            "steps": [step.as_dict() for step in self.steps],
            "token_written": self.token_written,
        }


class Reporter(Protocol):
    """Whoever shows progress: told when a step starts and when it ends."""

    def step_started(self, name: str, command: str) -> None: ...

    def step_finished(self, step: Step) -> None: ...


class Project(NamedTuple):
    """What verification needs to know of a project folder."""

    path: Path
    language: str  # python or javascript
    stack: str | None
    package: str | None  # the Python package `python -m` runs
    # Where the hand-off files are: the project's own folder or the agent workspace around it;
    # None when the workspace was not looked for.
    workspace: tokens.Workspace | None = None

    @property
    def bin(self) -> Path:
        """Where the project's own tools are installed."""
        return self.path / (".venv/bin" if self.language == "python" else "node_modules/.bin")


# --------------------------------------------------------------------------- the project


def inspect(path: Path, *, check_workspace: bool = True) -> Project:
    """The project in `path`, checked to be the scaffold project its workspace-path.txt names.

    Raises NotAProjectError with a one-line message otherwise.
    """
    if not path.is_dir():
        raise NotAProjectError(f"'{path}' is not a folder; give the path of a project scaffold generated")
    resolved = path.resolve()
    workspace = None
    if check_workspace:
        root = tokens.find_workspace(resolved)
        if root is None:
            raise NotAProjectError(
                f"neither '{resolved}' nor a folder above it has {tokens.WORKSPACE_FILE}, so it is not a "
                "scaffold project (or was generated with --no-tokens); verify checks scaffold projects only"
            )
        tokens.check_workspace(root)
        workspace = tokens.Workspace(root, resolved)
    recorded = _recorded_answers(resolved)
    framework = recorded.get("framework")
    if framework in FRAMEWORK_INFO:
        language = FRAMEWORK_INFO[framework].language
    elif (resolved / "package.json").is_file():
        language = "javascript"
    elif (resolved / "pyproject.toml").is_file():
        language = "python"
    else:
        raise NotAProjectError(f"'{resolved}' has neither a pyproject.toml nor a package.json to verify")
    stack = recorded.get("stack")
    package = _python_package(resolved) if language == "python" else None
    return Project(resolved, language, stack if isinstance(stack, str) else None, package, workspace)


def _recorded_answers(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads((path / ".scaffold.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _python_package(path: Path) -> str:
    found = sorted(main.parent.name for main in path.glob("src/*/__main__.py"))
    if len(found) != 1:
        raise NotAProjectError(
            f"'{path}' should hold one package with a __main__.py under src/ to run; found "
            f"{', '.join(found) or 'none'}"
        )
    return found[0]


def project_files(path: Path) -> list[str]:
    """The project's own files (not its installed dependencies, caches or git data), sorted."""
    found: list[str] = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in _NOT_PROJECT_FILES and not d.endswith(".egg-info")]
        found += [(Path(folder) / name).relative_to(path).as_posix() for name in files]
    # Other agents' hand-off files are theirs; the workspace path is listed, the token is what lists.
    return sorted(f for f in found if not f.startswith(f"{tokens.TOKENS_DIR}/") or f == tokens.WORKSPACE_FILE)


# --------------------------------------------------------------------------- running commands


class _Outcome(NamedTuple):
    code: int | None  # None: still running at the deadline (and killed), or never started
    output: str
    seconds: float
    error: str = ""  # why it could not start


def environment(project: Project, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment with the project's own tools first on PATH."""
    env = {key: value for key, value in os.environ.items() if key not in _FOREIGN_PYTHON}
    env["PATH"] = f"{project.bin}{os.pathsep}{env.get('PATH', os.defpath)}"
    if project.language == "python":
        env["VIRTUAL_ENV"] = str(project.path / ".venv")
    else:
        for key in ("npm_config_update_notifier", "npm_config_fund", "npm_config_audit"):
            env.setdefault(key, "false")
    env.update(extra or {})
    return env


def _kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


@contextlib.contextmanager
def _started(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str], log: IO[bytes]
) -> Iterator[subprocess.Popen[bytes]]:
    """A command in its own process group, output to `log`; the whole group is killed on the way out."""
    process = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        # Whatever outlived the command (a test server, npm's child) goes with it.
        _kill_and_reap(process)


def _read(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")


def _run(commands: Sequence[Sequence[str]], cwd: Path, env: Mapping[str, str], timeout: float) -> _Outcome:
    """Run commands one after another until one fails, all within `timeout` seconds together."""
    start = time.monotonic()
    # A file, not a pipe: a grandchild that keeps the pipe open can never make us wait.
    with tempfile.TemporaryFile() as log:
        for argv in commands:
            remaining = timeout - (time.monotonic() - start)
            try:
                with _started(argv, cwd, env, log) as process:
                    try:
                        code = process.wait(timeout=max(remaining, 0.1))
                    except subprocess.TimeoutExpired:
                        return _Outcome(None, _read(log), time.monotonic() - start)
            except OSError as exc:
                why = f"could not start {argv[0]}: {exc}"
                return _Outcome(None, _read(log), time.monotonic() - start, why)
            if code != 0:
                return _Outcome(code, _read(log), time.monotonic() - start)
        return _Outcome(0, _read(log), time.monotonic() - start)


def _tail(text: str, lines: int = _OUTPUT_TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _failures_then_tail(text: str) -> str:
    """TAP's `not ok` entries with their details, then the tail: TAP reports failures where they
    happen, so in a long run the tail alone shows only the counts."""
    lines = text.rstrip().splitlines()
    picked: list[str] = []
    inside = False
    for line in lines[:-_OUTPUT_TAIL_LINES]:
        if line.lstrip().startswith("not ok "):
            inside = True
        if inside:
            picked.append(line)
            inside = line.strip() != "..."
    if len(picked) > _OUTPUT_TAIL_LINES:
        picked = [*picked[:_OUTPUT_TAIL_LINES], "  ..."]
    return "\n".join([*picked, *(["..."] if picked else []), *lines[-_OUTPUT_TAIL_LINES:]])


def _shown(commands: Sequence[Sequence[str]]) -> str:
    return " && ".join(shlex.join(argv) for argv in commands)


def _command_step(
    name: str, commands: Sequence[Sequence[str]], project: Project, timeout: float, env: Mapping[str, str]
) -> Step:
    outcome = _run(commands, project.path, env, timeout)
    return _step(name, _shown(commands), outcome, project, timeout)


def _step(name: str, shown: str, outcome: _Outcome, project: Project, timeout: float) -> Step:
    """The step that `outcome` of running `shown` within `timeout` seconds makes."""
    if outcome.error:
        return Step(name, shown, False, outcome.seconds, outcome.error, output=_tail(outcome.output))
    if outcome.code is None:
        detail = f"did not finish within {timeout:.0f}s and was stopped"
        return Step(name, shown, False, outcome.seconds, detail, output=_tail(outcome.output))
    passed = outcome.code == 0
    detail = "exit 0" if passed else f"exited with {outcome.code}"
    counted = _tests_passed(project.language, outcome.output) if name == "test" else None
    excerpt = "" if passed else _failures_then_tail(outcome.output)
    return Step(name, shown, passed, outcome.seconds, detail, counted, excerpt)


# --------------------------------------------------------------------------- the steps


def uv_executable() -> str | None:
    """uv, which installs Python projects many times faster than pip: the one on the PATH, else
    the binary that scaffold's own `uv` dependency ships (a pip or pipx install of scaffold has
    it without putting it on the PATH); None leaves the install to venv and pip."""
    if shutil.which("uv"):
        return "uv"
    try:
        from uv import find_uv_bin
    except ImportError:
        return None
    try:
        return str(find_uv_bin())
    except OSError:  # the package is there, its binary is not (uv's UvNotFound)
        return None


def install_commands(project: Project, *, offline: bool = False) -> list[list[str]]:
    """The commands that install a project's dependencies (dev tools included) into it.

    `offline` (with uv only) resolves and installs from uv's cache alone, never asking the
    package index.
    """
    if project.language == "javascript":
        verb = "ci" if (project.path / "package-lock.json").is_file() else "install"
        return [["npm", verb, "--no-audit", "--no-fund", "--prefer-offline"]]
    # Relative paths run from the project folder (Popen looks them up from `cwd`) and read well.
    python = ".venv/bin/python"
    fresh = not (project.path / python).exists()
    uv = uv_executable()
    if uv is not None:
        create = [uv, "venv", "-q", "-p", sys.executable, ".venv"]
        install = [uv, "pip", "install", "-q", *(["--offline"] if offline else []), "-p", python]
        install += ["-e", ".[dev]"]
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            # Imports will not cache bytecode, so the tests and the boot would each compile every
            # module again: compile once here, as pip does (uv does not by default).
            install.insert(3, "--compile-bytecode")
        return [*([create] if fresh else []), install]
    create = [sys.executable, "-m", "venv", ".venv"]
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", ".[dev]"]
    return [*([create] if fresh else []), pip]


def _documented(project: Project, key: str) -> list[list[str]]:
    """A command as the project's AGENTS.md lists it (the stack catalogue's), as argv lists."""
    framework = (project.stack or "").split("-")[0]
    if framework not in FRAMEWORK_INFO:  # no .scaffold.toml: the language's first framework
        framework = next(name for name, info in FRAMEWORK_INFO.items() if info.language == project.language)
    line = FRAMEWORK_INFO[framework].project_commands(str(project.package))[key]
    return [shlex.split(part) for part in line.split(" && ")]


def lint_commands(project: Project) -> list[list[str]]:
    return _documented(project, "lint")


def test_commands(project: Project) -> list[list[str]]:
    return _documented(project, "test")


def run_command(project: Project) -> list[str]:
    """The project's documented run command, with its own interpreter."""
    return _documented(project, "run")[0]


_PYTEST_SUMMARY = re.compile(r"\b(\d+) passed\b.* in [\d.]+s")
_NODE_PASS = re.compile(r"^\s*(?:#|\u2139)\s+pass\s+(\d+)\s*$", re.MULTILINE)


def _tests_passed(language: str, output: str) -> int | None:
    """The number of passed tests in pytest's summary line or node --test's closing counts."""
    if language == "javascript":
        counts = _NODE_PASS.findall(output)
        return int(counts[-1]) if counts else None
    lines = [match.group(1) for match in map(_PYTEST_SUMMARY.search, output.splitlines()) if match]
    return int(lines[-1]) if lines else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _health(port: int, timeout: float = 2) -> int:
    """The status of GET /health on 127.0.0.1:`port`; 0 when nothing answers."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


def _group_alive(pgid: int) -> bool:
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


def _kill_and_reap(process: subprocess.Popen[bytes], bound: float = 10) -> None:
    """SIGKILL the process group and wait, within `bound` seconds, until none of it runs."""
    _kill_group(process, signal.SIGKILL)
    deadline = time.monotonic() + bound
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=bound)
    # SIGKILL takes effect when the kernel next schedules each process, not on sending it.
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _stop(process: subprocess.Popen[bytes], bound: float) -> str:
    """SIGTERM the server's process group, SIGKILL it after `bound` seconds; how it ended.

    The whole group must be gone, not only its leader: `npm start` exits on SIGTERM at once
    while the server it started may linger.
    """
    if process.poll() is not None and not _group_alive(process.pid):
        return f"it had already exited with {process.returncode}"
    _kill_group(process, signal.SIGTERM)
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        process.poll()  # reap the leader, so that it does not count as alive
        if not _group_alive(process.pid):
            return "stopped on SIGTERM"
        time.sleep(0.05)
    _kill_and_reap(process)
    return f"killed: it ignored SIGTERM for {bound:.0f}s"


class _Launch(NamedTuple):
    """A server started by `_launched`: the process (None if it could not start) and its log."""

    process: subprocess.Popen[bytes] | None
    port: int
    shown: str
    log: IO[bytes]
    started: float
    error: str = ""


@contextlib.contextmanager
def _launched(project: Project, env: Mapping[str, str]) -> Iterator[_Launch]:
    """The project's run command started on a free port; its process group is killed on exit."""
    argv = run_command(project)
    port = free_port()
    shown = f"PORT={port} HOST=127.0.0.1 {shlex.join(argv)}"
    env = {**env, "PORT": str(port), "HOST": "127.0.0.1"}
    with tempfile.TemporaryFile() as log, contextlib.ExitStack() as running:
        started = time.monotonic()
        process: subprocess.Popen[bytes] | None = None
        error = ""
        try:
            process = running.enter_context(_started(argv, project.path, env, log))
        except OSError as exc:
            error = f"could not start {argv[0]}: {exc}"
        # Outside the try: an OSError of whatever runs meanwhile is not a failed start.
        yield _Launch(process, port, shown, log, started, error)


def _healthy(server: _Launch, timeouts: Timeouts) -> Step:
    """Wait for GET /health to answer 200 on `server`, then stop it: the boot step.

    The wait is bounded from now; the step's time counts from the server's start.
    """
    process = server.process
    if process is None:
        return Step("boot", server.shown, False, 0.0, server.error)
    status, deadline = 0, time.monotonic() + timeouts.boot
    while time.monotonic() < deadline and process.poll() is None:
        status = _health(server.port)
        if status == 200:
            break
        time.sleep(0.05)
    up = time.monotonic() - server.started
    if status == 200:
        stopped = _stop(process, timeouts.stop)
        detail = f"GET /health answered 200 after {up:.1f}s; {stopped}"
        return Step("boot", server.shown, True, time.monotonic() - server.started, detail)
    if process.poll() is not None:
        detail = f"exited with {process.returncode} before GET /health answered 200"
    else:
        answer = f"last status {status}" if status else "no answer"
        detail = f"GET /health did not answer 200 within {timeouts.boot:.0f}s ({answer})"
        _stop(process, timeouts.stop)
    seconds = time.monotonic() - server.started
    return Step("boot", server.shown, False, seconds, detail, output=_tail(_read(server.log)))


def boot(project: Project, timeouts: Timeouts, env: Mapping[str, str]) -> Step:
    """Start the project's run command on a free port and wait for GET /health to answer 200."""
    with _launched(project, env) as server:
        return _healthy(server, timeouts)


# --------------------------------------------------------------------------- the whole run


def verify(
    path: Path,
    *,
    steps: Sequence[str] = STEPS,
    write_token: bool = True,
    check_workspace: bool = True,
    reporter: Reporter | None = None,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> Verification:
    """Run `steps` on the project in `path` in order, stopping at the first that fails.

    When all pass and `write_token`, backend-complete.token is written anew with a
    `verification` object. On a failure (or an interruption) a completion token is removed
    and VerificationFailed is raised, carrying the Verification. Raises NotAProjectError
    before anything runs when `path` is not a scaffold project.
    """
    project = inspect(path, check_workspace=check_workspace)
    files = project_files(project.path)  # before anything is installed or run
    started = time.monotonic()
    hand_off = project.workspace.root if project.workspace else project.path
    try:
        done = _run_steps(project, steps, timeouts, reporter)
    except BaseException:
        tokens.remove_completion_token(hand_off)
        raise
    passed = all(step.passed for step in done)
    result = Verification(project.path, project.stack, done, passed, seconds=time.monotonic() - started)
    if not result.passed:
        tokens.remove_completion_token(hand_off)
        failed = result.failed
        assert failed is not None
        output = "\n".join(f"    {line}" for line in failed.output.splitlines()) or "    (no output)"
        raise VerificationFailed(
            f"verification failed at step '{failed.name}': `{failed.command}` {failed.detail}; "
            f"the project in {project.path} is left as it is, without a completion token. "
            f"Its output ends:\n{output}",
            result,
        )
    if write_token and project.workspace is not None:
        record = {
            key: value
            for key, value in result.as_dict().items()
            if key not in ("path", "stack", "token_written")
        }
        tokens.write_completion_token(project.workspace, project.stack, files, record)
        result = result._replace(token_written=True)
    return result


def _install_from_cache(project: Project, timeouts: Timeouts, reporter: Reporter | None) -> Step:
    """Install from uv's cache when it holds all that is needed, else from the index.

    This is npm's --prefer-offline, which the JavaScript install uses: asking the index
    about every package costs seconds even when the cache has them all. Whatever the cache
    lacks, or a version it cannot satisfy, sends the install to the index.
    """
    env = environment(project)
    cached = install_commands(project, offline=True)
    if reporter is not None:
        reporter.step_started("install", _shown(cached))
    first = _run(cached, project.path, env, timeouts.install)
    if first.code != 0 and first.code is not None:  # not a pass, a time-out or a failed start
        online = install_commands(project)  # the .venv made by the first attempt is kept
        second = _run(online, project.path, env, timeouts.install - first.seconds)
        shown = f"{_shown(cached)} || {_shown(online)}"
        return _step(
            "install",
            shown,
            second._replace(seconds=first.seconds + second.seconds),
            project,
            timeouts.install,
        )
    return _step("install", _shown(cached), first, project, timeouts.install)


def _run_steps(
    project: Project, steps: Sequence[str], timeouts: Timeouts, reporter: Reporter | None
) -> list[Step]:
    """Run `steps` in order until one fails; the server of `boot` starts while the tests run.

    The two share nothing (the tests use TEST_DATABASE_URL or a temporary database, the
    server DATABASE_URL), and each keeps about one core busy, so the boot costs little
    more than the wait for its first answer. The server is stopped however the run ends.
    """
    done: list[Step] = []
    with contextlib.ExitStack() as stack:
        server: _Launch | None = None
        for name in steps:
            if name == "test" and "boot" in steps:
                server = stack.enter_context(_launched(project, environment(project)))
            if name == "boot" and server is not None:
                if reporter is not None:
                    reporter.step_started(name, server.shown)
                step = _healthy(server, timeouts)
            else:
                step = _one_step(name, project, timeouts, reporter)
            done.append(step)
            if reporter is not None:
                reporter.step_finished(step)
            if not step.passed:
                break
    return done


def _one_step(name: str, project: Project, timeouts: Timeouts, reporter: Reporter | None) -> Step:
    if name == "install" and project.language == "python" and uv_executable() is not None:
        return _install_from_cache(project, timeouts, reporter)
    if name == "boot":
        if reporter is not None:
            reporter.step_started(name, shlex.join(run_command(project)))
        return boot(project, timeouts, environment(project))
    commands = {"install": install_commands, "lint": lint_commands, "test": test_commands}[name](project)
    if reporter is not None:
        reporter.step_started(name, _shown(commands))
    return _command_step(name, commands, project, getattr(timeouts, name), environment(project))
