"""`scaffold verify` and `new --install/--verify` on small, real projects: no network, seconds each.

The projects here are tiny Node packages with no dependencies (so `npm install` needs no
network), their own `node --test` tests and a server with GET /health: every step runs for
real. The generated stacks themselves are verified in tests/e2e/test_verify.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold import languages, tokens
from scaffold import verify as verifying
from scaffold.cli import app
from scaffold.errors import VerificationFailed
from tests.helpers import ROOT, build_file_tree, run_scaffold

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None, reason="needs node and npm"
)

PACKAGE = {
    "name": "tiny",
    "version": "1.0.0",
    "private": True,
    "type": "module",
    "scripts": {"start": "node server.js", "test": "node --test", "lint": "node lint.js"},
}
SERVER = """\
import http from 'node:http';
import { writeFileSync } from 'node:fs';
writeFileSync('server.pid', String(process.pid));
const server = http.createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
});
server.listen(Number(process.env.PORT), process.env.HOST);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
"""
PASSING_TESTS = """\
import test from 'node:test';
import assert from 'node:assert/strict';
test('when one is added to one, then it is two', () => assert.equal(1 + 1, 2));
test('when a string is repeated, then it is longer', () => assert.equal('a'.repeat(3), 'aaa'));
"""
# The failure comes first and many passing tests follow: TAP reports it long before the tail.
# The failing test first waits (boundedly) for the server that verify starts alongside the tests,
# so that the test can see that a failed step stops it, however slow the machine is.
FAILING_TESTS = """\
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
test('when it is checked, then it fails on purpose', async () => {
  for (let i = 0; i < 400 && !existsSync('server.pid'); i++) await sleep(50);
  assert.equal('broken-on-purpose', 'fine');
});
""" + "".join(f"test('when {n} is checked, then it passes', () => assert.ok(true));\n" for n in range(40))
TINY_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.26"]
build-backend = "hatchling.build"

[project]
name = "tiny"
version = "0.1.0"

[project.optional-dependencies]
dev = []
"""
STALE_TOKEN = '{"status": "complete", "timestamp": "2000-01-01T00:00:00Z"}\n'


def tiny_project(root: Path, **replace: str) -> Path:
    """A scaffold-like Node project in root/tiny whose workspace-path.txt names it."""
    path = root / "tiny"
    files: dict[str | Path, str] = {
        "package.json": json.dumps(PACKAGE, indent=2),
        "server.js": SERVER,
        "lint.js": "",
        "tests/sum.test.js": PASSING_TESTS,
        ".scaffold.toml": 'stack = "express-sqlite-none"\nframework = "express"\n',
        tokens.WORKSPACE_FILE: f"{path.resolve()}\n",
        tokens.COMPLETE_FILE: STALE_TOKEN,
    }
    files.update(replace)
    build_file_tree(files, path)
    return path


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie is gone too: it only waits for its parent to read its status.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1].startswith("Z")


# --------------------------------------------------------------------------- not a project


def test_when_the_workspace_file_is_missing_then_verify_exits_1_with_one_line(tmp_path: Path) -> None:
    build_file_tree({"package.json": "{}"}, tmp_path)
    result = CliRunner().invoke(app, ["verify", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert "workspace-path.txt" in result.stderr
    assert not (tmp_path / "node_modules").exists()


def test_when_the_project_was_copied_then_verify_names_the_mismatch_and_installs_nothing(
    tmp_path: Path,
) -> None:
    made = CliRunner().invoke(app, ["new", "shop", "-y", "--no-git", "-o", str(tmp_path)])
    assert made.exit_code == 0, made.stderr
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "shop", copy)

    result = CliRunner().invoke(app, ["verify", str(copy)])

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"names '{(tmp_path / 'shop').resolve()}', not '{copy.resolve()}'" in result.stderr
    assert not (copy / ".venv").exists()
    assert (copy / tokens.COMPLETE_FILE).exists(), "a refused verification must not touch the token"


def test_when_the_path_is_not_a_folder_then_verify_exits_1_with_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "is not a folder" in result.stderr


def test_when_verify_runs_in_the_current_folder_by_default_then_it_checks_that_folder(tmp_path: Path) -> None:
    result = run_scaffold("verify", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert (
        f"neither '{tmp_path.resolve()}' nor a folder above it has .agent-tokens/workspace-path.txt"
        in result.stderr
    )


# --------------------------------------------------------------------------- a small real project


@needs_node
def test_when_every_step_passes_then_the_token_is_written_anew_with_the_verification(tmp_path: Path) -> None:
    project = tiny_project(tmp_path)

    result = run_scaffold("verify", str(project), "--json", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["passed"] is True
    assert [step["name"] for step in report["steps"]] == ["install", "lint", "test", "boot"]
    assert all(step["passed"] for step in report["steps"])
    assert report["tests_passed"] == 2
    assert report["steps"][0]["command"].startswith("npm install")  # no package-lock.json yet
    assert "GET /health answered 200" in report["steps"][3]["detail"]
    token = json.loads((project / tokens.COMPLETE_FILE).read_text())
    assert token["timestamp"] != "2000-01-01T00:00:00Z"
    assert token["status"] == "complete"
    assert token["workspace"] == str(project.resolve())
    assert token["stack"] == "express-sqlite-none"
    assert token["verification"]["passed"] is True
    assert token["verification"]["tests_passed"] == 2
    assert [step["name"] for step in token["verification"]["steps"]] == ["install", "lint", "test", "boot"]
    assert "package.json" in token["files_created"]
    assert not any(f.startswith("node_modules") for f in token["files_created"])
    assert gone(int((project / "server.pid").read_text())), "the server outlived verify"


def tiny_python_project(tmp_path: Path) -> Path:
    """A Python package with no dependencies, its workspace file in place."""
    project = tmp_path / "tiny"
    build_file_tree(
        {
            "pyproject.toml": TINY_PYPROJECT,
            "src/tiny/__init__.py": "",
            "src/tiny/__main__.py": "",
            tokens.WORKSPACE_FILE: f"{project.resolve()}\n",
        },
        project,
    )
    return project


def test_when_uv_is_not_on_the_path_then_the_install_uses_the_uv_scaffold_depends_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uv import find_uv_bin

    project = tiny_python_project(tmp_path)
    bare = tmp_path / "bin"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))  # no uv, no pip, nothing: what a fresh pip user has

    result = verifying.verify(project, steps=("install",), write_token=False)

    assert result.passed, result.steps[0].output
    assert result.steps[0].command.startswith(f"{find_uv_bin()} venv")
    assert " pip install " in result.steps[0].command
    assert "-m pip" not in result.steps[0].command


def test_when_uv_is_nowhere_then_the_install_falls_back_to_venv_and_pip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "uv", None)  # the import fails, as where no uv wheel exists
    commands = languages.python.install_commands(tmp_path)
    assert commands[0] == [sys.executable, "-m", "venv", ".venv"]
    assert commands[1][:4] == [".venv/bin/python", "-m", "pip", "install"]


@needs_node
def test_when_a_lock_file_exists_then_install_is_npm_ci(tmp_path: Path) -> None:
    project = tiny_project(tmp_path)
    verifying.verify(project, steps=("install",), write_token=False)
    assert (project / "package-lock.json").exists()

    again = verifying.verify(project, steps=("install",), write_token=False)

    assert again.steps[0].command.startswith("npm ci")
    assert (project / tokens.COMPLETE_FILE).read_text() == STALE_TOKEN  # install only: left alone


def test_when_uv_has_the_packages_cached_then_the_index_is_not_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tiny_python_project(tmp_path)
    # An empty cache: the first install must fall back to the index, the second need not.
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))

    first = verifying.verify(project, steps=("install",), write_token=False)
    shutil.rmtree(project / ".venv")
    second = verifying.verify(project, steps=("install",), write_token=False)

    assert first.passed, first.steps[0].output
    offline, online = first.steps[0].command.split(" || ")
    assert "uv pip install" in offline
    assert "--offline" in offline
    assert "uv pip install" in online
    assert "--offline" not in online
    assert second.passed, second.steps[0].output
    assert " || " not in second.steps[0].command
    assert "--offline" in second.steps[0].command
    assert (project / ".venv/bin/python").exists()


@needs_node
def test_when_not_in_a_terminal_then_progress_is_plain_lines_on_stderr(tmp_path: Path) -> None:
    project = tiny_project(tmp_path)
    result = run_scaffold("verify", str(project), cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "\x1b[" not in result.stderr
    for step in ("install", "lint", "test", "boot"):
        assert f"     run  {step}: " in result.stderr
    assert "      ok  test in " in result.stderr
    assert "2 tests passed" in result.stderr
    assert "verified  express-sqlite-none in " in result.stderr


@needs_node
def test_when_a_test_fails_then_verify_exits_1_names_the_step_and_removes_the_stale_token(
    tmp_path: Path,
) -> None:
    project = tiny_project(tmp_path, **{"tests/sum.test.js": FAILING_TESTS})

    result = run_scaffold("verify", str(project), cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})

    assert result.returncode == 1
    assert "error: verification failed at step 'test': `npm test` exited with 1" in result.stderr
    assert "broken-on-purpose" in result.stderr  # the tail of the failing output
    assert "Traceback" not in result.stderr
    assert not (project / tokens.COMPLETE_FILE).exists()
    assert "boot in" not in result.stderr, "a failed step ends the run: boot is not reported"
    # The server starts while the tests run; a failed test step must not leave it running.
    assert gone(int((project / "server.pid").read_text())), "the server outlived verify"


@needs_node
def test_when_the_tests_run_then_the_server_is_starting_alongside(tmp_path: Path) -> None:
    # This test passes only if server.pid appears while it runs, which the server writes.
    waits = """\
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
test('when the tests run, then the server has started', async () => {
  for (let i = 0; i < 200 && !existsSync('server.pid'); i++) await sleep(50);
  assert.ok(existsSync('server.pid'), 'no server started during the tests');
});
"""
    project = tiny_project(tmp_path, **{"tests/sum.test.js": waits})

    result = verifying.verify(project)

    assert [step.name for step in result.steps] == ["install", "lint", "test", "boot"]
    assert result.passed, result.failed
    # The boot overlaps the tests: the run takes less than its steps one after another.
    assert result.seconds < sum(step.seconds for step in result.steps)


@needs_node
def test_when_verification_fails_with_json_then_stdout_is_one_document_saying_which_step(
    tmp_path: Path,
) -> None:
    project = tiny_project(
        tmp_path, **{"lint.js": "console.error('lint: unused variable x'); process.exit(1);"}
    )

    result = run_scaffold("verify", str(project), "--json", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})

    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["passed"] is False
    assert report["failed_step"] == "lint"
    assert [step["name"] for step in report["steps"]] == ["install", "lint"]
    assert "lint: unused variable x" in report["steps"][1]["output"]
    assert "step 'lint'" in result.stderr
    assert not (project / tokens.COMPLETE_FILE).exists()
    assert not (project / "server.pid").exists(), "the server starts only with the tests"


@needs_node
def test_when_the_server_exits_before_health_answers_then_boot_fails_with_its_output(tmp_path: Path) -> None:
    crash = "console.error('config error: SECRET_KEY is not set'); process.exit(3);\n"
    project = tiny_project(tmp_path, **{"server.js": crash})

    with pytest.raises(VerificationFailed) as caught:
        verifying.verify(project)

    failed = caught.value.result.failed
    assert failed is not None
    assert failed.name == "boot"
    assert "exited with" in failed.detail
    assert "before GET /health answered 200" in failed.detail
    assert "SECRET_KEY is not set" in failed.output
    assert "step 'boot'" in str(caught.value)
    assert not (project / tokens.COMPLETE_FILE).exists()


@needs_node
def test_when_the_server_ignores_sigterm_then_it_is_killed_after_the_bound(tmp_path: Path) -> None:
    stubborn = SERVER.replace("process.on('SIGTERM', () => server.close(() => process.exit(0)));", "") + (
        "process.on('SIGTERM', () => {});\n"
    )
    project = tiny_project(tmp_path, **{"server.js": stubborn})
    installed = verifying.verify(project, steps=("install",), write_token=False)
    assert installed.passed

    start = time.monotonic()
    result = verifying.verify(project, steps=("boot",), timeouts=verifying.Timeouts(stop=1))

    assert result.passed
    assert "killed: it ignored SIGTERM for 1s" in result.steps[0].detail
    assert time.monotonic() - start < 15
    assert gone(int((project / "server.pid").read_text()))


@needs_node
def test_when_a_step_hangs_then_it_is_stopped_at_its_time_limit_with_its_children(tmp_path: Path) -> None:
    hang = "import { writeFileSync } from 'node:fs';\nwriteFileSync('hang.pid', String(process.pid));\n"
    hang += "setInterval(() => {}, 1000);\n"
    project = tiny_project(tmp_path, **{"lint.js": hang})
    verifying.verify(project, steps=("install",), write_token=False)

    start = time.monotonic()
    with pytest.raises(VerificationFailed) as caught:
        verifying.verify(project, steps=("lint", "test"), timeouts=verifying.Timeouts(lint=2))

    assert time.monotonic() - start < 15
    failed = caught.value.result.failed
    assert failed is not None
    assert failed.name == "lint"
    assert failed.detail == "did not finish within 2s and was stopped"
    assert [step.name for step in caught.value.result.steps] == ["lint"]
    # node is npm's child: killing only npm would leave it running.
    assert gone(int((project / "hang.pid").read_text()))


# --------------------------------------------------------------------------- scaffold new


def test_when_dry_run_is_combined_with_verify_then_it_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["new", "demo", "-y", "--dry-run", "--verify", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "--dry-run writes nothing" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_when_install_fails_after_generation_then_the_project_stays_and_the_step_is_named(
    tmp_path: Path,
) -> None:
    # No npm on PATH: the install step cannot start, the way a machine without Node fails.
    result = run_scaffold(
        "new", "shop", "--stack", "express-sqlite-jwt", "--install", "--no-git", "--json",
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": str(tmp_path / "empty-bin")},
    )  # fmt: skip

    assert result.returncode == 1
    assert "verification failed at step 'install'" in result.stderr
    assert "could not start npm" in result.stderr
    document = json.loads(result.stdout)
    assert document["install"]["passed"] is False
    assert document["verification"] is None  # --install alone verifies nothing
    project = tmp_path / "shop"
    assert (project / "package.json").exists(), "a failed install must leave the generated project"
    assert not (project / tokens.COMPLETE_FILE).exists()


def test_when_new_verify_fails_then_no_completion_token_is_left(tmp_path: Path) -> None:
    result = run_scaffold(
        "new", "shop", "--stack", "express-sqlite-jwt", "--verify", "--no-git",
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": str(tmp_path / "empty-bin")},
    )  # fmt: skip
    assert result.returncode == 1
    assert not (tmp_path / "shop" / tokens.COMPLETE_FILE).exists()
    assert (tmp_path / "shop" / tokens.WORKSPACE_FILE).exists()


# --------------------------------------------------------------------------- completion and start-up


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("scaffold new --stack fastapi-po", {"fastapi-postgres-jwt", "fastapi-postgres-session",
                                             "fastapi-postgres-none"}),
        ("scaffold new --framework f", {"flask", "fastapi"}),
        ("scaffold new --database s", {"sqlite"}),
        ("scaffold new --auth ", {"jwt", "session", "none"}),
    ],
)  # fmt: skip
def test_when_completing_options_then_stack_names_and_choices_are_offered(
    tmp_path: Path, words: str, expected: set[str]
) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "_SCAFFOLD_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    result = subprocess.run(
        [sys.executable, "-m", "scaffold"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == expected


def test_when_asked_then_the_completion_script_is_shown() -> None:
    result = CliRunner().invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0
    assert "_SCAFFOLD_COMPLETE=complete_bash" in result.stdout


def test_when_the_cli_starts_then_the_verification_module_is_not_loaded() -> None:
    code = "import sys, scaffold.cli; print('scaffold.verify' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr
