"""Verification of a generated project: install it, lint it, run its tests, boot it, then hand off.

Every command runs without stdin, in its own process group, within a time limit, with the
caller's environment (so TEST_DATABASE_URL and DATABASE_URL given by the caller win over the
project's `.env`). Only a run in which every step passed writes the completion token.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, NamedTuple, Protocol

from scaffold import answers, languages, process, tokens
from scaffold.errors import NotAProjectError, VerificationFailed
from scaffold.results import Step, Verification
from scaffold.stacks import FRAMEWORK_INFO

__all__ = ["STEPS", "Step", "Timeouts", "Verification", "inspect", "project_files", "verify"]

STEPS = ("install", "lint", "test", "boot")

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
    def driver(self) -> languages.Language:
        return languages.driver(self.language)


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
    recorded = answers.recorded(resolved)
    framework = recorded.get("framework")
    if framework in FRAMEWORK_INFO:
        language = FRAMEWORK_INFO[framework].language
    else:
        found = languages.detect(resolved)
        if found is None:
            manifests = " nor a ".join(driver.MANIFEST for driver in languages.DRIVERS.values())
            raise NotAProjectError(f"'{resolved}' has neither a {manifests} to verify")
        language = found.NAME
    stack = recorded.get("stack")
    package = languages.python.package(resolved) if language == languages.python.NAME else None
    return Project(resolved, language, stack if isinstance(stack, str) else None, package, workspace)


def project_files(path: Path) -> list[str]:
    """The project's own files (not its installed dependencies, caches or git data), sorted."""
    found: list[str] = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in _NOT_PROJECT_FILES and not d.endswith(".egg-info")]
        found += [(Path(folder) / name).relative_to(path).as_posix() for name in files]
    # Other agents' hand-off files are theirs; the workspace path is listed, the token is what lists.
    return sorted(f for f in found if not f.startswith(f"{tokens.TOKENS_DIR}/") or f == tokens.WORKSPACE_FILE)


# --------------------------------------------------------------------------- running commands


def environment(project: Project, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment with the project's own tools first on PATH."""
    return {**project.driver.environment(project.path, os.environ), **(extra or {})}


def _step(name: str, shown: str, outcome: process.Outcome, project: Project, timeout: float) -> Step:
    """The step that `outcome` of running `shown` within `timeout` seconds makes."""
    tail = "\n".join(outcome.output.rstrip().splitlines()[-_OUTPUT_TAIL_LINES:])
    if outcome.error:
        return Step(name, shown, False, outcome.seconds, outcome.error, output=tail)
    if outcome.code is None:
        detail = f"did not finish within {timeout:.0f}s and was stopped"
        return Step(name, shown, False, outcome.seconds, detail, output=tail)
    passed = outcome.code == 0
    detail = "exit 0" if passed else f"exited with {outcome.code}"
    counted = project.driver.test_counts(outcome.output).get("passed") if name == "test" else None
    excerpt = "" if passed else project.driver.failure_excerpt(outcome.output, _OUTPUT_TAIL_LINES)
    return Step(name, shown, passed, outcome.seconds, detail, counted, excerpt)


# --------------------------------------------------------------------------- the steps


def _documented(project: Project, key: str) -> list[list[str]]:
    """A command as the project's AGENTS.md lists it (the stack catalogue's), as argv lists."""
    framework = (project.stack or "").split("-")[0]
    if framework not in FRAMEWORK_INFO:  # no .scaffold.toml: the language's first framework
        framework = next(name for name, info in FRAMEWORK_INFO.items() if info.language == project.language)
    line = FRAMEWORK_INFO[framework].project_commands(str(project.package))[key]
    return [shlex.split(part) for part in line.split(" && ")]


def run_command(project: Project) -> list[str]:
    """The project's documented run command, with its own interpreter."""
    return _documented(project, "run")[0]


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
    port = process.free_port()
    shown = f"PORT={port} HOST=127.0.0.1 {shlex.join(argv)}"
    env = {**env, "PORT": str(port), "HOST": "127.0.0.1"}
    with tempfile.TemporaryFile() as log, contextlib.ExitStack() as running:
        started = time.monotonic()
        server: subprocess.Popen[bytes] | None = None
        error = ""
        try:
            server = running.enter_context(process.started(argv, project.path, env, log))
        except OSError as exc:
            error = f"could not start {argv[0]}: {exc}"
        # Outside the try: an OSError of whatever runs meanwhile is not a failed start.
        yield _Launch(server, port, shown, log, started, error)


def _healthy(server: _Launch, timeouts: Timeouts) -> Step:
    """Wait for GET /health to answer 200 on `server`, then stop it: the boot step.

    The wait is bounded from now; the step's time counts from the server's start.
    """
    running = server.process
    if running is None:
        return Step("boot", server.shown, False, 0.0, server.error)
    status, deadline = 0, time.monotonic() + timeouts.boot
    while time.monotonic() < deadline and running.poll() is None:
        status = process.http_status(server.port, "/health")
        if status == 200:
            break
        time.sleep(0.05)
    up = time.monotonic() - server.started
    if status == 200:
        stopped = process.stop(running, timeouts.stop)
        detail = f"GET /health answered 200 after {up:.1f}s; {stopped}"
        return Step("boot", server.shown, True, time.monotonic() - server.started, detail)
    if running.poll() is not None:
        detail = f"exited with {running.returncode} before GET /health answered 200"
    else:
        answer = f"last status {status}" if status else "no answer"
        detail = f"GET /health did not answer 200 within {timeouts.boot:.0f}s ({answer})"
        process.stop(running, timeouts.stop)
    seconds = time.monotonic() - server.started
    output = process.read(server.log).rstrip().splitlines()[-_OUTPUT_TAIL_LINES:]
    return Step("boot", server.shown, False, seconds, detail, output="\n".join(output))


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


def _install(project: Project, timeouts: Timeouts, reporter: Reporter | None) -> Step:
    """Install by the language's attempts in turn, until one passes or fails by more than its
    exit code (a time-out, a failed start), all within the install's time limit."""
    env = environment(project)
    attempts = project.driver.install_attempts(project.path)
    if reporter is not None:
        reporter.step_started("install", process.shown(attempts[0]))
    tried: list[str] = []
    spent = 0.0
    for commands in attempts:
        tried.append(process.shown(commands))
        outcome = process.run(commands, project.path, env, timeouts.install - spent)
        spent += outcome.seconds
        if outcome.code in (0, None):
            break
    return _step("install", " || ".join(tried), outcome._replace(seconds=spent), project, timeouts.install)


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
    if name == "install":
        return _install(project, timeouts, reporter)
    if name == "boot":
        if reporter is not None:
            reporter.step_started(name, shlex.join(run_command(project)))
        return boot(project, timeouts, environment(project))
    commands = _documented(project, name)
    if reporter is not None:
        reporter.step_started(name, process.shown(commands))
    outcome = process.run(commands, project.path, environment(project), getattr(timeouts, name))
    return _step(name, process.shown(commands), outcome, project, getattr(timeouts, name))
