"""The client's address behind the reverse proxies that TRUSTED_PROXIES names."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_address,
    ip_network,
)

Network = IPv4Network | IPv6Network


def parse_networks(text: str) -> list[Network]:
    """Comma-separated addresses and CIDR networks; an address is a /32 or /128."""
    networks: list[Network] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ip_network(entry))
        except ValueError:
            raise ValueError(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or a CIDR network "
                "(like 10.0.0.0/8)"
            ) from None
    return networks


def parse_address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        address = ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


# Not werkzeug's ProxyFix nor uvicorn's ProxyHeadersMiddleware: the first trusts a
# number of hops whatever their addresses, the second takes an entry that is no
# address for the client.
def client_address(peer: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """Who is calling: the peer itself, unless it is a trusted proxy.

    Then X-Forwarded-For (repeated headers joined by commas, in order) is walked
    from the right past trusted hops: the first untrusted one is the client, the
    leftmost if all are trusted, and an entry that is not an address stops the walk
    at the last good one.
    """

    def is_trusted(address: IPv4Address | IPv6Address | None) -> bool:
        return address is not None and any(address in net for net in trusted)

    if not is_trusted(parse_address(peer)):
        return peer
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = parse_address(hop)
        if address is None:
            break
        client = str(address)
        if not is_trusted(address):
            break
    return client
