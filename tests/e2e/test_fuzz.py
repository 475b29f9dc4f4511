"""Fuzzing: schemathesis generates requests from the project's own /openapi.json and checks the answers.

Every built stack is fuzzed, signed in where the stack has auth: no answer may be a 5xx, and every
answer must be one the document declares (status code, content type and body schema). A finding
is a bug of the template, never something to loosen here: the failure shows the request (as curl)
that triggers it.

Bounded: a fixed number of examples per operation and a fixed seed, so each stack takes about
half a minute and a failure reproduces.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.figures import FIGURES

from . import harness
from .contract.client import Account, Api, describe, unique_email

pytestmark = pytest.mark.e2e

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
MAX_EXAMPLES = 15
SEED = 20261126
RUN_TIMEOUT = 240


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    """Fuzzed logins fail by the hundred, all from one address: the limit must not answer them."""
    return {"CORS_ORIGINS": harness.CORS_ALLOWED_ORIGIN, "LOGIN_RATE_LIMIT": "1000000"}


def schemathesis_run(
    base_url: str, headers: dict[str, str], signed_in: bool, report_dir: Path, only: str | None = None
) -> str:
    """`st run` against the project's document, its HAR written into `report_dir`; its output.

    `only`, a regular expression, keeps the paths it matches (a project's resources)."""
    argv: list[str | Path] = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{base_url}/openapi.json",
        "--checks", ",".join(CHECKS),
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--phases", "examples,coverage,fuzzing",
        "--workers", "1",
        "--request-timeout", "20",
        "--generation-database", "none",
        "--no-shrink",
        "--no-color",
        "--output-sanitize", "false",
        "--report", "har",
        "--report-har-path", report_dir / "requests.har",
    ]  # fmt: skip
    for name, value in headers.items():
        argv += ["--header", f"{name}: {value}"]
    if only is not None:
        argv += ["--include-path-regex", only]
    elif signed_in:
        # The fuzzer signs in once: logging out or deleting its user would leave it fuzzing as nobody.
        # (Each option excludes on its own; DELETE is the users resource's only one.)
        argv += ["--exclude-path", "/api/auth/logout", "--exclude-method", "DELETE"]
    # Its working folder too: schemathesis keeps a .schemathesis/ folder in it.
    result = harness.run(argv, cwd=report_dir, env=harness.clean_env(), timeout=RUN_TIMEOUT, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, (
        f"schemathesis found responses the document does not allow (a template bug):\n"
        f"{harness.tail(output, 150)}"
    )
    return output


def har_entries(path: Path) -> list[dict[str, Any]]:
    assert path.exists(), f"schemathesis wrote no HAR at {path}"
    return list(json.loads(path.read_text())["log"]["entries"])


def operation_of(entry: dict[str, Any], base_url: str) -> tuple[str, str, int]:
    """(method, templated path, status) of one recorded exchange."""
    path = entry["request"]["url"].removeprefix(base_url).split("?", 1)[0]
    path = re.sub(r"^/api/users/[^/]+$", "/api/users/{id}", path)
    return entry["request"]["method"], path, int(entry["response"]["status"])


def test_when_the_openapi_document_is_fuzzed_then_every_answer_is_declared_and_none_is_5xx(
    api: Api, stack: harness.Stack, tmp_path: Path
) -> None:
    headers: dict[str, str] = {}
    account: Account | None = None
    if stack.auth != "none":
        # A user of its own for the fuzzer, signed in; it may rename or re-password it, never end it.
        account = api.register(unique_email("fuzzer"), password="fuzzer password 1")
        headers = account.headers

    schemathesis_run(api.base_url, headers, account is not None, tmp_path)

    entries = har_entries(tmp_path / "requests.har")
    FIGURES.add(f"projects.{stack.name}.fuzz_requests", len(entries))
    seen = collections.Counter(operation_of(entry, api.base_url) for entry in entries)
    server_errors = {op: n for op, n in seen.items() if op[2] >= 500}
    assert not server_errors, f"5xx answers: {server_errors}"
    assert len(entries) >= 100, f"the fuzzer made only {len(entries)} requests: {sorted(seen.items())}"
    # The fuzzer got past the front door: signed-in reads answered, bodies were accepted.
    reached = {(method, path) for method, path, status in seen if 200 <= status < 300}
    for operation in [("GET", "/api/users"), ("GET", "/health")]:
        assert operation in reached, f"no 2xx for {operation}: {sorted(seen.items())}"
    by_id = {status for method, path, status in seen if (method, path) == ("GET", "/api/users/{id}")}
    assert by_id - {401}, f"GET /api/users/{{id}} never got past auth: {sorted(seen.items())}"
    write = ("POST", "/api/users") if stack.auth == "none" else ("POST", "/api/auth/register")
    assert write in reached, f"no user was ever created: {sorted(seen.items())}"
    if account is not None:
        # The credentials the fuzzer used still sign in: it fuzzed as a user from start to end.
        me = api.client.get("/api/auth/me", headers=account.headers)
        assert me.status_code == 200, describe(me)
        assert ("GET", "/api/auth/me") in reached, sorted(seen.items())
