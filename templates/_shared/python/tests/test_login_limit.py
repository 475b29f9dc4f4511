"""The failed-login rate limit as clients meet it: per address, trusted proxies only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import support

LOGIN = "/api/auth/login"
WRONG = {"email": "ada@example.com", "password": "wrong-password"}


def test_when_a_client_fails_five_times_then_even_the_right_password_gets_429(
    new_account: support.NewAccount, client: support.Client, password: str
) -> None:
    new_account("ada@example.com")
    for _ in range(5):
        assert client.post(LOGIN, json=WRONG).status_code == 401

    response = client.post(
        LOGIN, json={"email": "ada@example.com", "password": password}
    )

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_when_logins_are_malformed_then_they_count_as_failures(
    client: support.Client,
) -> None:
    for _ in range(5):
        assert client.post(LOGIN, json={"email": "x"}).status_code == 422

    assert client.post(LOGIN, json=WRONG).status_code == 429


def test_when_one_client_is_limited_then_another_address_is_not(
    client: support.Client, make_client: Callable[..., support.Client]
) -> None:
    for _ in range(5):
        client.post(LOGIN, json=WRONG)

    other = make_client(address="127.0.0.2").post(LOGIN, json=WRONG)
    spoofed = client.post(LOGIN, json=WRONG, headers={"X-Forwarded-For": "10.9.9.9"})

    assert other.status_code == 401
    assert spoofed.status_code == 429


def test_when_a_trusted_proxy_forwards_two_clients_then_each_has_its_own_limit(
    make_client: Callable[..., support.Client],
) -> None:
    proxy = make_client(address="10.0.0.2", trusted_proxies="10.0.0.0/24")

    def login(forwarded_for: str) -> int:
        headers = {"X-Forwarded-For": forwarded_for}
        return proxy.post(LOGIN, json=WRONG, headers=headers).status_code

    for _ in range(5):
        assert login("198.51.100.1, 10.0.0.3") == 401

    assert login("198.51.100.1, 10.0.0.3") == 429
    assert login("198.51.100.2, 10.0.0.3") == 401
    # One proxy fewer in front does not change who the client is.
    assert login("198.51.100.1") == 429


@pytest.mark.parametrize(
    ("address", "trusted_proxies"),
    [("192.0.2.9", "10.0.0.0/24"), ("127.0.0.1", "")],
    ids=["untrusted-peer", "nothing-trusted-by-default"],
)
def test_when_an_untrusted_peer_sends_x_forwarded_for_then_it_is_limited_as_itself(
    make_client: Callable[..., support.Client], address: str, trusted_proxies: str
) -> None:
    client = make_client(address=address, trusted_proxies=trusted_proxies)

    statuses = [
        client.post(
            LOGIN, json=WRONG, headers={"X-Forwarded-For": f"198.51.100.{n}"}
        ).status_code
        for n in range(6)
    ]

    assert statuses == [401] * 5 + [429]
