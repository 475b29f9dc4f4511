"""Behind a reverse proxy: with TRUSTED_PROXIES set, the client is who the trusted proxy says it
forwarded for, and only then. The proxy is simulated: requests that come from its address (a
loopback address of its own) and carry the X-Forwarded-For header a proxy adds.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from . import harness
from .contract.client import Account, Api, assert_error, describe

pytestmark = pytest.mark.e2e

PROXY = "127.1.0.1"
INNER_PROXIES = "127.1.1.0/24"
UNTRUSTED = "127.1.2.1"
LIMIT = 3


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    return {
        "CORS_ORIGINS": harness.CORS_ALLOWED_ORIGIN,
        "TRUSTED_PROXIES": f"{PROXY}, {INNER_PROXIES}",
        "LOGIN_RATE_LIMIT": str(LIMIT),
    }


def login(
    client: httpx.Client, account: Account, forwarded_for: str, password: str | None = None
) -> httpx.Response:
    return client.post(
        "/api/auth/login",
        json={"email": account.email, "password": password or "wrong password"},
        headers={"X-Forwarded-For": forwarded_for},
    )


def fail_then_sign_in(
    client: httpx.Client, account: Account, failing_as: Callable[[int], str], then_as: str
) -> httpx.Response:
    """LIMIT failed logins, the n-th forwarded for `failing_as(n)`; then a right one, for `then_as`."""
    for n in range(LIMIT):
        login(client, account, failing_as(n))
    return login(client, account, then_as, account.password)


@pytest.mark.auth_modes("jwt", "session")
def test_when_a_trusted_proxy_forwards_two_clients_then_each_has_its_own_login_limit(api: Api) -> None:
    account = api.register()
    with api.client_from(PROXY) as proxy:
        failures = [login(proxy, account, "198.51.100.1") for _ in range(LIMIT)]
        blocked = login(proxy, account, "198.51.100.1", account.password)
        other = login(proxy, account, "198.51.100.2", account.password)

    for response in failures:
        assert_error(response, 401, "invalid_credentials")
    assert_error(blocked, 429, "rate_limited")
    assert other.status_code == 200, describe(other)


@pytest.mark.auth_modes("jwt", "session")
def test_when_a_client_prepends_spoofed_addresses_then_the_proxys_own_entry_decides(api: Api) -> None:
    account = api.register()
    with api.client_from(PROXY) as proxy:
        blocked = fail_then_sign_in(
            proxy, account, lambda n: f"203.0.113.{n + 1}, 198.51.100.3", "203.0.113.99, 198.51.100.3"
        )

    assert_error(blocked, 429, "rate_limited")


@pytest.mark.auth_modes("jwt", "session")
def test_when_the_request_passed_two_trusted_proxies_then_the_client_is_the_first_untrusted_hop(
    api: Api,
) -> None:
    account = api.register()
    with api.client_from(PROXY) as proxy:
        blocked = fail_then_sign_in(
            proxy, account, lambda n: f"198.51.100.4, 127.1.1.{n + 1}", "198.51.100.4"
        )
        other = login(proxy, account, "198.51.100.5, 127.1.1.9", account.password)

    assert_error(blocked, 429, "rate_limited")
    assert other.status_code == 200, describe(other)


@pytest.mark.auth_modes("jwt", "session")
def test_when_an_untrusted_peer_sends_a_forwarded_header_then_it_is_limited_as_itself(api: Api) -> None:
    account = api.register()
    with api.client_from(UNTRUSTED) as peer:
        blocked = fail_then_sign_in(peer, account, lambda n: f"198.51.100.{10 + n}", "198.51.100.20")

    assert_error(blocked, 429, "rate_limited")


def test_when_a_trusted_proxy_forwards_a_request_then_the_access_log_names_the_client(api: Api) -> None:
    with api.client_from(PROXY) as proxy:
        response = proxy.get("/health", headers={"X-Forwarded-For": "198.51.100.77"})
    with api.client_from(UNTRUSTED) as peer:
        spoofed = peer.get("/health", headers={"X-Forwarded-For": "198.51.100.88"})

    assert response.status_code == spoofed.status_code == 200
    log = harness.wait_for_log(api.log_path, "198.51.100.77")
    assert "198.51.100.88" not in log, harness.tail(log)
