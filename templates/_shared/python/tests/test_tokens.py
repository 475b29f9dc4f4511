"""JWT rules: HS256 pinned, exp required, every forgery refused."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import jwt
import pytest

import support
from {{ cookiecutter.package_name }}.{{ "documents" if cookiecutter.database == "mongodb" else "models" }} import utcnow

Claims = dict[str, Any]
# A well-formed id that names nobody.
UNKNOWN_USER = {{ '"0" * 24' if cookiecutter.database == "mongodb" else '"999"' }}


def claims_for(user_id: {{ "str" if cookiecutter.database == "mongodb" else "int" }}) -> Claims:
    now = int(utcnow().timestamp())
    return {"sub": str(user_id), "iat": now, "exp": now + 300, "jti": "test-jti"}


def sign(claims: Claims, key: str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def unsigned(claims: Claims) -> str:
    def part(data: Claims) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def tampered(claims: Claims, key: str) -> str:
    header, _, signature = sign(claims, key).split(".")
    payload = sign({**claims, "sub": UNKNOWN_USER}, key).split(".")[1]
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
    "unknown-user": lambda claims, key: sign({**claims, "sub": UNKNOWN_USER}, key),
    "malformed-sub": lambda claims, key: sign({**claims, "sub": "not-an-id"}, key),
{%- if cookiecutter.database == "mongodb" %}
    "not-an-object-id": lambda claims, key: sign({**claims, "sub": "999"}, key),
{%- endif %}
    "garbage": lambda claims, key: "not.a.token",
}


def me(client: support.Client, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return client.get("/api/auth/me", headers=headers).status_code


def test_when_a_token_is_issued_then_it_carries_the_contract_claims(
    new_account: support.NewAccount, secret_key: str
) -> None:
    ada = new_account()
    token = ada.headers["Authorization"].removeprefix("Bearer ")

    claims = jwt.decode(token, secret_key, algorithms=["HS256"])

    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert claims["sub"] == str(ada.user["id"])
    assert claims["exp"] - claims["iat"] == 900
    assert len(claims["jti"]) == 32


def test_when_a_token_is_signed_right_then_it_is_accepted(
    new_account: support.NewAccount, client: support.Client, secret_key: str
) -> None:
    ada = new_account()

    assert me(client, sign(claims_for(ada.user["id"]), secret_key)) == 200


@pytest.mark.parametrize("forgery", FORGERIES)
def test_when_a_token_breaks_the_rules_then_401(
    new_account: support.NewAccount,
    client: support.Client,
    secret_key: str,
    forgery: str,
) -> None:
    ada = new_account()

    token = FORGERIES[forgery](claims_for(ada.user["id"]), secret_key)

    assert me(client, token) == 401
