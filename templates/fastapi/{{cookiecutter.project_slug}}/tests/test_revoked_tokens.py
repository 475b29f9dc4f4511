"""Revocation kept server-side: a logged-out jti, stored until it would expire."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
import pytest
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}

import support
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import REVOKED_TOKENS
from {{ cookiecutter.package_name }}.mongo import Database
{%- else %}
from {{ cookiecutter.package_name }}.models import RevokedToken
{%- endif %}


@pytest.mark.anyio
async def test_when_logging_out_then_the_jti_is_revoked_until_it_would_expire(
    new_account: support.NewAccount, db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }}, secret_key: str
) -> None:
    ada = new_account()
    token = ada.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, secret_key, algorithms=["HS256"])

    ada.logout()
{%- if cookiecutter.database == "mongodb" %}

    revoked = await db[REVOKED_TOKENS].find_one({"_id": claims["jti"]})
    assert revoked is not None
    assert revoked["expires_at"] == datetime.fromtimestamp(claims["exp"], UTC)
    assert str(revoked["user_id"]) == ada.user["id"]


@pytest.mark.anyio
async def test_when_the_user_is_deleted_then_their_revocations_go_too(
    new_account: support.NewAccount, db: Database, password: str
) -> None:
    new_account().logout()
    bob = new_account("bob@example.com")
    login = bob.client.post(
        "/api/auth/login", json={"email": "bob@example.com", "password": password}
    )
    second_token = {"Authorization": f"Bearer {login.json()['access_token']}"}
    bob.logout()
    assert await db[REVOKED_TOKENS].count_documents({}) == 2

    deleted = bob.client.delete(bob.url, headers=second_token)

    assert deleted.status_code == 204
    assert await db[REVOKED_TOKENS].count_documents({}) == 1
{%- else %}

    revoked = await db.get(RevokedToken, claims["jti"])
    assert revoked is not None
    assert revoked.expires_at == datetime.fromtimestamp(claims["exp"], UTC)
{%- endif %}
