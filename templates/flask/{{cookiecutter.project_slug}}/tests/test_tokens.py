{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
{#- A subject that names no user: a fresh ObjectId, or an id no row has been given. -#}
{%- set nobody = "str(ObjectId())" if cookiecutter.database == "mongodb" else '"999"' -%}
"""JWT rules: HS256 pinned, exp required, revocation kept server-side."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
{%- if cookiecutter.database == "mongodb" %}
from bson import ObjectId
{%- endif %}
from flask import Flask
from flask.testing import FlaskClient
{%- if cookiecutter.database == "mongodb" %}
from pymongo.database import Database

from {{ cookiecutter.package_name }}.documents import Document, utcnow
{%- else %}
from sqlalchemy.orm import Session

from {{ cookiecutter.package_name }}.models import RevokedToken, utcnow
{%- endif %}

NewAccount = Callable[..., Any]
Claims = dict[str, Any]


def claims_for(user_id: {% if cookiecutter.database == "mongodb" %}str{% else %}int{% endif %}) -> Claims:
    now = int(utcnow().timestamp())
    return {"sub": {% if cookiecutter.database == "mongodb" %}user_id{% else %}str(user_id){% endif %}, "iat": now, "exp": now + 300, "jti": "test-jti"}


def sign(claims: Claims, key: str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def unsigned(claims: Claims) -> str:
    def part(data: Claims) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def tampered(claims: Claims, key: str) -> str:
    header, _, signature = sign(claims, key).split(".")
    payload = sign({**claims, "sub": {{ nobody }}}, key).split(".")[1]
    return f"{header}.{payload}.{signature}"


FORGERIES: dict[str, Callable[[Claims, str], str]] = {
    "alg-none": lambda claims, key: unsigned(claims),
    "hs512": lambda claims, key: sign(claims, key, algorithm="HS512"),
    "wrong-secret": lambda claims, key: sign(claims, "another-secret-" * 3),
    "no-exp": lambda claims, key: sign(
        {name: value for name, value in claims.items() if name != "exp"}, key
    ),
    "expired": lambda claims, key: sign({**claims, "exp": claims["iat"] - 60}, key),
    "tampered": tampered,
    "unknown-user": lambda claims, key: sign({**claims, "sub": {{ nobody }}}, key),
{%- if cookiecutter.database == "mongodb" %}
    "malformed-sub": lambda claims, key: sign({**claims, "sub": "not-an-id"}, key),
{%- endif %}
    "garbage": lambda claims, key: "not.a.token",
}


@pytest.fixture
def secret(app: Flask) -> str:
    key: str = app.extensions["settings"].secret_key
    return key


def me(client: FlaskClient, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return client.get("/api/auth/me", headers=headers).status_code


def test_when_a_token_is_issued_then_it_carries_the_contract_claims(
    new_account: NewAccount, secret: str
) -> None:
    ada = new_account()
    token = ada.headers["Authorization"].removeprefix("Bearer ")

    claims = jwt.decode(token, secret, algorithms=["HS256"])

    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert claims["sub"] == {% if cookiecutter.database == "mongodb" %}ada.user["id"]{% else %}str(ada.user["id"]){% endif %}
    assert claims["exp"] - claims["iat"] == 900
    assert len(claims["jti"]) == 32


def test_when_a_token_is_signed_right_then_it_is_accepted(
    new_account: NewAccount, client: FlaskClient, secret: str
) -> None:
    ada = new_account()

    assert me(client, sign(claims_for(ada.user["id"]), secret)) == 200


@pytest.mark.parametrize("forgery", FORGERIES)
def test_when_a_token_breaks_the_rules_then_401(
    new_account: NewAccount, client: FlaskClient, secret: str, forgery: str
) -> None:
    ada = new_account()

    token = FORGERIES[forgery](claims_for(ada.user["id"]), secret)

    assert me(client, token) == 401


def test_when_logging_out_then_the_jti_is_revoked_until_it_would_expire(
    new_account: NewAccount, {{ session }}: {{ Session }}, secret: str
) -> None:
    ada = new_account()
    token = ada.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, secret, algorithms=["HS256"])

    logout = ada.post("/api/auth/logout", content_type="application/json")

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


def test_when_a_user_is_deleted_then_their_revoked_tokens_go_too(
    new_account: NewAccount, database: Database[Document], client: FlaskClient
) -> None:
    ada = new_account()
    token = ada.headers["Authorization"].removeprefix("Bearer ")
    fresh = client.post(
        "/api/auth/login",
        json={"email": "ada@example.com", "password": "correct horse battery"},
    ).get_json()["access_token"]
    logout = ada.post("/api/auth/logout", content_type="application/json")
    assert logout.status_code == 204

    response = client.delete(ada.url, headers={"Authorization": f"Bearer {fresh}"})

    assert response.status_code == 204
    assert database["revoked_tokens"].count_documents({}) == 0
    assert me(client, token) == 401
    assert me(client, fresh) == 401
{%- endif %}
