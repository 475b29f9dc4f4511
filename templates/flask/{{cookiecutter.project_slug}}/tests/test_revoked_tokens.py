{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""Revocation kept server-side: a logged-out jti, stored until it would expire."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
{%- if cookiecutter.database == "mongodb" %}
from pymongo.database import Database
{%- else %}
from sqlalchemy.orm import Session
{%- endif %}

import support
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import Document
{%- else %}
from {{ cookiecutter.package_name }}.models import RevokedToken
{%- endif %}


def test_when_logging_out_then_the_jti_is_revoked_until_it_would_expire(
    new_account: support.NewAccount, {{ session }}: {{ Session }}, secret_key: str
) -> None:
    ada = new_account()
    token = ada.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, secret_key, algorithms=["HS256"])

    logout = ada.logout()

    assert logout.status_code == 204
{% if cookiecutter.database == "mongodb" %}
    revoked = database["revoked_tokens"].find_one({"_id": claims["jti"]})
    assert revoked is not None
    assert revoked["expires_at"] == datetime.fromtimestamp(claims["exp"], UTC)
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
    database: Database[Document],
    client: support.Client,
) -> None:
    ada = new_account()
    token = ada.headers["Authorization"].removeprefix("Bearer ")
    fresh = client.post(
        "/api/auth/login",
        json={"email": "ada@example.com", "password": "correct horse battery"},
    ).json()["access_token"]
    assert ada.logout().status_code == 204

    response = client.delete(ada.url, headers={"Authorization": f"Bearer {fresh}"})

    assert response.status_code == 204
    assert database["revoked_tokens"].count_documents({}) == 0
    assert me(client, token) == 401
    assert me(client, fresh) == 401
{%- endif %}
