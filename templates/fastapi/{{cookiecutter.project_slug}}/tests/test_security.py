"""Password hashing: production strength in every app, whatever APP_ENV says."""

from __future__ import annotations

import pytest
from argon2 import Type, extract_parameters
from fastapi.testclient import TestClient
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}

from {{ cookiecutter.package_name }} import create_app
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import USERS
from {{ cookiecutter.package_name }}.mongo import Database
{%- else %}
from {{ cookiecutter.package_name }}.models import User
{%- endif %}
from {{ cookiecutter.package_name }}.security import Passwords

pytestmark = pytest.mark.anyio
{%- if cookiecutter.auth == "none" %}
CREATE_ROUTE = "/api/users"
{%- else %}
CREATE_ROUTE = "/api/auth/register"
{%- endif %}


async def test_when_the_app_is_built_with_app_env_test_then_its_hashes_are_strong(
    database_url: str,
    db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }},
    secret_key: str,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("SECRET_KEY", secret_key)
    monkeypatch.setenv("DATABASE_URL", database_url)

    # The factory as production calls it: nothing handed in, the environment read.
    with TestClient(create_app()) as client:
        response = client.post(
            CREATE_ROUTE, json={"email": "ada@example.com", "password": password}
        )
{%- if cookiecutter.database == "mongodb" %}
    document = await db[USERS].find_one({"email": "ada@example.com"})
    assert document is not None
    stored: str = document["password_hash"]
{%- else %}
    stored = await db.scalar(select(User.password_hash))
    assert stored is not None
{%- endif %}

    parameters = extract_parameters(stored)
    assert response.status_code == 201
    assert stored.startswith("$argon2id$")
    # OWASP's floor for Argon2id: 19 MiB of memory, two passes.
    assert parameters.memory_cost >= 19456
    assert parameters.time_cost >= 2


async def test_when_no_hasher_is_handed_in_then_it_is_rfc_9106_low_memory(
    password: str,
) -> None:
    parameters = extract_parameters(await Passwords().hash(password))

    assert parameters.type is Type.ID
    assert (parameters.time_cost, parameters.memory_cost) == (3, 65536)
    assert parameters.parallelism == 4
