"""Plain helpers for the end-to-end tests: ports, PostgreSQL, generated projects, live servers.

Nothing here knows pytest: every helper either returns data or raises AssertionError with a
message that says what failed and shows the output that explains it. Every subprocess and
every wait is bounded in time; servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold import languages, process
from scaffold.stacks import FRAMEWORK_INFO

REPO_ROOT = Path(__file__).resolve().parents[2]

# Environment variables of the HTTP contract (and of the tests around it): a value leaking in
# from the shell running pytest must never reach a generated project.
CONTRACT_VARIABLES = (
    "APP_ENV",
    "PORT",
    "HOST",
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "SECRET_KEY",
    "ACCESS_TOKEN_EXPIRES",
    "SESSION_EXPIRES",
    "CORS_ORIGINS",
    "LOGIN_RATE_LIMIT",
    "LOG_LEVEL",
)
# The one origin the contract suite's servers allow (CORS_ORIGINS).
CORS_ALLOWED_ORIGIN = "http://allowed.example"

# The environment as pytest started, before any fixture patched it: the tool's own tests give
# each test a private HOME, and an install must still find uv's shared cache under the real one.
_ENV_AT_IMPORT = dict(os.environ)

_INTERPRETER_VARIABLES = (
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "CONDA_PREFIX",
)


# --------------------------------------------------------------------------- processes


def tail(text: str, lines: int = 60) -> str:
    """The last lines of a text, for assertion messages."""
    return "\n".join(text.splitlines()[-lines:])


def clean_env(extra: Mapping[str, str] | None = None, path_first: Path | None = None) -> dict[str, str]:
    """os.environ minus contract and interpreter variables, plus `extra`; `path_first` on PATH."""
    env = {
        key: value
        for key, value in _ENV_AT_IMPORT.items()
        if key not in CONTRACT_VARIABLES and key not in _INTERPRETER_VARIABLES
    }
    if path_first is not None:
        env["PATH"] = f"{path_first}{os.pathsep}{env.get('PATH', os.defpath)}"
    env.update(extra or {})
    return env


def run(
    args: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion within `timeout` seconds, output captured.

    With check (the default), a non-zero exit or a timeout raises AssertionError showing the
    command and the tail of its output.
    """
    argv = [str(arg) for arg in args]
    shown = shlex.join(argv)
    try:
        result = subprocess.run(
            argv,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        out = _text(exc.stdout) + _text(exc.stderr)
        raise AssertionError(f"`{shown}` did not finish within {timeout:.0f}s\n{tail(out)}") from None
    except FileNotFoundError as exc:
        raise AssertionError(f"`{shown}` could not start: {exc}") from None
    if check and result.returncode != 0:
        raise AssertionError(
            f"`{shown}` (in {cwd or os.getcwd()}) exited with {result.returncode}\n"
            f"--- stdout\n{tail(result.stdout)}\n--- stderr\n{tail(result.stderr)}"
        )
    return result


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


# --------------------------------------------------------------------------- ports and addresses


free_port = process.free_port
spawn = process.spawn


class SourceAddresses:
    """Hands out distinct loopback addresses (127.0.0.2, 127.0.0.3, ...) to use as client sources.

    Any 127.0.0.0/8 address works as a source on Linux while the server listens on 127.0.0.1,
    so a test that must not share per-client state (login rate limits) takes its own.
    """

    def __init__(self) -> None:
        self._taken = 0

    def take(self) -> str:
        high, low = divmod(self._taken, 253)
        if high > 255:
            raise AssertionError("ran out of loopback source addresses")
        self._taken += 1
        return f"127.0.{high}.{low + 2}"


# --------------------------------------------------------------------------- PostgreSQL


@dataclass
class Postgres:
    """A throwaway PostgreSQL server on 127.0.0.1, trust auth, superuser `postgres`."""

    root: Path
    port: int
    as_postgres: bool
    databases: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres", timeout: float = 30) -> str:
        psql = shutil.which("psql") or "/usr/bin/psql"
        result = run(
            [psql, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
            env=clean_env({"PGCONNECT_TIMEOUT": "10"}),
            timeout=timeout,
        )  # fmt: skip
        return result.stdout.strip()

    def create_database(self, prefix: str = "e2e") -> str:
        """Create a fresh, empty database and return its URL."""
        name = f"{re.sub(r'[^a-z0-9_]', '_', prefix.lower())}_{secrets.token_hex(4)}"
        self.psql(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self.url(name)

    def stop(self) -> None:
        if self.data_dir.exists():
            _pg_command(
                ["pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "-t", "30", "stop"],
                self.as_postgres,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.root, ignore_errors=True)


def _pg_command(
    args: list[str], as_postgres: bool, *, timeout: float, check: bool = True
) -> subprocess.CompletedProcess[str]:
    if as_postgres:
        args = ["runuser", "-u", "postgres", "--", *args]
    return run(args, env=clean_env(), timeout=timeout, check=check)


def start_postgres(attempts: int = 3) -> Postgres:
    """Initialise and start a throwaway PostgreSQL; the caller must call `.stop()`.

    initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user
    in a folder that user owns. The folder lives directly in the system temp dir because
    pytest's own temp dirs are private to root.
    """
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        raise AssertionError(
            "PostgreSQL server binaries (initdb, pg_ctl) are not on PATH; the postgres stacks "
            "need them. Install them with `apt-get install -y postgresql` (and put "
            "/usr/lib/postgresql/<version>/bin on PATH)."
        )
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="scaffold-e2e-pg-"))
    if as_postgres:
        shutil.chown(root, user="postgres", group="postgres")
    data_dir = root / "data"
    _pg_command(
        ["initdb", "-D", str(data_dir), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        as_postgres,
        timeout=120,
    )
    last_error = ""
    for _ in range(attempts):
        port = free_port()
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        result = _pg_command(
            ["pg_ctl", "-D", str(data_dir), "-w", "-t", "60", "-l", str(root / "server.log"),
             "-o", options, "start"],
            as_postgres,
            timeout=90,
            check=False,
        )  # fmt: skip
        if result.returncode == 0:
            server = Postgres(root=root, port=port, as_postgres=as_postgres)
            server.psql("SELECT 1")
            return server
        log = root / "server.log"
        last_error = result.stdout + result.stderr + (log.read_text(errors="replace") if log.exists() else "")
    shutil.rmtree(root, ignore_errors=True)
    raise AssertionError(f"PostgreSQL did not start after {attempts} attempts\n{tail(last_error)}")


# --------------------------------------------------------------------------- MongoDB


@dataclass
class Mongo:
    """A throwaway MongoDB-wire-compatible server on 127.0.0.1 (secantusdb, in memory).

    No `mongod` can be installed on the machines the tests run on; secantusdb speaks the
    MongoDB wire protocol, and the generated projects use nothing that only it understands.
    """

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def url(self, database: str) -> str:
        return f"mongodb://127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "e2e") -> str:
        """A URL naming a database nobody has used (MongoDB creates it on first write)."""
        return self.url(f"{re.sub(r'[^a-z0-9_]', '_', prefix.lower())}_{secrets.token_hex(4)}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def mongo_server_command() -> list[str]:
    """The command of the MongoDB-compatible server installed with the test dependencies."""
    beside = Path(sys.executable).parent / "secantusd-py"
    found = str(beside) if beside.exists() else shutil.which("secantusd-py")
    if found is None:
        raise AssertionError(
            "the MongoDB-compatible test server `secantusd-py` is missing; the mongodb stacks need it. "
            'Install the test dependencies: `uv pip install -e ".[test]"` (secantusdb).'
        )
    return [found]


def start_mongo(port: int | None = None, log_dir: Path | None = None, timeout: float = 30) -> Mongo:
    """Start a MongoDB-compatible server with in-memory storage; the caller must call `.stop()`.

    `port` None takes a free one; a given port lets a test bring "the same" server back.
    """
    port = port or free_port()
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="scaffold-e2e-mongo-"))
    log_path = log_dir / f"mongo-{port}.log"
    argv = [*mongo_server_command(), "--host", "127.0.0.1", "--port", str(port), "--storage-path", ":memory:"]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            argv, env=clean_env(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    server = Mongo(process=process, port=port, log_path=log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the MongoDB-compatible server exited with {process.returncode}\n"
                f"{tail(log_path.read_text(errors='replace'))}"
            )
        if mongo_answers(port):
            return server
        time.sleep(0.1)
    server.stop()
    raise AssertionError(
        f"the MongoDB-compatible server did not answer on port {port} within {timeout:.0f}s\n"
        f"{tail(log_path.read_text(errors='replace'))}"
    )


def mongo_answers(port: int) -> bool:
    """Whether a server on 127.0.0.1:`port` answers a MongoDB ping."""
    import pymongo  # installed with the test server
    import pymongo.errors

    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(
        f"mongodb://127.0.0.1:{port}/", serverSelectionTimeoutMS=500, connectTimeoutMS=500
    )
    try:
        client.admin.command("ping")
        return True
    except pymongo.errors.PyMongoError:
        return False
    finally:
        client.close()


# --------------------------------------------------------------------------- live servers


@dataclass
class Server:
    """A server started as its own process group, output going to a log file."""

    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    killed: bool = False

    def log_tail(self, lines: int = 60) -> str:
        try:
            return tail(self.log_path.read_text(errors="replace"), lines)
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 10) -> int:
        """SIGTERM the process group, wait up to `timeout` s, then SIGKILL; return the exit code."""
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.killed = True
                _signal_group(self.process, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Children that outlived the leader (reloaders, workers) go too.
        _signal_group(self.process, signal.SIGKILL)
        return self.process.returncode


def wait_for_log(log_path: Path, text: str, timeout: float = 10) -> str:
    """The server's log once it holds `text` (log lines may be written after the answer)."""
    deadline = time.monotonic() + timeout
    log = ""
    while time.monotonic() < deadline:
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
        if text in log:
            return log
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in the server log within {timeout:.0f}s\n{tail(log)}")


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def http_get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    """GET a URL with the stdlib; return (status, body), or (0, b"") when nothing answers whole.

    A server that stops mid-answer (a reloading dev server, a restart under test) cuts the body
    short; that is no answer either, whatever status line came first."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, exc.read()
        except (http.client.HTTPException, OSError):
            return 0, b""
    except (urllib.error.URLError, http.client.HTTPException, OSError):
        return 0, b""


def exit_code_within(
    command: str, *, cwd: Path, env: Mapping[str, str], timeout: float, log_path: Path
) -> int | None:
    """Run `command` in its own process group; its exit code, or None if still running at `timeout`.

    A process still running at the deadline is killed with its whole group.
    """
    with log_path.open("wb") as log:
        process = spawn(shlex.split(command), cwd, env, log)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    finally:
        _signal_group(process, signal.SIGKILL)
        process.wait(timeout=10)


def http_post_json(url: str, payload: object, timeout: float = 5) -> tuple[int, bytes]:
    """POST JSON with the stdlib; return (status, body), or (0, b"") when nothing answers."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def start_server(
    command: str | Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    port: int,
    log_path: Path,
    health_path: str = "/health",
    timeout: float = 60,
) -> Server:
    """Start `command` and wait until GET `health_path` answers 200 on 127.0.0.1:`port`.

    The command is looked up on env["PATH"]. Raises AssertionError with the log tail when the
    process exits early or health does not answer 200 within `timeout` seconds.
    """
    argv = shlex.split(command) if isinstance(command, str) else [str(part) for part in command]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        try:
            process = spawn(argv, cwd, env, log)
        except FileNotFoundError as exc:
            raise AssertionError(f"could not start `{shlex.join(argv)}` in {cwd}: {exc}") from None
    server = Server(process=process, base_url=f"http://127.0.0.1:{port}", log_path=log_path)
    deadline = time.monotonic() + timeout
    status, body = 0, b""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"`{shlex.join(argv)}` exited with {process.returncode} before answering "
                f"{health_path}\n--- log\n{server.log_tail()}"
            )
        status, body = http_get(server.base_url + health_path, timeout=2)
        if status == 200:
            return server
        time.sleep(0.1)
    server.stop()
    raise AssertionError(
        f"`{shlex.join(argv)}` did not answer 200 on {server.base_url}{health_path} within "
        f"{timeout:.0f}s (last status {status or 'no answer'}: {body[:300]!r})\n"
        f"--- log\n{server.log_tail()}"
    )


# --------------------------------------------------------------------------- stacks and projects


@dataclass(frozen=True)
class Stack:
    name: str
    framework: str
    database: str
    auth: str

    @property
    def language(self) -> str:
        """The language of the stack's projects (`python`, `javascript`), from scaffold's catalogue."""
        return FRAMEWORK_INFO[self.framework].language


def all_stacks() -> list[Stack]:
    """Every stack, as the tool lists them (`scaffold stacks --json`)."""
    result = run(
        [sys.executable, "-m", "scaffold", "stacks", "--json"],
        cwd=REPO_ROOT,
        env=clean_env(),
        timeout=60,
    )
    try:
        listed = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(
            f"`scaffold stacks --json` printed no JSON ({exc}):\n{tail(result.stdout)}"
        ) from None
    return [Stack(item["name"], item["framework"], item["database"], item["auth"]) for item in listed]


@dataclass
class Project:
    """A generated project, as `scaffold new --json` describes it."""

    stack: Stack
    path: Path
    package: str
    commands: dict[str, str]
    info: dict[str, object]

    @property
    def venv(self) -> Path:
        return self.path / ".venv"

    @property
    def bin(self) -> Path:
        """Where the project's own tools live (`.venv/bin`, `node_modules/.bin`)."""
        return self.path / languages.driver(self.stack.language).TOOLS

    def dotenv(self) -> dict[str, str]:
        """The variables of the project's `.env` (KEY=VALUE lines; quotes stripped)."""
        values: dict[str, str] = {}
        env_file = self.path / ".env"
        if not env_file.exists():
            return values
        for line in env_file.read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _, value = line.removeprefix("export ").partition("=")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[key.strip()] = value
        return values


def generate_project(stack: Stack, name: str, out_dir: Path) -> Project:
    """Generate a project for `stack` named `name` into `out_dir` with the real CLI."""
    result = run(
        [
            sys.executable,
            "-m",
            "scaffold",
            "new",
            name,
            "--stack",
            stack.name,
            "-o",
            out_dir,
            "--no-input",
            "--json",
        ],
        cwd=REPO_ROOT,
        env=clean_env({"NO_COLOR": "1"}),
        timeout=300,
    )
    try:
        info = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(
            f"`scaffold new --json` did not print one JSON document ({exc})\n--- stdout\n"
            f"{tail(result.stdout)}\n--- stderr\n{tail(result.stderr)}"
        ) from None
    missing = {
        "stack",
        "framework",
        "database",
        "auth",
        "name",
        "package",
        "path",
        "files",
        "next_steps",
        "commands",
    } - set(info)
    assert not missing, f"`scaffold new --json` lacks {sorted(missing)}: {info}"
    assert set(info["commands"]) >= {"install", "test", "run"}, info["commands"]
    assert info["stack"] == stack.name, info
    path = Path(info["path"])
    if not path.is_absolute():
        path = REPO_ROOT / path
    assert path.is_dir(), f"`scaffold new` reported {path}, which is not a folder"
    return Project(
        stack=stack, path=path, package=info["package"], commands=dict(info["commands"]), info=info
    )


def install_project(project: Project, timeout: float = 900) -> None:
    """Install a generated project's dependencies (dev tools included) as `scaffold verify` does:
    its language driver's attempts in turn, the shared npm cache for Node."""
    env = tool_env(project)
    attempts = languages.driver(project.stack.language).install_attempts(project.path)
    for number, commands in enumerate(attempts, start=1):
        for argv in commands:
            result = run(argv, cwd=project.path, env=env, timeout=timeout, check=number == len(attempts))
            if result.returncode != 0:
                break
        else:
            return


def npm_cache_dir() -> Path:
    """The npm cache every Node project shares: the caller's `npm_config_cache`, else one folder.

    The folder sits in the system temp dir under a fixed name, so every stack of a session (and
    later sessions on the same machine) fetch each package tarball once.
    """
    configured = _ENV_AT_IMPORT.get("npm_config_cache") or _ENV_AT_IMPORT.get("NPM_CONFIG_CACHE")
    cache = Path(configured) if configured else Path(tempfile.gettempdir()) / "scaffold-e2e-npm-cache"
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def node_env(extra: Mapping[str, str] | None = None, path_first: Path | None = None) -> dict[str, str]:
    """`clean_env` for npm: the shared cache, and no update notices in the output."""
    return clean_env(
        {"npm_config_cache": str(npm_cache_dir()), "npm_config_update_notifier": "false", **(extra or {})},
        path_first=path_first,
    )


def javascript_files(project: Project) -> list[Path]:
    """Every .js, .mjs and .cjs file of the project outside node_modules."""
    return sorted(
        path
        for pattern in ("*.js", "*.mjs", "*.cjs")
        for path in project.path.rglob(pattern)
        if "node_modules" not in path.relative_to(project.path).parts
    )


def project_env(project: Project, port: int, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment to boot a project with: its own tools first on PATH, development mode."""
    values = {"PORT": str(port), "HOST": "127.0.0.1", "APP_ENV": "development", **extra}
    if database_url is not None:
        values["DATABASE_URL"] = database_url
    return tool_env(project, values)


def tool_env(project: Project, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """`clean_env` (with the shared npm cache for Node) as the project's language driver sets it
    up to run the project's own tools, plus `extra`."""
    base = node_env() if project.stack.language == languages.node.NAME else clean_env()
    return {**languages.driver(project.stack.language).environment(project.path, base), **(extra or {})}


def served_openapi(server: Server) -> dict[str, Any]:
    """The server's `/openapi.json`, which must answer 200 and pass openapi-spec-validator."""
    from openapi_spec_validator import validate

    status, body = http_get(f"{server.base_url}/openapi.json")
    assert status == 200, body
    document: dict[str, Any] = json.loads(body)
    validate(document)
    return document


def boot_project(project: Project, log_dir: Path, database_url: str | None, **extra: str) -> Server:
    """Start a project with its documented run command on a free port and wait for /health.

    `database_url` None leaves the project's own default; `extra` adds environment variables.
    """
    port = free_port()
    return start_server(
        project.commands["run"],
        cwd=project.path,
        env=project_env(project, port, database_url, **extra),
        port=port,
        log_path=log_dir / f"{project.stack.name}-{port}.log",
        timeout=60,
    )


# --------------------------------------------------------------------------- test output


def node_test_summary(output: str) -> dict[str, int]:
    """Counts from node --test's closing lines; both `passed` and `failed` must be there."""
    counts = languages.node.test_counts(output)
    assert {"passed", "failed"} <= set(counts), f"no node --test summary in the output:\n{tail(output)}"
    return counts


def verified(project: Project, env: Mapping[str, str]) -> dict[str, Any]:
    """`scaffold verify --json` on the project, as an agent runs it; its document, which must pass."""
    result = run(
        [sys.executable, "-m", "scaffold", "verify", project.path, "--json"],
        cwd=REPO_ROOT,
        env=env,
        timeout=1500,
        check=False,
    )
    assert result.returncode == 0, f"verify failed\n{tail(result.stdout + result.stderr)}"
    document: dict[str, Any] = json.loads(result.stdout)
    assert document["passed"] is True
    return document
