"""Contract: the configuration variables change what the running server does."""

from __future__ import annotations

import time

import pytest

from .. import harness
from .client import Api, assert_error, describe, jwt_parts, unique_email

pytestmark = pytest.mark.e2e

SHORT_LIFETIME = 2
SECOND_ORIGIN = "https://second.allowed.example"


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    return {
        "ACCESS_TOKEN_EXPIRES": str(SHORT_LIFETIME),
        "SESSION_EXPIRES": str(SHORT_LIFETIME),
        "LOGIN_RATE_LIMIT": "2",
        "CORS_ORIGINS": f"{harness.CORS_ALLOWED_ORIGIN},{SECOND_ORIGIN}",
    }


@pytest.mark.auth_modes("jwt")
def test_when_access_token_expires_is_set_then_tokens_carry_it_and_die_after_it(api: Api) -> None:
    account = api.register()
    _, claims, _ = jwt_parts(account.body["access_token"])

    assert account.body["expires_in"] == SHORT_LIFETIME, account.body
    assert claims["exp"] - claims["iat"] == SHORT_LIFETIME, claims
    fresh = api.client.get("/api/auth/me", headers=account.headers)
    assert fresh.status_code == 200, describe(fresh)
    time.sleep(max(0.0, claims["exp"] - time.time()) + 1.5)
    assert_error(api.client.get("/api/auth/me", headers=account.headers), 401, "unauthorized")


@pytest.mark.auth_modes("session")
def test_when_session_expires_is_set_then_sessions_end_after_it(api: Api) -> None:
    account = api.register()

    fresh = api.client.get("/api/auth/me", headers=account.headers)
    assert fresh.status_code == 200, describe(fresh)
    time.sleep(SHORT_LIFETIME + 1.5)
    assert_error(api.client.get("/api/auth/me", headers=account.headers), 401, "unauthorized")


@pytest.mark.auth_modes("jwt", "session")
def test_when_login_rate_limit_is_set_then_that_many_failures_block(api: Api, source_address: str) -> None:
    account = api.register(unique_email())
    wrong = {"email": account.email, "password": "not the password"}

    with api.client_from(source_address) as client:
        failures = [client.post("/api/auth/login", json=wrong) for _ in range(2)]
        blocked = client.post("/api/auth/login", json={"email": account.email, "password": account.password})

    for response in failures:
        assert_error(response, 401, "invalid_credentials")
    assert_error(blocked, 429, "rate_limited")


def test_when_cors_origins_lists_several_then_each_is_answered_by_name(api: Api) -> None:
    for origin in (harness.CORS_ALLOWED_ORIGIN, SECOND_ORIGIN):
        response = api.client.get("/health", headers={"Origin": origin})
        assert response.headers.get("access-control-allow-origin") == origin, describe(response)
    stranger = api.client.get("/health", headers={"Origin": "https://third.example"})
    assert "access-control-allow-origin" not in stranger.headers, describe(stranger)
