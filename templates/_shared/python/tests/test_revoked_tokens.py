{%- set store = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Store = "Database[Any]" if cookiecutter.database == "mongodb" else "Session" -%}
"""Revocation kept server-side: a logged-out jti, stored until it would expire."""

from __future__ import annotations

from datetime import UTC, datetime
{%- if cookiecutter.database == "mongodb" %}
from typing import Any
{%- endif %}

import jwt
{%- if cookiecutter.database == "mongodb" %}
from pymongo.database import Database
{%- else %}
from sqlalchemy.orm import Session
{%- endif %}

import support
{%- if cookiecutter.database != "mongodb" %}
from {{ cookiecutter.package_name }}.models import RevokedToken
{%- endif %}


def bearer(account: support.Account) -> str:
    return account.headers["Authorization"].removeprefix("Bearer ")


def test_when_logging_out_then_the_jti_is_revoked_until_it_would_expire(
    new_account: support.NewAccount, {{ store }}: {{ Store }}, secret_key: str
) -> None:
    ada = new_account()
    claims = jwt.decode(bearer(ada), secret_key, algorithms=["HS256"])

    logout = ada.logout()

    assert logout.status_code == 204
{% if cookiecutter.database == "mongodb" %}
    revoked = database["revoked_tokens"].find_one({"_id": claims["jti"]})
    assert revoked is not None
    assert revoked["expires_at"] == datetime.fromtimestamp(claims["exp"], UTC)
    assert str(revoked["user_id"]) == ada.user["id"]
{%- else %}
    revoked = session.get(RevokedToken, claims["jti"])
    assert revoked is not None
    assert revoked.expires_at == datetime.fromtimestamp(claims["exp"], UTC)
{%- endif %}
{%- if cookiecutter.database == "mongodb" %}


def me(client: support.Client, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return client.get("/api/auth/me", headers=headers).status_code


def test_when_a_user_is_deleted_then_their_revoked_tokens_go_too(
    new_account: support.NewAccount,
    database: Database[Any],
    client: support.Client,
    password: str,
) -> None:
    assert new_account().logout().status_code == 204
    bob = new_account("bob@example.com")
    token = bearer(bob)
    fresh = client.post(
        "/api/auth/login", json={"email": "bob@example.com", "password": password}
    ).json()["access_token"]
    assert bob.logout().status_code == 204
    assert database["revoked_tokens"].count_documents({}) == 2

    response = client.delete(bob.url, headers={"Authorization": f"Bearer {fresh}"})

    assert response.status_code == 204
    # Bob's revocation goes with him; Ada's stays.
    assert database["revoked_tokens"].count_documents({}) == 1
    assert me(client, token) == 401
    assert me(client, fresh) == 401
{%- endif %}
