"""The command line, in process: options, refusals, exit codes, output streams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold import __version__, stacks, writer
from scaffold.cli import app
from tests.helpers import snapshot, tree

runner = CliRunner()


def invoke(*args: str) -> object:
    return runner.invoke(app, list(args))


def test_when_asked_for_the_version_then_it_is_printed() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"scaffold {__version__}\n"


def test_when_listing_stacks_as_json_then_all_27_come_with_their_choices() -> None:
    result = runner.invoke(app, ["stacks", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert len(listed) == 27
    assert {"name": "flask-sqlite-jwt", "framework": "flask", "database": "sqlite", "auth": "jwt"} in listed
    assert all(s["name"] == f"{s['framework']}-{s['database']}-{s['auth']}" for s in listed)


def test_when_listing_stacks_then_each_has_a_line_and_the_default_is_marked() -> None:
    result = runner.invoke(app, ["stacks"])
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [s.name for s in stacks.all_stacks()]
    assert lines[0].split() == ["flask-sqlite-jwt", "(default)"]
    assert all(len(line.split()) == 1 for line in lines[1:])


def test_when_generating_with_json_then_stdout_is_one_document_and_the_project_exists(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["new", "my-app", "--stack", "flask-postgres-session", "-o", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    project = tmp_path / "my-app"
    assert doc["stack"] == "flask-postgres-session"
    assert doc["package"] == "my_app"
    assert doc["path"] == str(project)
    assert doc["files"] == tree(project)
    assert doc["commands"]["run"] == "python -m my_app"
    assert doc["next_steps"][0] == "cd my-app"
    assert doc["defaults_used"] == []
    assert doc["dry_run"] is False


def test_when_choices_are_missing_without_a_terminal_then_defaults_are_used_and_said(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "demo", "-o", str(tmp_path), "--database", "postgresql"])
    assert result.exit_code == 0, result.stderr
    assert "using defaults for framework (flask), auth (jwt)" in result.stderr
    token = json.loads((tmp_path / "demo/.agent-tokens/backend-complete.token").read_text())
    assert token["stack"] == "flask-postgres-jwt"


def test_when_generating_then_stderr_shows_the_tree_and_next_steps_and_stdout_is_empty(
    tmp_path: Path,
) -> None:
    result = runner.invoke(app, ["new", "demo", "-y", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "demo/" in result.stderr
    assert "├── " in result.stderr
    steps = result.stderr.split("Next steps:")[1]
    for command in ("cd demo", 'pip install -e ".[dev]"', "pytest", "flask --app demo run --debug"):
        assert command in steps


def test_when_quiet_then_nothing_but_errors_is_printed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "demo", "-y", "-q", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert (tmp_path / "demo" / "pyproject.toml").is_file()


def test_when_dry_run_then_the_files_are_listed_and_nothing_is_written(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "demo", "-y", "--dry-run", "--json", "-o", str(tmp_path)])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["dry_run"] is True
    assert "pyproject.toml" in doc["files"]
    assert ".agent-tokens/backend-complete.token" in doc["files"]
    assert list(tmp_path.iterdir()) == []
    real = runner.invoke(app, ["new", "demo", "-y", "--json", "-o", str(tmp_path)])
    assert json.loads(real.stdout)["files"] == doc["files"]


def test_when_no_tokens_then_the_agent_tokens_are_left_out(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "demo", "-y", "--no-tokens", "--json", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert not (tmp_path / "demo" / ".agent-tokens").exists()
    assert not any(f.startswith(".agent-tokens") for f in json.loads(result.stdout)["files"])


def test_when_the_target_is_an_empty_folder_then_it_is_used(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    result = runner.invoke(app, ["new", "demo", "-y", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "demo" / "pyproject.toml").is_file()


REFUSALS = [
    (["new", "", "-y"], 2, "project name is empty"),
    (["new", "a/b", "-y"], 2, "must be a plain folder name, not a path"),
    (["new", "..", "-y"], 2, "must be a plain folder name, not a path"),
    (["new", "9lives", "-y"], 2, "starts with a digit"),
    (["new", "-y", "--", "-app"], 2, "starts with '-'"),
    (["new", "import", "-y"], 2, "is a Python keyword"),
    (["new", "flask", "-y"], 2, "would shadow the 'flask' package"),
    (["new", "tests", "-y"], 2, "would shadow the 'tests' package"),
    (["new", "x" * 65, "-y"], 2, "at most 64"),
    (["new", "demo", "--framework", "flaks"], 2, "unknown framework 'flaks'; did you mean 'flask'?"),
    (["new", "demo", "--database", "postgress"], 2, "unknown database 'postgress'; did you mean 'postgres'?"),
    (["new", "demo", "--auth", "oauth"], 2, "unknown auth mode 'oauth'"),
    (["new", "demo", "--stack", "flask-mysql"], 2, "unknown database 'mysql'"),
    (["new", "demo", "--stack", "flask-sqlite", "--auth", "session"], 2, "but --auth says 'session'"),
    (
        ["new", "demo", "--stack", "flask-sqlite-jwt", "--framework", "fastapi"],
        2,
        "but --framework says 'fastapi'",
    ),
    (["new", "demo", "-y", "-o", "does-not-exist"], 2, "output folder 'does-not-exist' does not exist"),
    (["new"], 2, "missing project NAME"),
]


@pytest.mark.parametrize(("args", "code", "message"), REFUSALS)
def test_when_input_is_bad_then_exit_code_one_line_and_nothing_written(
    args: list[str], code: int, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_when_the_target_is_taken_then_exit_1_and_it_is_untouched(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "demo"
    if kind == "file":
        target.write_text("mine\n")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine\n")
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["new", "demo", "-y", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before


def test_when_interrupted_while_writing_then_exit_130_and_no_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = writer._write_file
    written = []

    def write_then_interrupt(root: Path, file: object) -> None:
        written.append(file)
        if len(written) == 5:
            raise KeyboardInterrupt
        real_write(root, file)  # type: ignore[arg-type]

    monkeypatch.setattr(writer, "_write_file", write_then_interrupt)
    result = runner.invoke(app, ["new", "demo", "-y", "-o", str(tmp_path)])
    assert result.exit_code == 130
    assert len(written) == 5
    assert list(tmp_path.iterdir()) == []


def test_when_the_disk_fails_while_writing_then_exit_1_one_line_and_no_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(root: Path, file: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "_write_file", disk_full)
    result = runner.invoke(app, ["new", "demo", "-y", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.endswith("\nerror: could not write the project: No space left on device\n")
    assert result.stderr.count("error:") == 1
    assert list(tmp_path.iterdir()) == []


UNEXPECTED = {
    "new": ("scaffold.skeleton.render_cached", ["new", "demo", "-y", "-q"]),
    "verify": ("scaffold.verify.verify", ["verify", "."]),
    "stacks": ("scaffold.stacks.all_stacks", ["stacks"]),
    "recommend": ("scaffold.recommend.advise", ["recommend", "-y"]),
}


@pytest.mark.parametrize("command", sorted(UNEXPECTED))
def test_when_any_command_meets_an_unexpected_error_then_one_line_points_to_a_debug_that_exists(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, args = UNEXPECTED[command]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(target, broken)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr == "error: unexpected RuntimeError: boom (run again with --debug for details)\n"
    # The flag the message names works for every command, before or after the command's name.
    for debug_args in (["--debug", *args], [*args, "--debug"]):
        debug = runner.invoke(app, debug_args)
        assert isinstance(debug.exception, RuntimeError), (debug_args, debug.stderr)
    assert list(tmp_path.iterdir()) == []


def test_when_debug_follows_a_double_dash_then_it_is_an_argument_not_the_flag(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "-y", "-o", str(tmp_path), "--", "--debug"])
    assert result.exit_code == 2
    assert "project name '--debug' starts with '-'" in result.stderr


@pytest.mark.parametrize(("database", "service"), [("postgres", "db"), ("mongodb", "mongo")])
def test_when_the_database_is_a_server_then_next_steps_start_it_before_the_tests(
    database: str, service: str, tmp_path: Path
) -> None:
    for framework in stacks.FRAMEWORKS:
        (tmp_path / framework).mkdir()
        result = runner.invoke(
            app,
            ["new", "demo", "--stack", f"{framework}-{database}", "-o", str(tmp_path / framework), "--json"],
        )
        assert result.exit_code == 0, result.stderr
        document = json.loads(result.stdout)
        steps = document["next_steps"]
        start = f"docker compose up -d {service}"
        (index,) = [i for i, step in enumerate(steps) if step.startswith(start)]
        assert index < steps.index(document["commands"]["test"])
        compose = (tmp_path / framework / "demo" / "docker-compose.yml").read_text()
        assert f"\n  {service}:\n" in compose
