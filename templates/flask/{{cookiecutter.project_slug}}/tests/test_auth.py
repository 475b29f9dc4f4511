"""Registering, signing in and out, and /me{% if cookiecutter.auth == "jwt" %} with bearer tokens{% else %} with server-side sessions{% endif %}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

NewAccount = Callable[..., Any]
# What a form, or a fetch without CORS, can send: never application/json.
NOT_JSON = [
    None,
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
]


def test_when_registering_then_201_signs_in_without_exposing_the_password(
    client: FlaskClient, password: str
) -> None:
    response = client.post(
        "/api/auth/register",
        json={"email": "Ada@Example.com", "password": password, "username": "ada_l"},
    )

    body = response.get_json()
    assert response.status_code == 201
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["username"] == "ada_l"
    assert password not in response.get_data(as_text=True)
{%- if cookiecutter.auth == "jwt" %}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"].count(".") == 2
{%- else %}
    assert set(body) == {"user"}
    assert "session_id=" in response.headers["Set-Cookie"]
{%- endif %}


def test_when_the_email_is_taken_in_any_case_then_409(
    new_account: NewAccount, client: FlaskClient, password: str
) -> None:
    new_account("ada@example.com")

    response = client.post(
        "/api/auth/register", json={"email": "ADA@example.com", "password": password}
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"


def test_when_the_username_is_left_out_then_it_is_derived_and_made_unique(
    new_account: NewAccount,
) -> None:
    first = new_account("ada@example.com")
    second = new_account("ada@example.org")
    short = new_account("x+y@example.com")

    assert first.user["username"] == "ada"
    assert second.user["username"] == "ada2"
    assert short.user["username"] == "xy_"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", "a" * 250 + "@b.co"),
        ("password", "short"),
        ("password", "p" * 129),
        ("username", "no spaces"),
        ("username", "ab"),
        ("is_active", False),
        ("id", 1),
        ("role", "admin"),
    ],
)
def test_when_a_field_breaks_the_rules_then_422_names_it(
    client: FlaskClient, password: str, field: str, value: object
) -> None:
    body = {"email": "ada@example.com", "password": password, field: value}

    response = client.post("/api/auth/register", json=body)

    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_when_logging_in_with_the_email_in_another_case_then_200(
    new_account: NewAccount, client: FlaskClient, password: str
) -> None:
    new_account("ada@example.com")

    response = client.post(
        "/api/auth/login", json={"email": "ADA@Example.com", "password": password}
    )

    assert response.status_code == 200
    assert response.get_json()["user"]["email"] == "ada@example.com"


def test_when_the_password_is_wrong_or_the_email_unknown_then_the_same_401(
    new_account: NewAccount, client: FlaskClient, password: str
) -> None:
    new_account("ada@example.com")

    wrong = client.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": "wrong-pass"}
    )
    unknown = client.post(
        "/api/auth/login", json={"email": "who@example.com", "password": password}
    )

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.get_json()["error"]["code"] == "invalid_credentials"


def test_when_not_signed_in_then_me_is_401(client: FlaskClient) -> None:
    response = client.get("/api/auth/me")

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_when_signed_in_then_me_is_the_user_and_not_cached(
    new_account: NewAccount,
) -> None:
    ada = new_account()

    response = ada.get("/api/auth/me")

    assert response.status_code == 200
    assert response.get_json() == ada.user
    assert response.headers["Cache-Control"] == "no-store"


def test_when_logging_out_then_the_same_credentials_stop_working(
    new_account: NewAccount,
) -> None:
    ada = new_account()
{%- if cookiecutter.auth == "session" %}
    cookie = ada.client.get_cookie("session_id").value
{%- endif %}

    response = ada.post("/api/auth/logout", content_type="application/json")
{%- if cookiecutter.auth == "session" %}
    # A client that kept the old cookie must not get back in.
    ada.client.set_cookie("session_id", cookie)
{%- endif %}

    assert response.status_code == 204
    assert not response.data
    assert ada.get("/api/auth/me").status_code == 401
    again = ada.post("/api/auth/logout", content_type="application/json")
    assert again.status_code == 401


@pytest.mark.parametrize("content_type", NOT_JSON)
def test_when_a_bodyless_logout_is_not_json_then_415_and_still_signed_in(
    new_account: NewAccount, content_type: str | None
) -> None:
    ada = new_account()

    response = ada.post("/api/auth/logout", content_type=content_type)

    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    assert ada.get("/api/auth/me").status_code == 200


def test_when_the_password_changes_then_only_the_new_one_logs_in(
    new_account: NewAccount, client: FlaskClient, password: str
) -> None:
    ada = new_account()

    ada.patch(ada.url, json={"password": "a brand new secret"})
    old = client.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": password}
    )
    new = client.post(
        "/api/auth/login",
        json={"email": "ada@example.com", "password": "a brand new secret"},
    )

    assert old.status_code == 401
    assert new.status_code == 200
