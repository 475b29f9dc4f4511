"""TRUSTED_PROXIES: whose address a request comes from behind reverse proxies."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from {{ cookiecutter.package_name }}.proxies import client_address

TRUSTED = [ip_network("10.0.0.0/8"), ip_network("2001:db8::/32")]
PROXY = "10.0.0.1"
# The proxies of a deployment with its own load balancer (192.0.2.1).
PROXIES = [
    ip_network("10.0.0.0/8"),
    ip_network("192.0.2.1"),
    ip_network("2001:db8::/32"),
]


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


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        # An untrusted peer is the client, whatever it says.
        ("198.51.100.1", ["203.0.113.9"], "198.51.100.1"),
        ("testclient", ["203.0.113.9"], "testclient"),
        # A trusted one without a word to say is the client too.
        ("10.0.0.1", [], "10.0.0.1"),
        ("10.0.0.1", [""], "10.0.0.1"),
        ("10.0.0.1", ["203.0.113.9"], "203.0.113.9"),
        ("192.0.2.1", ["203.0.113.9"], "203.0.113.9"),
        ("2001:db8::1", ["2001:db8::2, 2A00:0::9"], "2a00::9"),
        ("::ffff:10.0.0.1", ["203.0.113.9"], "203.0.113.9"),
        # Read from the right: the leftmost entries are the client's own words.
        ("10.0.0.1", ["198.51.100.7, 203.0.113.9"], "203.0.113.9"),
        ("10.0.0.1", ["203.0.113.9, 10.1.1.1, 10.2.2.2"], "203.0.113.9"),
        ("10.0.0.1", ["203.0.113.9", "10.1.1.1"], "203.0.113.9"),
        ("10.0.0.1", ["10.2.2.2, 10.1.1.1"], "10.2.2.2"),
        # What is not an address stops the walk at the last good one.
        ("10.0.0.1", ["203.0.113.9, unknown, 10.1.1.1"], "10.1.1.1"),
        ("10.0.0.1", ["203.0.113.9,, 10.1.1.1"], "10.1.1.1"),
        ("10.0.0.1", ["203.0.113.9:4711"], "10.0.0.1"),
    ],
)
def test_when_x_forwarded_for_is_read_then_only_trusted_proxies_are_believed(
    peer: str, forwarded_for: list[str], client: str
) -> None:
    assert client_address(peer, ",".join(forwarded_for), PROXIES) == client
