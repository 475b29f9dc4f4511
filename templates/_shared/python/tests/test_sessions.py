"""Session cookies: their flags, and a cookie the server never issued."""

from __future__ import annotations

from collections.abc import Callable

import support


def register(client: support.Client, password: str) -> str:
    response = client.post(
        "/api/auth/register", json={"email": "ada@example.com", "password": password}
    )
    assert response.status_code == 201
    return response.headers["Set-Cookie"]


def test_when_signing_in_then_the_cookie_is_httponly_lax_and_site_wide(
    client: support.Client, password: str
) -> None:
    cookie = register(client, password)

    assert "HttpOnly" in cookie
    # Attribute names and values are case-insensitive (RFC 6265).
    assert "samesite=lax" in cookie.lower()
    assert "Path=/" in cookie
    assert "Secure" not in cookie


def test_when_in_production_then_the_cookie_is_secure(
    make_client: Callable[..., support.Client], password: str
) -> None:
    client = make_client(app_env="production", secret_key="k3Y" * 16)

    cookie = register(client, password)

    assert "Secure" in cookie


def test_when_the_cookie_is_forged_then_401(client: support.Client) -> None:
    client.cookies.set("session_id", "made-up-value")

    assert client.get("/api/auth/me").status_code == 401
