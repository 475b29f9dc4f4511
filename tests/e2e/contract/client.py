"""A small client for the HTTP contract: accounts, credentials, envelopes and hand-made JWTs.

It knows the contract and nothing of any framework: an `Api` is a base URL and an auth mode.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx

USER_FIELDS = {"id", "email", "username", "is_active", "created_at", "updated_at"}
USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,80}")
OBJECT_ID = re.compile(r"[0-9a-f]{24}")
PASSWORD = "correct horse battery"
TIMEOUT = httpx.Timeout(15.0)
# Every POST, PUT and PATCH carries it, body or not: a form cannot send it (the contract's
# guard against cross-site writes).
JSON_TYPE = {"Content-Type": "application/json"}


def unique_email(local: str = "user", domain: str | None = None) -> str:
    """An address no other test uses: the domain is unique unless given."""
    return f"{local}@{domain or uuid.uuid4().hex[:12] + '.example.com'}"


def cookieless_client(base_url: str, source_address: str | None = None) -> httpx.Client:
    """An httpx client that never stores cookies, so every credential a test sends is explicit.

    It opens a new connection per request: a server with several worker processes then
    spreads a test's requests over them, so state held by one worker only (a token
    denylist, login counters) shows up as a failure instead of passing by luck.
    """
    transport = httpx.HTTPTransport(
        local_address=source_address, limits=httpx.Limits(max_keepalive_connections=0)
    )
    return httpx.Client(
        base_url=base_url,
        timeout=TIMEOUT,
        transport=transport,
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        follow_redirects=False,
    )


@dataclass
class Account:
    """A user the test created, with the credentials it holds (none in auth mode `none`)."""

    user: dict[str, Any]
    email: str
    password: str
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    response: httpx.Response | None = None

    @property
    def id(self) -> Any:
        return self.user["id"]

    @property
    def path(self) -> str:
        return f"/api/users/{self.id}"


@dataclass
class Api:
    """A running project under test."""

    base_url: str
    auth: str
    secret_key: str
    login_rate_limit: int
    access_token_expires: int
    session_expires: int
    cors_origins: list[str]
    client: httpx.Client
    log_path: Path

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    @contextmanager
    def client_from(self, source_address: str) -> Iterator[httpx.Client]:
        """A client whose connections come from `source_address` (a 127.0.0.0/8 address)."""
        with cookieless_client(self.base_url, source_address) as client:
            yield client

    # -- accounts

    def register(self, email: str | None = None, password: str = PASSWORD, **extra: Any) -> Account:
        """Create a user the way the auth mode does it and return it with its credentials."""
        email = email or unique_email()
        payload = {"email": email, "password": password, **extra}
        if self.auth == "none":
            response = self.client.post("/api/users", json=payload)
        else:
            response = self.client.post("/api/auth/register", json=payload)
        assert response.status_code == 201, describe(response)
        body = response.json()
        user = body["user"] if self.auth != "none" else body
        return Account(
            user=user,
            email=email,
            password=password,
            headers=self.credentials(response),
            body=body,
            response=response,
        )

    def login(self, account: Account, client: httpx.Client | None = None) -> Account:
        """Sign in again as `account`: a new, separate set of credentials."""
        response = (client or self.client).post(
            "/api/auth/login", json={"email": account.email, "password": account.password}
        )
        assert response.status_code == 200, describe(response)
        body = response.json()
        return Account(
            user=body["user"], email=account.email, password=account.password,
            headers=self.credentials(response), body=body, response=response,
        )  # fmt: skip

    def logout(self, account: Account, client: httpx.Client | None = None) -> httpx.Response:
        """POST /api/auth/logout with the account's credentials: no body, JSON's content type."""
        return (client or self.client).post("/api/auth/logout", headers={**account.headers, **JSON_TYPE})

    def credentials(self, response: httpx.Response) -> dict[str, str]:
        """The request headers that carry the credentials a register or login answer handed out."""
        if self.auth == "jwt":
            return bearer(response.json()["access_token"])
        if self.auth == "session":
            cookies = set_cookies(response)
            assert cookies, f"no Set-Cookie on a session sign-in: {describe(response)}"
            return {"Cookie": "; ".join(f"{cookie.name}={cookie.value}" for cookie in cookies)}
        return {}


@contextmanager
def connect(base_url: str, auth: str, settings: dict[str, str], log_path: Path) -> Iterator[Api]:
    """An `Api` for a server started with `settings` (its `.env` overlaid with its environment).

    Unset settings take the contract's defaults; SECRET_KEY is needed to forge tokens.
    """
    secret_key = settings.get("SECRET_KEY", "")
    assert len(secret_key) >= 32, "the server's settings hold no SECRET_KEY of 32+ characters"
    origins = [origin.strip() for origin in settings.get("CORS_ORIGINS", "").split(",")]
    with cookieless_client(base_url) as client:
        yield Api(
            base_url=base_url,
            auth=auth,
            secret_key=secret_key,
            login_rate_limit=int(settings.get("LOGIN_RATE_LIMIT", "5")),
            access_token_expires=int(settings.get("ACCESS_TOKEN_EXPIRES", "900")),
            session_expires=int(settings.get("SESSION_EXPIRES", "86400")),
            cors_origins=[origin for origin in origins if origin],
            client=client,
            log_path=log_path,
        )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --------------------------------------------------------------------------- responses


def describe(response: httpx.Response) -> str:
    """The request and the answer, for assertion messages."""
    request = response.request
    body = request.content[:300] if request.content else b""
    return (
        f"{request.method} {request.url.raw_path.decode()} {body!r}\n"
        f"-> {response.status_code} {dict(response.headers)}\n{response.text[:800]}"
    )


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is the error envelope with this status and code; return the error object."""
    assert response.status_code == status, describe(response)
    assert response.headers.get("content-type", "").startswith("application/json"), describe(response)
    body = response.json()
    assert isinstance(body, dict), describe(response)
    assert set(body) == {"error"}, describe(response)
    error = body["error"]
    assert error.get("code") == code, describe(response)
    assert isinstance(error.get("message"), str), describe(response)
    assert error["message"], describe(response)
    assert "Traceback" not in response.text, describe(response)
    return error


def assert_validation_error(response: httpx.Response, *fields: str) -> dict[str, Any]:
    """A 422 envelope whose `fields` names at least `fields`."""
    error = assert_error(response, 422, "validation_error")
    assert isinstance(error.get("fields"), dict), describe(response)
    for name in fields:
        assert name in error["fields"], f"`fields` lacks {name!r}: {describe(response)}"
    return error


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 timestamp in UTC (`Z` or `+00:00`)."""
    assert isinstance(value, str), value
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.utcoffset() == timedelta(0), f"{value} is not in UTC"
    return parsed


def assert_user(user: Any, email: str | None = None) -> None:
    """A user as the API shows it: exactly the public fields, never a password or a hash."""
    assert isinstance(user, dict), user
    assert set(user) == USER_FIELDS, user
    # An integer on SQL databases, an ObjectId's 24 hex characters on MongoDB.
    identifier = user["id"]
    assert (type(identifier) is int and identifier > 0) or (
        isinstance(identifier, str) and OBJECT_ID.fullmatch(identifier)
    ), user
    assert USERNAME.fullmatch(user["username"]), user
    assert user["is_active"] is True, user
    parse_timestamp(user["created_at"])
    parse_timestamp(user["updated_at"])
    if email is not None:
        assert user["email"] == email.lower(), user


@dataclass(frozen=True)
class Cookie:
    name: str
    value: str
    attributes: dict[str, str]

    def has_flag(self, flag: str) -> bool:
        return flag.lower() in self.attributes


def set_cookies(response: httpx.Response) -> list[Cookie]:
    """The Set-Cookie headers of a response, parsed (attribute names lower-cased)."""
    cookies = []
    for header in response.headers.get_list("set-cookie"):
        pair, *attributes = (part.strip() for part in header.split(";"))
        name, _, value = pair.partition("=")
        parsed = {}
        for attribute in attributes:
            key, _, attr_value = attribute.partition("=")
            parsed[key.strip().lower()] = attr_value.strip()
        cookies.append(Cookie(name.strip(), value.strip(), parsed))
    return cookies


# --------------------------------------------------------------------------- JWT


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_parts(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """Header, payload and signature of a compact JWS, decoded without any check."""
    parts = token.split(".")
    assert len(parts) == 3, f"not a compact JWT: {token!r}"
    header = json.loads(b64url_decode(parts[0]))
    payload = json.loads(b64url_decode(parts[1]))
    return header, payload, b64url_decode(parts[2])


def jwt_signature_valid(token: str, secret: str) -> bool:
    signing_input, _, signature = token.rpartition(".")
    expected = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(expected, b64url_decode(signature))


def forge_jwt(
    header: dict[str, Any], payload: dict[str, Any], secret: str | None, digest: str = "sha256"
) -> str:
    """A compact JWT with this header and payload, HMAC-signed with `secret` (None: unsigned)."""
    signing_input = (
        b64url_encode(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url_encode(json.dumps(payload, separators=(",", ":")).encode())
    )
    if secret is None:
        return signing_input + "."
    signature = hmac.new(secret.encode(), signing_input.encode(), getattr(hashlib, digest)).digest()
    return signing_input + "." + b64url_encode(signature)


def claims_for(user_id: Any, lifetime: int = 600, **changes: Any) -> dict[str, Any]:
    """Claims like the server's own, for forging; `changes` set (or, as None, drop) claims."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
    }
    for key, value in changes.items():
        if value is None:
            claims.pop(key, None)
        else:
            claims[key] = value
    return claims
