"""Server-side sessions: stored in the database, not the cookie, and their end."""

from __future__ import annotations

from datetime import timedelta

import pytest
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}

import support
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import SESSIONS, utcnow
from {{ cookiecutter.package_name }}.mongo import Database
{%- else %}
from {{ cookiecutter.package_name }}.models import UserSession, utcnow
{%- endif %}
{%- if cookiecutter.database == "mongodb" %}


async def count_sessions(db: Database) -> int:
    return await db[SESSIONS].count_documents({})
{%- else %}


async def count_sessions(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(UserSession)) or 0
{%- endif %}


@pytest.mark.anyio
async def test_when_signed_in_then_the_session_lives_in_the_database_not_the_cookie(
    new_account: support.NewAccount, db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }}
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
    new_account: support.NewAccount, db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }}
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


@pytest.mark.anyio
async def test_when_a_user_deletes_their_account_then_their_sessions_end(
    new_account: support.NewAccount, db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }}, password: str
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
