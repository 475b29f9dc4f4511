"""Stack advice: every rule, the alternative, and the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scaffold import recommend
from scaffold.cli import app


def test_when_a_python_prototype_asks_then_flask_sqlite_with_fastapi_postgres_as_alternative() -> None:
    advice = recommend.advise({"language": "python", "stage": "prototype"})
    assert (advice.stack.framework, advice.stack.database) == ("flask", "sqlite")
    assert (advice.alternative.framework, advice.alternative.database) == ("fastapi", "postgres")
    assert any("SQLite" in note and "PostgreSQL" in note for note in advice.mvp)


@pytest.mark.parametrize(
    ("answers", "framework"),
    [
        ({"language": "javascript"}, "express"),
        ({"language": "javascript", "async": "yes", "docs": "yes"}, "express"),
        ({"async": "yes"}, "fastapi"),
        ({"docs": "yes"}, "fastapi"),
        ({"async": "no", "docs": "no"}, "flask"),
    ],
)
def test_when_language_async_or_docs_vary_then_the_framework_follows(
    answers: dict[str, str], framework: str
) -> None:
    assert recommend.advise(dict(answers)).stack.framework == framework


@pytest.mark.parametrize(
    ("answers", "database"),
    [
        ({"data": "documents"}, "mongodb"),
        ({"data": "documents", "stage": "production"}, "mongodb"),
        ({"stage": "production"}, "postgres"),
        ({"stage": "prototype"}, "sqlite"),
    ],
)
def test_when_data_or_stage_vary_then_the_database_follows(answers: dict[str, str], database: str) -> None:
    assert recommend.advise(dict(answers)).stack.database == database


@pytest.mark.parametrize(("clients", "auth"), [("browser", "session"), ("mobile", "jwt"), ("service", "jwt")])
def test_when_clients_vary_then_the_auth_mode_follows(clients: str, auth: str) -> None:
    assert recommend.advise({"clients": clients}).stack.auth == auth


def test_when_a_rule_chooses_then_its_reason_is_given() -> None:
    advice = recommend.advise({"async": "yes", "stage": "production", "clients": "mobile"})
    assert advice.stack.name == "fastapi-postgres-jwt"
    assert len(advice.reasons) == 3
    assert any("async" in r for r in advice.reasons)
    assert any("PostgreSQL" in r for r in advice.reasons)
    assert any("JWT" in r for r in advice.reasons)


def test_when_a_javascript_team_asks_then_the_alternative_stays_in_javascript() -> None:
    advice = recommend.advise({"language": "javascript", "stage": "production"})
    assert advice.stack.name == "express-postgres-session"
    assert advice.alternative.framework == "express"
    assert advice.alternative.database == "sqlite"


def test_when_asked_for_json_then_stdout_is_one_document() -> None:
    result = CliRunner().invoke(
        app, ["recommend", "--language", "python", "--docs", "yes", "--clients", "service", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["recommended"]["stack"] == "fastapi-sqlite-jwt"
    assert doc["commands"]["recommended"] == "scaffold new my-app --stack fastapi-sqlite-jwt"
    assert doc["alternative"]["trade_offs"]


def test_when_run_without_a_terminal_then_defaults_are_used_and_everything_is_printed() -> None:
    result = CliRunner().invoke(app, ["recommend"])
    assert result.exit_code == 0
    for heading in ("Recommended: flask-sqlite-session", "Alternative:", "MVP considerations:", "Commands:"):
        assert heading in result.stdout


@pytest.mark.parametrize(
    ("flag", "value"), [("--language", "rust"), ("--stage", "staging"), ("--async", "maybe")]
)
def test_when_an_answer_is_not_allowed_then_exit_2_naming_the_flag(flag: str, value: str) -> None:
    result = CliRunner().invoke(app, ["recommend", flag, value])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {flag} must be one of ")
    assert result.stderr.count("\n") == 1
