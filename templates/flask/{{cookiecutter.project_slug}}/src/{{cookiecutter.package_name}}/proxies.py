"""The client's address behind the reverse proxies that TRUSTED_PROXIES names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = IPv4Network | IPv6Network


def parse_address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        address = ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(peer: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """Who is calling: the peer itself, unless it is a trusted proxy.

    Then X-Forwarded-For is walked from the right past trusted hops: the first
    untrusted one is the client, the leftmost if all are trusted, and an entry that
    is not an address stops the walk at the last good one.
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


# Not werkzeug's ProxyFix: it trusts a number of hops, whatever their addresses.
class TrustedProxies:
    """WSGI middleware that sets REMOTE_ADDR to the client's address.

    The access logs of gunicorn and werkzeug read REMOTE_ADDR, so they show it too.
    """

    def __init__(self, app: WSGIApplication, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        # Repeated X-Forwarded-For headers arrive joined by commas, in order.
        environ["REMOTE_ADDR"] = client_address(
            environ.get("REMOTE_ADDR", ""),
            environ.get("HTTP_X_FORWARDED_FOR", ""),
            self.trusted,
        )
        return self.app(environ, start_response)
