{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""Server-side sessions: cookie flags, storage in {% if cookiecutter.database == "mongodb" %}MongoDB{% else %}the database{% endif %}, and their end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
{% if cookiecutter.database == "mongodb" %}
from bson import ObjectId
{%- endif %}
from flask import Flask
from flask.testing import FlaskClient
{%- if cookiecutter.database == "mongodb" %}
from pymongo.database import Database

from {{ cookiecutter.package_name }}.documents import Document, utcnow
{%- else %}
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from {{ cookiecutter.package_name }}.models import UserSession, utcnow
{%- endif %}

NewAccount = Callable[..., Any]


def register(client: FlaskClient, password: str) -> str:
    response = client.post(
        "/api/auth/register", json={"email": "ada@example.com", "password": password}
    )
    assert response.status_code == 201
    return response.headers["Set-Cookie"]
{%- if cookiecutter.database != "mongodb" %}


def count_sessions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(UserSession)) or 0
{%- endif %}


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
    new_account: NewAccount, {{ session }}: {{ Session }}
) -> None:
    ada = new_account()
    cookie = ada.client.get_cookie("session_id").value
{% if cookiecutter.database == "mongodb" %}
    stored = list(database["sessions"].find())

    assert len(stored) == 1
    assert stored[0]["user_id"] == ObjectId(ada.user["id"])
    assert stored[0]["_id"] != cookie
    assert cookie not in stored[0]["_id"]
    assert stored[0]["expires_at"] - stored[0]["created_at"] == timedelta(days=1)
{%- else %}
    stored = session.scalars(select(UserSession)).one()

    assert stored.user_id == ada.user["id"]
    assert stored.id != cookie
    assert cookie not in stored.id
{%- endif %}


def test_when_the_session_has_expired_then_401{% if cookiecutter.database == "mongodb" %}_before_the_ttl_index_removes_it{% endif %}(
    new_account: NewAccount, {{ session }}: {{ Session }}
) -> None:
    ada = new_account()
{%- if cookiecutter.database == "mongodb" %}
    database["sessions"].update_many(
        {}, {"$set": {"expires_at": utcnow() - timedelta(seconds=1)}}
    )
{%- else %}
    session.execute(
        update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    session.commit()
{%- endif %}

    assert ada.get("/api/auth/me").status_code == 401


def test_when_the_cookie_is_forged_then_401(client: FlaskClient) -> None:
    client.set_cookie("session_id", "made-up-value")

    assert client.get("/api/auth/me").status_code == 401


def test_when_a_user_deletes_their_account_then_their_sessions_end(
    new_account: NewAccount, {{ session }}: {{ Session }}
) -> None:
    ada = new_account()
{%- if cookiecutter.database == "mongodb" %}
    bob = new_account("bob@example.com")
{%- endif %}
    cookie = ada.client.get_cookie("session_id").value
    ada.client.post(
        "/api/auth/login",
        json={"email": "ada@example.com", "password": "correct horse battery"},
    )

    response = ada.delete(ada.url)
    ada.client.set_cookie("session_id", cookie)

    assert response.status_code == 204
{%- if cookiecutter.database == "mongodb" %}
    assert database["sessions"].count_documents({}) == 1
{%- else %}
    assert count_sessions(session) == 0
{%- endif %}
    assert ada.get("/api/auth/me").status_code == 401
{%- if cookiecutter.database == "mongodb" %}
    assert bob.get("/api/auth/me").status_code == 200
{%- endif %}
