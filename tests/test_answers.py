"""Recording a project's answers in .scaffold.toml and replaying them with --config."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold import __version__
from scaffold.cli import app
from tests.helpers import snapshot, tree

runner = CliRunner()


def new(*args: str) -> object:
    return runner.invoke(app, ["new", *args])


def test_when_a_project_is_generated_then_its_answers_are_recorded(tmp_path: Path) -> None:
    result = new("shop", "--stack", "flask-postgres-session", "--no-tokens", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    recorded = tomllib.loads((tmp_path / "shop/.scaffold.toml").read_text())
    assert recorded == {
        "scaffold_version": __version__,
        "stack": "flask-postgres-session",
        "framework": "flask",
        "database": "postgres",
        "auth": "session",
        "tokens": False,
    }


@pytest.mark.parametrize("stack", ["flask-postgres-session", "fastapi-sqlite-none", "express-mongodb-jwt"])
def test_when_replayed_then_the_same_files_come_out_secrets_and_tokens_aside(
    stack: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert new("shop", "--stack", stack, "-o", str(first)).exit_code == 0
    replayed = new("shop", "--config", str(first / "shop/.scaffold.toml"), "-o", str(second))
    assert replayed.exit_code == 0, replayed.stderr
    assert "using defaults" not in replayed.stderr
    a, b = first / "shop", second / "shop"
    assert tree(a) == tree(b)
    differing = [p for p in tree(a) if (a / p).read_bytes() != (b / p).read_bytes()]
    assert differing == [".agent-tokens/backend-complete.token", ".agent-tokens/workspace-path.txt", ".env"]


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("answers.json", json.dumps({"stack": "flask-sqlite-session"})),
        ("answers.yaml", "framework: flask\ndatabase: sqlite\nauth: session\n"),
        ("answers.yml", "stack: flask-sqlite-session\n"),
        ("answers.toml", 'database = "sqlite"\nauth = "session"\n'),
    ],
)
def test_when_a_config_file_of_another_format_is_given_then_it_is_read(
    filename: str, content: str, tmp_path: Path
) -> None:
    (tmp_path / filename).write_text(content)
    result = new("shop", "--config", str(tmp_path / filename), "--json", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stack"] == "flask-sqlite-session"


def test_when_the_config_says_no_tokens_then_none_are_written(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('stack = "flask-sqlite"\ntokens = false\n')
    assert new("shop", "--config", str(tmp_path / "a.toml"), "-o", str(tmp_path)).exit_code == 0
    assert not (tmp_path / "shop/.agent-tokens").exists()


@pytest.mark.parametrize(
    ("filename", "content", "extra", "message"),
    [
        ("a.toml", 'stack = "flask-sqlite"\ncolour = "blue"\n', [], "a.toml: unknown key 'colour'"),
        ("a.toml", 'database = "sqlit"\n', [], "a.toml: unknown database 'sqlit'; did you mean 'sqlite'?"),
        ("a.toml", "tokens = 1\n", [], "a.toml: 'tokens' must be true or false, not 1"),
        ("a.toml", "stack = 3\n", [], "a.toml: 'stack' must be a string, not 3"),
        ("a.toml", "stack = [\n", [], "config file '{dir}/a.toml' is not valid TOML"),
        ("a.json", "[1, 2]", [], "must hold a table of keys"),
        ("a.yaml", "stack: [unclosed\n", [], "is not valid YAML"),
        ("a.ini", "stack=flask", [], "must end in .toml, .json, .yaml or .yml"),
        ("a.toml", 'stack = "flask-sqlite-jwt"\n', ["--auth", "none"], "--auth says 'none' but"),
        (None, "", [], "config file '{dir}/missing.toml' does not exist"),
    ],
)
def test_when_the_config_is_bad_then_exit_2_names_the_key_and_nothing_is_written(
    filename: str | None, content: str, extra: list[str], message: str, tmp_path: Path
) -> None:
    config = tmp_path / (filename or "missing.toml")
    if filename:
        config.write_text(content)
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(tmp_path)
    result = new("shop", "--config", str(config), "-o", str(out), *extra)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert message.format(dir=tmp_path) in result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before
