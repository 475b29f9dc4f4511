"""`scaffold mcp` through the SDK's own client over stdio: the tools, their documents, their errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent

from scaffold import recommend, stacks, tokens, verify
from tests.helpers import ROOT, build_file_tree

T = TypeVar("T")

# uv's cache as the developer has it, read before the autouse fixture gives each test a private
# HOME: the real verification then installs from the cache instead of the index.
_UV_CACHE = os.environ.get("UV_CACHE_DIR") or str(
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "uv"
)
# Bounds of one session: starting the server and a few quick calls, or a real verification.
QUICK = 60
SLOW = 300


def server_env() -> dict[str, str]:
    """The test's environment (the isolated HOME, and the machine's certificates and package index,
    which a real install needs), with the shared uv cache and no colour."""
    return {**os.environ, "UV_CACHE_DIR": _UV_CACHE, "NO_COLOR": "1"}


@asynccontextmanager
async def connected(cwd: Path, errlog: Path) -> AsyncIterator[ClientSession]:
    """A client session with `scaffold mcp` started in `cwd`; its stderr goes to `errlog`."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "scaffold", "mcp"], cwd=cwd, env=server_env()
    )
    with errlog.open("w") as log:
        async with stdio_client(params, errlog=log) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session


def talk(cwd: Path, script: Callable[[ClientSession], Awaitable[T]], timeout: float = QUICK) -> T:
    """Run `script` against a fresh server in `cwd`, all of it within `timeout` seconds."""

    async def main() -> T:
        with anyio.fail_after(timeout):
            async with connected(cwd, cwd.parent / "server-stderr.log") as session:
                return await script(session)

    return anyio.run(main)


def call(cwd: Path, tool: str, arguments: dict[str, Any], timeout: float = QUICK) -> CallToolResult:
    async def script(session: ClientSession) -> CallToolResult:
        return await session.call_tool(tool, arguments)

    return talk(cwd, script, timeout)


def document(result: CallToolResult) -> Any:
    """The JSON document of a result, checked to be the same in the text block and the structured content."""
    assert len(result.content) == 1
    block = result.content[0]
    assert isinstance(block, TextContent)
    parsed = json.loads(block.text)
    structured = parsed if isinstance(parsed, dict) else {"result": parsed}
    assert result.structured_content == structured
    return parsed


def error_of(result: CallToolResult) -> dict[str, Any]:
    assert result.is_error, result.content
    found = document(result)
    assert set(found["error"]) == {"code", "message"}
    assert isinstance(found["error"]["message"], str)
    return found


def cli(*args: str, cwd: Path) -> Any:
    """The --json document the command line prints for the same request."""
    result = subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=QUICK,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def here(tmp_path: Path) -> Path:
    """The folder the server starts in."""
    folder = tmp_path / "server"
    folder.mkdir()
    return folder


def test_when_the_tools_are_listed_then_each_has_a_schema_with_its_required_arguments(here: Path) -> None:
    async def script(session: ClientSession) -> Any:
        return await session.list_tools()

    listed = {tool.name: tool for tool in talk(here, script).tools}

    assert set(listed) == {"stacks", "recommend", "new", "verify"}
    schemas = {name: tool.input_schema for name, tool in listed.items()}
    assert {name: schema.get("required", []) for name, schema in schemas.items()} == {
        "stacks": [],
        "recommend": [],
        "new": ["name"],
        "verify": ["path"],
    }
    for name, schema in schemas.items():
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False, name
        assert all(prop.get("description") for prop in schema["properties"].values()), name
        assert listed[name].description
    new = schemas["new"]["properties"]
    assert set(new) == {
        "name", "stack", "framework", "database", "auth", "output_dir", "config",
        "dry_run", "git", "tokens", "install", "verify",
    }  # fmt: skip
    for kind, choices in stacks.CHOICES.items():
        assert new[kind] == {**new[kind], "type": "string", "enum": list(choices)}
    assert new["git"]["type"] == "boolean"
    assert new["verify"]["type"] == ["boolean", "null"]
    questions = schemas["recommend"]["properties"]
    assert {key: prop["enum"] for key, prop in questions.items()} == {
        question: list(allowed) for question, (allowed, _) in recommend.QUESTIONS.items()
    }
    assert listed["stacks"].annotations is not None
    assert listed["stacks"].annotations.read_only_hint is True


def test_when_stacks_is_called_then_it_is_the_stacks_json_document(here: Path) -> None:
    result = call(here, "stacks", {})

    assert not result.is_error
    assert document(result) == cli("stacks", "--json", cwd=here)
    assert len(document(result)) == 27


def test_when_recommend_is_called_then_it_is_the_recommend_json_document(here: Path) -> None:
    result = call(here, "recommend", {"language": "javascript", "stage": "production", "clients": "mobile"})

    assert not result.is_error
    found = document(result)
    assert found == cli(
        "recommend", "--language", "javascript", "--stage", "production", "--clients", "mobile", "--json",
        cwd=here,
    )  # fmt: skip
    assert found["recommended"]["stack"] == "express-postgres-jwt"


def test_when_new_is_called_then_the_project_is_written_and_the_document_is_the_clis(
    here: Path, tmp_path: Path
) -> None:
    (here / "out").mkdir()
    result = call(
        here,
        "new",
        {"name": "demo", "stack": "flask-sqlite-jwt", "output_dir": "out", "git": False, "verify": False},
    )

    assert not result.is_error, result.content
    found = document(result)
    project = here / "out" / "demo"  # output_dir is taken from the server's folder
    assert found["path"] == str(project)
    for name in found["files"]:
        assert (project / name).is_file(), name
    assert not (project / ".git").exists()
    elsewhere = tmp_path / "cli"
    (elsewhere / "out").mkdir(parents=True)
    expected = cli(
        "new", "demo", "--stack", "flask-sqlite-jwt", "-o", "out", "--no-git", "--no-verify", "--json",
        cwd=elsewhere,
    )  # fmt: skip
    assert expected["path"] == str(elsewhere / "out" / "demo")
    assert {**found, "path": None} == {**expected, "path": None}
    assert found["verification"] is None
    assert found["install"] is None


def test_when_new_leaves_the_stack_open_then_nothing_is_asked_and_the_defaults_are_named(here: Path) -> None:
    result = call(here, "new", {"name": "demo", "dry_run": True})

    assert not result.is_error, result.content
    found = document(result)
    assert found["stack"] == "flask-sqlite-jwt"
    assert found["defaults_used"] == ["framework", "database", "auth"]
    assert found["dry_run"] is True
    assert list(here.iterdir()) == []


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"name": "demo", "stack": "flask-nosql"}, "unknown_choice"),
        # An enum of the schema gets the command line's error, with its list of choices.
        ({"name": "demo", "framework": "django"}, "unknown_choice"),
        ({"name": "demo", "git": "no"}, "usage"),
        ({"stack": "flask-sqlite"}, "usage"),
        ({"name": "demo", "folder": "x"}, "usage"),
        ({"name": "Not A Name!"}, "invalid_name"),
    ],
    ids=["bad-stack", "bad-framework", "bad-type", "no-name", "unknown-argument", "bad-name"],
)
def test_when_new_is_given_bad_arguments_then_it_is_a_tool_error_with_the_code(
    here: Path, arguments: dict[str, Any], code: str
) -> None:
    result = call(here, "new", arguments)

    assert error_of(result)["error"]["code"] == code
    assert list(here.iterdir()) == []


def test_when_the_framework_is_unknown_then_the_message_lists_the_choices(here: Path) -> None:
    message = error_of(call(here, "new", {"name": "demo", "framework": "django"}))["error"]["message"]

    assert all(choice in message for choice in stacks.CHOICES["framework"])


def test_when_new_targets_a_folder_that_is_not_empty_then_it_is_target_exists(here: Path) -> None:
    build_file_tree({"demo/notes.txt": "mine\n"}, here)

    result = call(here, "new", {"name": "demo", "git": False})

    assert error_of(result)["error"]["code"] == "target_exists"
    assert sorted(p.name for p in (here / "demo").iterdir()) == ["notes.txt"]


def test_when_verify_is_given_a_folder_that_is_no_project_then_it_is_not_a_project(here: Path) -> None:
    build_file_tree({"plain/readme.txt": "hello\n"}, here)

    result = call(here, "verify", {"path": "plain"})

    found = error_of(result)
    assert found["error"]["code"] == "not_a_project"
    assert "result" not in found


def test_when_a_tool_fails_unexpectedly_then_it_is_one_line_with_code_internal(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mcp.client import Client

    from scaffold import mcp_server

    def broken() -> list[stacks.Stack]:
        raise RuntimeError("the catalogue\nis gone")

    monkeypatch.setattr(stacks, "all_stacks", broken)

    async def script() -> CallToolResult:
        with anyio.fail_after(QUICK):
            async with Client(mcp_server.build()) as client:
                return await client.call_tool("stacks", {})

    found = error_of(anyio.run(script))

    assert found["error"]["code"] == "internal"
    assert "\n" not in found["error"]["message"]
    assert found["error"]["message"].startswith("unexpected RuntimeError: the catalogue is gone")
    assert "Traceback" not in found["error"]["message"]


def generated(here: Path) -> Path:
    call(here, "new", {"name": "demo", "stack": "flask-sqlite-jwt", "git": False, "verify": False})
    return here / "demo"


def test_when_a_generated_project_is_verified_then_it_passes_with_progress_and_the_token(here: Path) -> None:
    project = generated(here)
    (project / tokens.COMPLETE_FILE).unlink()
    progress: list[str] = []

    async def script(session: ClientSession) -> CallToolResult:
        async def report(done: float, total: float | None, message: str | None) -> None:
            progress.append(message or "")

        return await session.call_tool("verify", {"path": "demo"}, progress_callback=report)

    result = talk(here, script, SLOW)

    assert not result.is_error, result.content
    found = document(result)
    assert found["passed"] is True
    assert [step["name"] for step in found["steps"]] == list(verify.STEPS)
    assert found["tests_passed"] > 0
    assert found["token_written"] is True
    assert (project / tokens.COMPLETE_FILE).is_file()
    assert any(line.startswith("run: install") for line in progress), progress
    assert any(line.startswith("ok: boot") for line in progress), progress
    # The same lines went to stderr: stdout is the protocol.
    assert "ok: test" in (here.parent / "server-stderr.log").read_text()


def test_when_verification_fails_then_the_tool_error_carries_the_run(here: Path) -> None:
    project = generated(here)
    package = project / "src" / "demo" / "__init__.py"
    package.write_text("import os\n" + package.read_text())  # an unused import: lint fails

    result = call(here, "verify", {"path": "demo"}, SLOW)

    found = error_of(result)
    assert found["error"]["code"] == "verification_failed"
    assert "lint" in found["error"]["message"]
    assert found["result"]["passed"] is False
    assert found["result"]["failed_step"] == "lint"
    assert [step["name"] for step in found["result"]["steps"]] == ["install", "lint"]
    assert not (project / tokens.COMPLETE_FILE).exists()


@pytest.mark.parametrize("args", [["--help"], ["stacks", "--json"], ["recommend", "-y", "--json"]])
def test_when_another_command_runs_then_the_mcp_sdk_is_not_imported(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scaffold", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=QUICK,
    )

    assert result.returncode == 0, result.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "scaffold.cli" in imported  # the listing is there to read
    sdk = [name for name in imported if name.split(".")[0] in {"mcp", "mcp_types", "jsonschema"}]
    assert sdk == []
