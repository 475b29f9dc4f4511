{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""Server-side sessions: stored in {% if cookiecutter.database == "mongodb" %}MongoDB{% else %}the database{% endif %}, not the cookie, and their end."""

from __future__ import annotations

from datetime import timedelta
{% if cookiecutter.database == "mongodb" %}
from bson import ObjectId
from pymongo.database import Database
{%- else %}
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
{%- endif %}

import support
{%- if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import Document, utcnow
{%- else %}
from {{ cookiecutter.package_name }}.models import UserSession, utcnow
{%- endif %}
{%- if cookiecutter.database != "mongodb" %}


def count_sessions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(UserSession)) or 0
{%- endif %}


def test_when_signed_in_then_the_session_lives_in_the_database_not_the_cookie(
    new_account: support.NewAccount, {{ session }}: {{ Session }}
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


def test_when_the_session_has_expired_then_401{% if cookiecutter.database == "mongodb" %}_before_the_ttl_index_removes_it{% endif %}(
    new_account: support.NewAccount, {{ session }}: {{ Session }}
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


def test_when_a_user_deletes_their_account_then_their_sessions_end(
    new_account: support.NewAccount, {{ session }}: {{ Session }}
) -> None:
    ada = new_account()
{%- if cookiecutter.database == "mongodb" %}
    bob = new_account("bob@example.com")
{%- endif %}
    cookie = ada.client.cookies["session_id"]
    ada.client.post(
        "/api/auth/login",
        json={"email": "ada@example.com", "password": "correct horse battery"},
    )

    response = ada.delete(ada.url)
    ada.client.cookies.set("session_id", cookie)

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
