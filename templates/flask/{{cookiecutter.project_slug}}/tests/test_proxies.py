"""TRUSTED_PROXIES: whose address a request comes from behind reverse proxies."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import ip_network

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from {{ cookiecutter.package_name }}.proxies import client_address

TRUSTED = [ip_network("10.0.0.0/8"), ip_network("2001:db8::/32")]
PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        # An untrusted peer is the client, whatever it forwards.
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),
        # A trusted one: the rightmost hop that is not itself trusted.
        (PROXY, "203.0.113.9", "203.0.113.9"),
        (PROXY, "192.0.2.1, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        (PROXY, "203.0.113.9,10.1.2.3,10.4.5.6", "203.0.113.9"),
        # Every hop trusted: the leftmost.
        (PROXY, "10.1.1.1, 10.2.2.2", "10.1.1.1"),
        # Junk stops the walk at the last good address, or at the peer.
        (PROXY, "203.0.113.9, bogus, 10.1.2.3", "10.1.2.3"),
        (PROXY, "203.0.113.9, unknown", PROXY),
        (PROXY, "203.0.113.9:4711", PROXY),
        # No header, or an empty one: the peer.
        (PROXY, "", PROXY),
        (PROXY, " ", PROXY),
        # IPv6 both ways, and an IPv4 peer as a dual-stack socket reports it.
        ("2001:db8::1", "2001:DB8:0::2, 2001:db8::3", "2001:db8::2"),
        (PROXY, "2001:db8::1, 2001:0DB8::5", "2001:db8::1"),
        ("::ffff:10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (PROXY, "2a00:1450::1, 10.9.9.9", "2a00:1450::1"),
    ],
)
def test_when_a_request_arrives_then_the_client_is_the_first_untrusted_hop(
    peer: str, forwarded_for: str, client: str
) -> None:
    assert client_address(peer, forwarded_for, TRUSTED) == client


def test_when_nothing_is_trusted_then_the_peer_is_the_client() -> None:
    assert client_address(PROXY, "203.0.113.9", []) == PROXY


def served_from(app: Flask, peer: str, headers: list[tuple[str, str]]) -> str:
    """REMOTE_ADDR after the app has answered, in the environ a WSGI server logs."""
    environ = EnvironBuilder("/health", headers=headers).get_environ()
    environ["REMOTE_ADDR"] = peer
    body = app(environ, lambda status, headers, exc_info=None: lambda data: None)
    getattr(body, "close", lambda: None)()
    address: str = environ["REMOTE_ADDR"]
    return address


def test_when_a_trusted_proxy_forwards_then_the_access_log_shows_the_client(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(trusted_proxies="10.0.0.0/8, 2001:db8::1")
    # Repeated headers count as one list, in order.
    headers = [("X-Forwarded-For", "192.0.2.1"), ("X-Forwarded-For", "203.0.113.9")]

    # gunicorn's access log prints REMOTE_ADDR (%(h)s) from this same environ.
    assert served_from(app, PROXY, headers) == "203.0.113.9"
    assert served_from(app, "2001:db8::1", headers) == "203.0.113.9"
    assert served_from(app, "198.51.100.7", headers) == "198.51.100.7"


def test_when_trusted_proxies_is_left_empty_then_forwarded_for_is_ignored(
    make_app: Callable[..., Flask],
) -> None:
    headers = [("X-Forwarded-For", "203.0.113.9")]

    assert served_from(make_app(), PROXY, headers) == PROXY
