{%- set store = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Store = "Database[Any]" if cookiecutter.database == "mongodb" else "Session" -%}
"""Server-side sessions: stored in {% if cookiecutter.database == "mongodb" %}MongoDB{% else %}the database{% endif %}, not the cookie, and their end."""

from __future__ import annotations

from datetime import timedelta
{%- if cookiecutter.database == "mongodb" %}
from typing import Any

from bson import ObjectId
from pymongo.database import Database
{%- else %}

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
{%- endif %}

import support
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import utcnow
{%- else %}
from {{ cookiecutter.package_name }}.models import UserSession, utcnow
{%- endif %}
{%- if cookiecutter.database == "mongodb" %}


def count_sessions(database: Database[Any], account: support.Account) -> int:
    return database["sessions"].count_documents(
        {"user_id": ObjectId(account.user["id"])}
    )
{%- else %}


def count_sessions(session: Session, account: support.Account) -> int:
    query = select(func.count()).where(UserSession.user_id == account.user["id"])
    return session.scalar(query) or 0
{%- endif %}


def test_when_signed_in_then_the_session_lives_in_the_database_not_the_cookie(
    new_account: support.NewAccount, {{ store }}: {{ Store }}
) -> None:
    ada = new_account()
    cookie = ada.client.cookies["session_id"]
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


def test_when_the_session_has_expired_then_401(
    new_account: support.NewAccount, {{ store }}: {{ Store }}
) -> None:
    ada = new_account()
{%- if cookiecutter.database == "mongodb" %}
    # Past its time, though MongoDB's TTL monitor (once a minute) has not run yet.
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


def test_when_a_user_deletes_their_account_then_their_sessions_end(
    new_account: support.NewAccount, {{ store }}: {{ Store }}, password: str
) -> None:
    ada = new_account()
    bob = new_account("bob@example.com")
    cookie = ada.client.cookies["session_id"]
    ada.client.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": password}
    )

    response = ada.delete(ada.url)
    ada.client.cookies.set("session_id", cookie)

    assert response.status_code == 204
    assert "session_id=" in response.headers["Set-Cookie"]
    assert count_sessions({{ store }}, ada) == 0
    assert ada.get("/api/auth/me").status_code == 401
    # Only theirs: everyone else stays signed in.
    assert count_sessions({{ store }}, bob) == 1
    assert bob.get("/api/auth/me").status_code == 200
