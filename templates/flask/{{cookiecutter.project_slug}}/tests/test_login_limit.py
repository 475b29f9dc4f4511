{%- set session = "database" if cookiecutter.database == "mongodb" else "session" -%}
{%- set Session = "Database[Document]" if cookiecutter.database == "mongodb" else "Session" -%}
"""The failed-login rate limit: per client address, shared through the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
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
PROXY = "10.0.0.1"


def fail_login(client: FlaskClient, peer: str, forwarded_for: str | None = None) -> int:
    """One failed login from `peer`, forwarding for someone if given; the status."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = client.post(
        "/api/auth/login",
        json=WRONG,
        headers=headers,
        environ_base={"REMOTE_ADDR": peer},
    )
    return response.status_code


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


def test_when_a_trusted_proxy_forwards_two_clients_then_each_has_its_own_limit(
    make_app: Callable[..., Flask],
) -> None:
    client = make_app(trusted_proxies="10.0.0.0/8").test_client()
    for _ in range(5):
        assert fail_login(client, PROXY, "198.51.100.1") == 401

    assert fail_login(client, PROXY, "198.51.100.1") == 429
    assert fail_login(client, PROXY, "198.51.100.2") == 401
    # Another proxy in front does not change who the client is.
    assert fail_login(client, PROXY, "198.51.100.1, 10.0.0.2") == 429


def test_when_an_untrusted_peer_spoofs_forwarded_for_then_it_is_limited_as_itself(
    make_app: Callable[..., Flask],
) -> None:
    client = make_app(trusted_proxies="10.0.0.0/8").test_client()
    for n in range(5):
        assert fail_login(client, "198.51.100.9", f"203.0.113.{n}") == 401

    assert fail_login(client, "198.51.100.9", "203.0.113.99") == 429
    assert fail_login(client, "198.51.100.9") == 429


def test_when_no_proxy_is_trusted_then_forwarded_for_changes_nothing(
    client: FlaskClient,
) -> None:
    for n in range(5):
        assert fail_login(client, PROXY, f"203.0.113.{n}") == 401

    assert fail_login(client, PROXY, "203.0.113.99") == 429
    assert fail_login(client, "10.0.0.2", "203.0.113.0") == 401


def test_when_the_minute_has_passed_then_the_client_may_try_again(
    {{ session }}: {{ Session }},
) -> None:
    start = utcnow()
    for second in range(5):
        login_limit.record_failure({{ session }}, CLIENT, start + timedelta(seconds=second))

    with pytest.raises(RateLimited):
        login_limit.ensure_allowed({{ session }}, CLIENT, 5, start + timedelta(seconds=30))
    login_limit.ensure_allowed({{ session }}, CLIENT, 5, start + timedelta(seconds=61))
