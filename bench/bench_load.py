"""Load generated projects for longer than the e2e tests do, and compare their reads to minimal apps.

    python bench/bench_load.py [--stacks flask-sqlite-none,fastapi-sqlite-none,express-sqlite-none]
                               [--seconds 30] [--clients 50] [--read-seconds 10]

For each stack: generate and install the project, boot it with its documented run command on an
SQLite file (or a throwaway PostgreSQL / MongoDB-compatible database), run the e2e load
(tests/e2e/load.py: register, sign in, list, read, rename) for --seconds, then measure the
throughput of two reads, GET /health and GET /api/users/{id}, against the project and against a
minimal hand-written app of the same framework, server and database driver (bench/minimal/,
SQLite stacks only), run from the project's own installed packages. Prints a table; the ratio
is project / minimal (1.0: the template costs nothing over the bare framework).
"""

from __future__ import annotations

import argparse
import secrets
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).resolve().parent / "minimal"
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.e2e import harness  # noqa: E402
from tests.e2e.load import PASSWORD, read_throughput, run_load  # noqa: E402

DEFAULT_STACKS = "flask-sqlite-none,fastapi-sqlite-none,express-sqlite-none"


@dataclass
class Row:
    stack: str
    load: dict[str, Any]
    reads: dict[str, tuple[float, float | None]]  # path label -> (project rps, minimal rps)


def stack_named(name: str) -> harness.Stack:
    for stack in harness.all_stacks():
        if stack.name == name:
            return stack
    raise SystemExit(f"{name} is not a built stack (see `scaffold stacks`)")


class Databases:
    """Fresh database URLs; a PostgreSQL or MongoDB-compatible server starts on first need."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.postgres: harness.Postgres | None = None
        self.mongo: harness.Mongo | None = None

    def url(self, stack: harness.Stack, purpose: str) -> str:
        if stack.database == "sqlite":
            return f"sqlite:///{self.work / f'{stack.name}-{purpose}.db'}"
        if stack.database == "postgres":
            self.postgres = self.postgres or harness.start_postgres()
            return self.postgres.create_database(f"bench_{purpose}")
        self.mongo = self.mongo or harness.start_mongo(log_dir=self.work)
        return self.mongo.create_database(f"bench_{purpose}")

    def stop(self) -> None:
        for server in (self.postgres, self.mongo):
            if server is not None:
                server.stop()


def sign_in(base_url: str, auth: str) -> tuple[Any, dict[str, str]]:
    """A fresh user's id and the headers that carry its credentials."""
    email = f"bench-{secrets.token_hex(6)}@bench.example.com"
    body = {"email": email, "password": PASSWORD}
    with httpx.Client(base_url=base_url, timeout=60) as client:
        if auth == "none":
            response = client.post("/api/users", json=body)
            response.raise_for_status()
            return response.json()["id"], {}
        response = client.post("/api/auth/register", json=body)
        response.raise_for_status()
        user_id = response.json()["user"]["id"]
        if auth == "jwt":
            return user_id, {"Authorization": f"Bearer {response.json()['access_token']}"}
        return user_id, {"Cookie": response.headers["set-cookie"].split(";", 1)[0]}


def seed_minimal_database(path: Path, rows: int = 100) -> None:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT UNIQUE NOT NULL, "
            "username TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL, is_active BOOLEAN NOT NULL, "
            "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
        )
        db.executemany(
            "INSERT INTO users (email, username, password_hash, is_active, created_at, updated_at) "
            "VALUES (?, ?, 'x', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            [(f"user{n}@example.com", f"user{n}") for n in range(rows)],
        )


def boot_minimal(project: harness.Project, work: Path) -> harness.Server:
    database = work / f"{project.stack.name}-minimal.db"
    seed_minimal_database(database)
    port = harness.free_port()
    values = {"MINIMAL_DATABASE_URL": f"sqlite:///{database}", "PORT": str(port), "HOST": "127.0.0.1"}
    address = ["127.0.0.1", str(port)]
    command: list[str | Path]
    if project.stack.framework == "flask":
        command = [project.bin / "gunicorn", "-k", "gthread", "-w", "2", "--threads", "4",
                   "-b", ":".join(address), "--chdir", MINIMAL, "flask_app:app"]  # fmt: skip
        env = harness.clean_env(values, path_first=project.bin)
    elif project.stack.framework == "fastapi":
        command = [project.bin / "uvicorn", "--workers", "2", "--host", address[0], "--port", address[1],
                   "--app-dir", MINIMAL, "--no-access-log", "fastapi_app:app"]  # fmt: skip
        env = harness.clean_env(values, path_first=project.bin)
    else:
        command = ["node", MINIMAL / "express_app.cjs"]
        env = harness.node_env({**values, "PROJECT_DIR": str(project.path)})
    return harness.start_server(
        [str(part) for part in command],
        cwd=work,
        env=env,
        port=port,
        log_path=work / f"{project.stack.name}-minimal.log",
    )


def reads(base_url: str, user_id: Any, headers: dict[str, str], clients: int, seconds: float) -> list[float]:
    rates = []
    for path in ("/health", f"/api/users/{user_id}"):
        rps, failed = read_throughput(base_url, path, clients=clients, seconds=seconds, headers=headers)
        if failed:
            print(f"  {base_url}{path}: {failed} failed requests", file=sys.stderr)
        rates.append(rps)
    return rates


def bench_stack(stack: harness.Stack, databases: Databases, work: Path, args: argparse.Namespace) -> Row:
    print(f"{stack.name}: generating and installing", file=sys.stderr)
    (work / stack.name).mkdir()
    project = harness.generate_project(stack, "bench-app", work / stack.name)
    harness.install_project(project)
    server = harness.boot_project(
        project, work, databases.url(stack, "load"), LOGIN_RATE_LIMIT="1000000", LOG_LEVEL="warning"
    )
    try:
        print(f"{stack.name}: {args.clients} clients for {args.seconds:.0f} s", file=sys.stderr)
        result = run_load(
            server.base_url, stack.auth, clients=args.clients, seconds=args.seconds, relogin_every=10
        )
        user_id, headers = sign_in(server.base_url, stack.auth)
        project_rates = reads(server.base_url, user_id, headers, args.clients, args.read_seconds)
    finally:
        server.stop()
    minimal_rates: list[float | None] = [None, None]
    if stack.database == "sqlite":
        minimal = boot_minimal(project, work)
        try:
            minimal_rates = list(reads(minimal.base_url, 1, {}, args.clients, args.read_seconds))
        finally:
            minimal.stop()
    return Row(
        stack=stack.name,
        load=result.summary(),
        reads={
            "GET /health": (project_rates[0], minimal_rates[0]),
            "GET /api/users/{id}": (project_rates[1], minimal_rates[1]),
        },
    )


def print_table(rows: list[Row]) -> None:
    header = ["stack", "requests", "rps", "p99 ms", "errors", "5xx"]
    labels = list(rows[0].reads) if rows else []
    for label in labels:
        header += [f"{label} rps", "minimal rps", "ratio"]
    lines = [header]
    for row in rows:
        cells = [row.stack, str(row.load["requests"]), f"{row.load['rps']:.0f}", f"{row.load['p99_ms']:.0f}",
                 str(row.load["errors"]), str(row.load["5xx"])]  # fmt: skip
        for label in labels:
            mine, minimal = row.reads[label]
            cells += [f"{mine:.0f}", "-" if minimal is None else f"{minimal:.0f}",
                      "-" if not minimal else f"{mine / minimal:.2f}"]  # fmt: skip
        lines.append(cells)
    print("| " + " | ".join(lines[0]) + " |")
    print("|" + "|".join(" --- " for _ in lines[0]) + "|")
    for cells in lines[1:]:
        print("| " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stacks", default=DEFAULT_STACKS, help="comma-separated stack names")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of the mixed load")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--read-seconds", type=float, default=10.0, help="duration of each read measure")
    args = parser.parse_args()
    stacks = [stack_named(name.strip()) for name in args.stacks.split(",") if name.strip()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        databases = Databases(work)
        try:
            for stack in stacks:
                rows.append(bench_stack(stack, databases, work, args))
        finally:
            databases.stop()
    print_table(rows)
    return 0 if all(row.load["errors"] == 0 and row.load["5xx"] == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
