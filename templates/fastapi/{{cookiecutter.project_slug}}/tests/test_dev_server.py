"""The development server: the README's command{% if cookiecutter.database != "mongodb" %}, and a schema that follows the code{% endif %}."""

from __future__ import annotations

import shlex
{%- if cookiecutter.database != "mongodb" %}
from collections.abc import Callable
{%- endif %}
from pathlib import Path
{% if cookiecutter.database != "mongodb" %}
from fastapi import FastAPI
from fastapi.testclient import TestClient
{%- endif %}
from uvicorn.importer import import_from_string
from uvicorn.main import main as uvicorn_cli

from {{ cookiecutter.package_name }} import create_app

README = Path(__file__).parents[1] / "README.md"
{%- if cookiecutter.database != "mongodb" %}
{%- if cookiecutter.auth == "none" %}
CREATE_ROUTE = "/api/users"
{%- else %}
CREATE_ROUTE = "/api/auth/register"
{%- endif %}
{%- endif %}


def readme_dev_command() -> list[str]:
    """The command that the README's Development section gives."""
    section = README.read_text(encoding="utf-8").split("\n## Development\n")[1]
    return shlex.split(section.split("```sh\n")[1].split("```")[0])


def test_when_the_readme_dev_command_runs_then_it_reloads_the_app_factory() -> None:
    arguments = readme_dev_command()[1:]

    # Parsed by uvicorn's own command line, as the shell would hand it over.
    options = uvicorn_cli.make_context("uvicorn", arguments).params

    assert import_from_string(options["app"]) is create_app
    assert options["factory"] is True
    assert options["reload"] is True
    assert [Path(folder) for folder in options["reload_dirs"]] == [Path("src")]
    # As in production (server.py): only TRUSTED_PROXIES decides whom to believe.
    assert options["proxy_headers"] is False
{%- if cookiecutter.database != "mongodb" %}


def test_when_the_app_starts_in_development_then_it_migrates_an_empty_database(
    make_app: Callable[..., FastAPI], empty_database_url: str, password: str
) -> None:
    app = make_app(app_env="development", database_url=empty_database_url)

    with TestClient(app) as client:
        health = client.get("/health")
        created = client.post(
            CREATE_ROUTE, json={"email": "ada@example.com", "password": password}
        )

    assert health.status_code == 200
    assert created.status_code == 201, created.json()
{%- endif %}
