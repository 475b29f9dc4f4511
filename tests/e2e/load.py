"""Concurrent load against a running project: many clients registering, signing in and doing CRUD.

Plain asyncio + httpx, nothing of pytest: tests/e2e/test_load.py and bench/bench_load.py share it.
Each client registers its own user (POST /api/users without auth), signs in (jwt/session), then
until the deadline lists users, reads itself, renames itself and checks health (and, if asked,
signs in again every few rounds).
Every request is bounded by a timeout; a transport failure counts as an error, never raises.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

PASSWORD = "load test password"
REQUEST_TIMEOUT = 60.0


@dataclass
class LoadResult:
    """What a load run did and saw."""

    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)  # email -> id of every user created

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def percentile(self, fraction: float) -> float:
        """A latency percentile in milliseconds (nearest rank)."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    def summary(self) -> dict[str, Any]:
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(0.50), 1),
            "p99_ms": round(self.percentile(0.99), 1),
            "errors": len(self.errors),
            "5xx": self.server_errors,
        }


class _Client:
    def __init__(self, http: httpx.AsyncClient, auth: str, result: LoadResult, relogin_every: int) -> None:
        self.http = http
        self.relogin_every = relogin_every
        self.auth = auth
        self.result = result
        self.headers: dict[str, str] = {}

    async def call(self, method: str, path: str, expect: set[int], **kwargs: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.result.errors.append(f"{method} {path}: {exc!r}")
            return None
        self.result.latencies.append(time.perf_counter() - started)
        self.result.statuses[response.status_code] += 1
        if response.status_code not in expect:
            self.result.unexpected.append(f"{method} {path} -> {response.status_code} {response.text[:300]}")
            return None
        return response

    def sign_in(self, response: httpx.Response) -> None:
        if self.auth == "jwt":
            self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
        elif self.auth == "session":
            cookie = response.headers.get("set-cookie", "").split(";", 1)[0]
            self.headers = {"Cookie": cookie}

    async def run(self, deadline: float) -> None:
        email = f"load-{uuid.uuid4().hex[:16]}@load.example.com"
        body = {"email": email, "password": PASSWORD}
        if self.auth == "none":
            created = await self.call("POST", "/api/users", {201}, json=body)
            if created is None:
                return
            user = created.json()
        else:
            created = await self.call("POST", "/api/auth/register", {201}, json=body)
            if created is None:
                return
            user = created.json()["user"]
            login = await self.call("POST", "/api/auth/login", {200}, json=body)
            if login is None:
                return
            self.sign_in(login)
        self.result.users[email] = user["id"]
        path = f"/api/users/{user['id']}"
        n = 0
        # At least one round each, however long the sign-ups took; then until the deadline.
        while n == 0 or time.monotonic() < deadline:
            n += 1
            await self.call("GET", "/api/users", {200}, params={"limit": 20}, headers=self.headers)
            await self.call("GET", path, {200}, headers=self.headers)
            await self.call(
                "PATCH", path, {200}, json={"username": f"load_{uuid.uuid4().hex[:10]}"}, headers=self.headers
            )
            await self.call("GET", "/health", {200})
            if self.auth != "none" and self.relogin_every and n % self.relogin_every == 0:
                login = await self.call("POST", "/api/auth/login", {200}, json=body)
                if login is not None:
                    self.sign_in(login)


async def _run(
    base_url: str, auth: str, clients: int, seconds: float, sources: list[str | None], relogin_every: int
) -> LoadResult:
    result = LoadResult(clients=clients, seconds=seconds)
    started = time.monotonic()
    deadline = started + seconds
    http_clients = [
        httpx.AsyncClient(
            base_url=base_url,
            timeout=REQUEST_TIMEOUT,
            transport=httpx.AsyncHTTPTransport(local_address=sources[n % len(sources)]),
        )
        for n in range(clients)
    ]
    try:
        async with asyncio.timeout(seconds + 3 * REQUEST_TIMEOUT):
            runs = [_Client(http, auth, result, relogin_every).run(deadline) for http in http_clients]
            await asyncio.gather(*runs)
    finally:
        for http in http_clients:
            await http.aclose()
    result.seconds = time.monotonic() - started
    return result


def run_load(
    base_url: str,
    auth: str,
    *,
    clients: int = 50,
    seconds: float = 5.0,
    source_addresses: list[str] | None = None,
    relogin_every: int = 0,
) -> LoadResult:
    """Run `clients` concurrent clients against `base_url` for about `seconds` seconds.

    Every client registers first even if that outlasts `seconds`; the whole run is bounded by
    `seconds` plus a few request timeouts. With `relogin_every` N, a signed-in client signs in
    again every N rounds (each a password hash: the costliest request there is).
    """
    sources: list[str | None] = list(source_addresses) if source_addresses else [None]
    return asyncio.run(_run(base_url, auth, clients, seconds, sources, relogin_every))


async def _hammer(
    base_url: str, path: str, clients: int, seconds: float, headers: dict[str, str]
) -> tuple[int, int]:
    deadline = time.monotonic() + seconds
    counts = Counter[str]()

    async def one(http: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            try:
                response = await http.get(path)
            except httpx.HTTPError:
                counts["errors"] += 1
                continue
            counts["ok" if response.status_code == 200 else "bad"] += 1

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(
        base_url=base_url, timeout=REQUEST_TIMEOUT, limits=limits, headers=headers
    ) as http:
        async with asyncio.timeout(seconds + 2 * REQUEST_TIMEOUT):
            await asyncio.gather(*(one(http) for _ in range(clients)))
    return counts["ok"], counts["bad"] + counts["errors"]


def read_throughput(
    base_url: str,
    path: str,
    *,
    clients: int = 50,
    seconds: float = 10.0,
    headers: dict[str, str] | None = None,
) -> tuple[float, int]:
    """Requests per second of 200 answers to GET `path` under `clients` concurrent clients; failures."""
    started = time.monotonic()
    ok, failed = asyncio.run(_hammer(base_url, path, clients, seconds, headers or {}))
    return ok / (time.monotonic() - started), failed
