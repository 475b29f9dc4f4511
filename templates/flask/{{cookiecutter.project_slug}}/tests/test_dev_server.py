{%- set create = "/api/users" if cookiecutter.auth == "none" else "/api/auth/register" -%}
"""The development server, `flask --app <package> run --debug`, and its database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.cli import ScriptInfo
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy import inspect

from {{ cookiecutter.package_name }}.db import db
{%- endif %}

# What `--app` names: the package, whose create_app() Flask's CLI finds and calls.
APP_IMPORT_PATH = "{{ cookiecutter.package_name }}"


def load_like_flask_run(built_apps: list[Flask]) -> Flask:
    app = ScriptInfo(app_import_path=APP_IMPORT_PATH).load_app()
    built_apps.append(app)
    return app


def test_when_flask_run_debug_loads_the_app_on_a_fresh_database_then_it_serves(
    environment: Callable[..., None],
    {% if cookiecutter.database == "mongodb" %}database_url{% else %}fresh_database_url{% endif %}: str,
    built_apps: list[Flask],
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what --debug does
    environment(APP_ENV="development", DATABASE_URL={% if cookiecutter.database == "mongodb" %}database_url{% else %}fresh_database_url{% endif %})

    client = load_like_flask_run(built_apps).test_client()

    assert client.get("/health").status_code == 200
    created = client.post(
        "{{ create }}", json={"email": "ada@example.com", "password": password}
    )
    assert created.status_code == 201, created.get_json()
{%- if cookiecutter.database != "mongodb" %}


@pytest.mark.parametrize(
    ("app_env", "debug"), [("development", "0"), ("test", "1"), ("production", "1")]
)
def test_when_not_the_debug_server_in_development_then_nothing_is_migrated(
    environment: Callable[..., None],
    fresh_database_url: str,
    built_apps: list[Flask],
    monkeypatch: pytest.MonkeyPatch,
    app_env: str,
    debug: str,
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", debug)
    environment(
        APP_ENV=app_env,
        DATABASE_URL=fresh_database_url,
        SECRET_KEY="k3Y" * 16,
    )

    app = load_like_flask_run(built_apps)

    # Production and tests migrate on purpose (`python -m ... migrate`, fixtures).
    with app.app_context():
        assert not inspect(db.engine).has_table("alembic_version")
{%- endif %}
