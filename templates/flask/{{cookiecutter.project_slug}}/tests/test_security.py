{%- set create = "/api/users" if cookiecutter.auth == "none" else "/api/auth/register" -%}
"""Password hashing: production-strength Argon2id whatever APP_ENV says."""

from __future__ import annotations

from collections.abc import Callable

from argon2 import Type, extract_parameters
from flask import Flask
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy import select
{%- endif %}

from {{ cookiecutter.package_name }} import create_app
from {{ cookiecutter.package_name }}.db import db
{%- if cookiecutter.database != "mongodb" %}
from {{ cookiecutter.package_name }}.models import User
{%- endif %}

# OWASP's floor for Argon2id; production uses RFC 9106's t=3, 64 MiB profile.
MIN_MEMORY_KIB, MIN_TIME_COST = 19456, 2


def stored_hash(app: Flask) -> str:
    with app.app_context():
{%- if cookiecutter.database == "mongodb" %}
        user = db.database["users"].find_one({"email": "ada@example.com"})
        assert user is not None
        password_hash: str = user["password_hash"]
{%- else %}
        password_hash = db.session.scalar(
            select(User.password_hash).where(User.email == "ada@example.com")
        )
        assert password_hash is not None
{%- endif %}
    return password_hash


def test_when_built_with_app_env_test_and_nothing_injected_then_the_hash_is_strong(
    environment: Callable[..., None],
    database_url: str,
    built_apps: list[Flask],
    password: str,
) -> None:
    # As a server builds it: create_app() from the environment, no hasher passed.
    environment(APP_ENV="test", DATABASE_URL=database_url)
    app = create_app()
    built_apps.append(app)

    response = app.test_client().post(
        "{{ create }}", json={"email": "ada@example.com", "password": password}
    )

    assert response.status_code == 201
    password_hash = stored_hash(app)
    parameters = extract_parameters(password_hash)
    assert password_hash.startswith("$argon2id$")
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= MIN_MEMORY_KIB
    assert parameters.time_cost >= MIN_TIME_COST
{%- if cookiecutter.auth != "none" %}


def test_when_a_weaker_hash_logs_in_then_it_is_upgraded_to_the_strong_one(
    make_app: Callable[..., Flask],
    environment: Callable[..., None],
    database_url: str,
    built_apps: list[Flask],
    password: str,
) -> None:
    body = {"email": "ada@example.com", "password": password}
    make_app().test_client().post("/api/auth/register", json=body)
    environment(APP_ENV="test", DATABASE_URL=database_url)
    app = create_app()
    built_apps.append(app)

    response = app.test_client().post("/api/auth/login", json=body)

    assert response.status_code == 200
    assert extract_parameters(stored_hash(app)).memory_cost >= MIN_MEMORY_KIB
{%- endif %}
