"""Server-side sessions: cookie flags, storage in MongoDB, and their end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bson import ObjectId
from flask import Flask
from flask.testing import FlaskClient
from pymongo.database import Database

from {{ cookiecutter.package_name }}.documents import Document, utcnow

NewAccount = Callable[..., Any]


def register(client: FlaskClient, password: str) -> str:
    response = client.post(
        "/api/auth/register", json={"email": "ada@example.com", "password": password}
    )
    assert response.status_code == 201
    return response.headers["Set-Cookie"]


def test_when_signing_in_then_the_cookie_is_httponly_lax_and_site_wide(
    client: FlaskClient, password: str
) -> None:
    cookie = register(client, password)

    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie


def test_when_in_production_then_the_cookie_is_secure(
    make_app: Callable[..., Flask], password: str
) -> None:
    app = make_app(app_env="production", secret_key="k3Y" * 16)

    cookie = register(app.test_client(), password)

    assert "Secure" in cookie


def test_when_signed_in_then_the_session_lives_in_the_database_not_the_cookie(
    new_account: NewAccount, database: Database[Document]
) -> None:
    ada = new_account()
    cookie = ada.client.get_cookie("session_id").value

    stored = list(database["sessions"].find())

    assert len(stored) == 1
    assert stored[0]["user_id"] == ObjectId(ada.user["id"])
    assert stored[0]["_id"] != cookie
    assert cookie not in stored[0]["_id"]
    assert stored[0]["expires_at"] - stored[0]["created_at"] == timedelta(days=1)


def test_when_the_session_has_expired_then_401_before_the_ttl_index_removes_it(
    new_account: NewAccount, database: Database[Document]
) -> None:
    ada = new_account()
    database["sessions"].update_many(
        {}, {"$set": {"expires_at": utcnow() - timedelta(seconds=1)}}
    )

    assert ada.get("/api/auth/me").status_code == 401


def test_when_the_cookie_is_forged_then_401(client: FlaskClient) -> None:
    client.set_cookie("session_id", "made-up-value")

    assert client.get("/api/auth/me").status_code == 401


def test_when_a_user_deletes_their_account_then_their_sessions_end(
    new_account: NewAccount, database: Database[Document]
) -> None:
    ada = new_account()
    bob = new_account("bob@example.com")
    cookie = ada.client.get_cookie("session_id").value
    ada.client.post(
        "/api/auth/login",
        json={"email": "ada@example.com", "password": "correct horse battery"},
    )

    response = ada.delete(ada.url)
    ada.client.set_cookie("session_id", cookie)

    assert response.status_code == 204
    assert database["sessions"].count_documents({}) == 1
    assert ada.get("/api/auth/me").status_code == 401
    assert bob.get("/api/auth/me").status_code == 200
