"""Server-side sessions: cookie flags, storage in the database, and their end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
{%- if cookiecutter.database == "mongodb" %}

from {{ cookiecutter.package_name }}.documents import SESSIONS, utcnow
from {{ cookiecutter.package_name }}.mongo import Database
{%- else %}
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.models import UserSession, utcnow
{%- endif %}

NewAccount = Callable[..., Any]


def register(client: TestClient, password: str) -> str:
    response = client.post(
        "/api/auth/register", json={"email": "ada@example.com", "password": password}
    )
    assert response.status_code == 201
    return response.headers["Set-Cookie"]
{%- if cookiecutter.database == "mongodb" %}


async def count_sessions(db: Database) -> int:
    return await db[SESSIONS].count_documents({})
{%- else %}


async def count_sessions(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(UserSession)) or 0
{%- endif %}


def test_when_signing_in_then_the_cookie_is_httponly_lax_and_site_wide(
    client: TestClient, password: str
) -> None:
    cookie = register(client, password)

    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie


def test_when_in_production_then_the_cookie_is_secure(
    make_client: Callable[..., TestClient], password: str
) -> None:
    client = make_client(app_env="production", secret_key="k3Y" * 16)

    cookie = register(client, password)

    assert "Secure" in cookie


@pytest.mark.anyio
async def test_when_signed_in_then_the_session_lives_in_the_database_not_the_cookie(
    new_account: NewAccount, db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }}
) -> None:
    ada = new_account()
    cookie = ada.client.cookies["session_id"]
{%- if cookiecutter.database == "mongodb" %}

    stored = await db[SESSIONS].find_one({})

    assert stored is not None
    assert str(stored["user_id"]) == ada.user["id"]
    assert stored["_id"] != cookie
    assert cookie not in stored["_id"]
{%- else %}

    stored = (await db.scalars(select(UserSession))).one()

    assert stored.user_id == ada.user["id"]
    assert stored.id != cookie
    assert cookie not in stored.id
{%- endif %}


@pytest.mark.anyio
async def test_when_the_session_has_expired_then_401(
    new_account: NewAccount, db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }}
) -> None:
    ada = new_account()
{%- if cookiecutter.database == "mongodb" %}
    # Past its time, though MongoDB's TTL monitor (once a minute) has not run yet.
    await db[SESSIONS].update_many(
        {}, {"$set": {"expires_at": utcnow() - timedelta(seconds=1)}}
    )
{%- else %}
    await db.execute(
        update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await db.commit()
{%- endif %}

    assert ada.get("/api/auth/me").status_code == 401


def test_when_the_cookie_is_forged_then_401(client: TestClient) -> None:
    client.cookies.set("session_id", "made-up-value")

    assert client.get("/api/auth/me").status_code == 401


@pytest.mark.anyio
async def test_when_a_user_deletes_their_account_then_their_sessions_end(
    new_account: NewAccount, db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }}, password: str
) -> None:
    ada = new_account()
    cookie = ada.client.cookies["session_id"]
    ada.client.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": password}
    )

    response = ada.delete(ada.url)
    ada.client.cookies.set("session_id", cookie)

    assert response.status_code == 204
    assert "session_id=" in response.headers["Set-Cookie"]
    assert await count_sessions(db) == 0
    assert ada.get("/api/auth/me").status_code == 401
