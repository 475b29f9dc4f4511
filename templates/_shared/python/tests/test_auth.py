"""Registering, signing in and out, and /me{% if cookiecutter.auth == "jwt" %} with bearer tokens{% else %} with server-side sessions{% endif %}."""

from __future__ import annotations

import pytest

import support


def test_when_registering_then_201_signs_in_without_exposing_the_password(
    client: support.Client, password: str
) -> None:
    response = client.post(
        "/api/auth/register",
        json={"email": "Ada@Example.com", "password": password, "username": "ada_l"},
    )

    body = response.json()
    assert response.status_code == 201
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["username"] == "ada_l"
    assert password not in response.text
{%- if cookiecutter.auth == "jwt" %}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["access_token"].count(".") == 2
{%- else %}
    assert set(body) == {"user"}
    assert "session_id=" in response.headers["Set-Cookie"]
{%- endif %}


def test_when_the_email_is_taken_in_any_case_then_409(
    new_account: support.NewAccount, client: support.Client, password: str
) -> None:
    new_account("ada@example.com")

    response = client.post(
        "/api/auth/register", json={"email": "ADA@example.com", "password": password}
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_when_the_username_is_left_out_then_it_is_derived_and_made_unique(
    new_account: support.NewAccount,
) -> None:
    first = new_account("ada@example.com")
    second = new_account("ada@example.org")
    short = new_account("x+y@example.com")

    assert first.user["username"] == "ada"
    assert second.user["username"] == "ada2"
    assert short.user["username"] == "xy_"


def test_when_logging_in_with_the_email_in_another_case_then_200(
    new_account: support.NewAccount, client: support.Client, password: str
) -> None:
    new_account("ada@example.com")

    response = client.post(
        "/api/auth/login", json={"email": "ADA@Example.com", "password": password}
    )

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "ada@example.com"


def test_when_the_password_is_wrong_or_the_email_unknown_then_the_same_401(
    new_account: support.NewAccount, client: support.Client, password: str
) -> None:
    new_account("ada@example.com")

    wrong = client.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": "wrong-pass"}
    )
    unknown = client.post(
        "/api/auth/login", json={"email": "who@example.com", "password": password}
    )

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def test_when_not_signed_in_then_me_is_401(client: support.Client) -> None:
    response = client.get("/api/auth/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_when_signed_in_then_me_is_the_user_and_not_cached(
    new_account: support.NewAccount,
) -> None:
    ada = new_account()

    response = ada.get("/api/auth/me")

    assert response.status_code == 200
    assert response.json() == ada.user
    assert response.headers["Cache-Control"] == "no-store"


def test_when_logging_out_then_the_same_credentials_stop_working(
    new_account: support.NewAccount,
) -> None:
    ada = new_account()
{%- if cookiecutter.auth == "session" %}
    cookie = ada.client.cookies["session_id"]
{%- endif %}

    response = ada.logout()
{%- if cookiecutter.auth == "session" %}
    # A client that kept the old cookie must not get back in.
    ada.client.cookies.set("session_id", cookie)
{%- endif %}

    assert response.status_code == 204
    assert not response.text
    assert ada.get("/api/auth/me").status_code == 401
    assert ada.logout().status_code == 401


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=x",
        "text/plain",
    ],
)
def test_when_a_logout_without_a_body_is_not_json_then_415_and_still_signed_in(
    new_account: support.NewAccount, content_type: str | None
) -> None:
    ada = new_account()
    headers = {} if content_type is None else {"Content-Type": content_type}

    # What a form on another site, or its no-cors fetch, would send.
    response = ada.post("/api/auth/logout", headers=headers)

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert ada.get("/api/auth/me").status_code == 200
    assert ada.logout().status_code == 204


def test_when_the_password_changes_then_only_the_new_one_logs_in(
    new_account: support.NewAccount, client: support.Client, password: str
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
