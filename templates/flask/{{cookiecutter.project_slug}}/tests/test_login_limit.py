{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""The failed-login rate limit: per client address, shared through the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
{%- if cookiecutter.database == "mongodb" %}
from pymongo.database import Database
{%- else %}
from sqlalchemy.orm import Session
{%- endif %}
{% if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import Document, utcnow
from {{ cookiecutter.package_name }}.errors import RateLimited
{%- else %}
from {{ cookiecutter.package_name }}.errors import RateLimited
from {{ cookiecutter.package_name }}.models import utcnow
{%- endif %}
from {{ cookiecutter.package_name }}.services import login_limit

NewAccount = Callable[..., Any]
WRONG = {"email": "ada@example.com", "password": "wrong-password"}
CLIENT = "203.0.113.7"


def test_when_a_client_fails_five_times_then_even_the_right_password_gets_429(
    new_account: NewAccount, client: FlaskClient, password: str
) -> None:
    new_account("ada@example.com")
    for _ in range(5):
        assert client.post("/api/auth/login", json=WRONG).status_code == 401

    response = client.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": password}
    )

    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_when_logins_are_malformed_then_they_count_as_failures(
    client: FlaskClient,
) -> None:
    for _ in range(5):
        assert client.post("/api/auth/login", json={"email": "x"}).status_code == 422

    assert client.post("/api/auth/login", json=WRONG).status_code == 429


def test_when_one_client_is_limited_then_another_address_is_not(
    client: FlaskClient,
) -> None:
    for _ in range(5):
        client.post("/api/auth/login", json=WRONG)

    other = client.post(
        "/api/auth/login", json=WRONG, environ_base={"REMOTE_ADDR": "127.0.0.2"}
    )
    spoofed = client.post(
        "/api/auth/login", json=WRONG, headers={"X-Forwarded-For": "10.9.9.9"}
    )

    assert other.status_code == 401
    assert spoofed.status_code == 429


def test_when_the_minute_has_passed_then_the_client_may_try_again(
    {{ session }}: {{ Session }},
) -> None:
    start = utcnow()
    for second in range(5):
        login_limit.record_failure({{ session }}, CLIENT, start + timedelta(seconds=second))

    with pytest.raises(RateLimited):
        login_limit.ensure_allowed({{ session }}, CLIENT, 5, start + timedelta(seconds=30))
    login_limit.ensure_allowed({{ session }}, CLIENT, 5, start + timedelta(seconds=61))
