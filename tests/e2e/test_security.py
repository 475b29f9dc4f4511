"""Security probes beyond the contract suite, for every built stack.

The contract suite (tests/e2e/contract) already checks forged and malformed JWTs, a chosen session
cookie on login, single forbidden fields, bad bodies on the create endpoint and 403 on changing
another user. This module extends those: session fixation through register and through a planted
live session, ownership through other spellings of an id, forbidden fields hidden among allowed
ones, SQL- and MongoDB-shaped input in every string field, query parameter and credential,
oversized and malformed bodies on every endpoint that reads one, and login timing that would
tell known emails from unknown ones.
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from typing import Any

import httpx
import pytest

from tests.figures import FIGURES

from . import harness
from .contract.client import (
    Account,
    Api,
    assert_error,
    assert_user,
    describe,
    set_cookies,
    unique_email,
)

pytestmark = pytest.mark.e2e

TWO_MB = 2 * 1024 * 1024
SQL_PAYLOADS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    "admin'--",
    "1; SELECT pg_sleep(5)--",
    "x' UNION SELECT id, password_hash FROM users --",
]
MONGO_PAYLOADS: list[Any] = [
    {"$ne": None},
    {"$gt": ""},
    {"$regex": ".*"},
    {"$where": "sleep(5000) || true"},
    ["$ne", None],
]
INJECTIONS: list[Any] = [*SQL_PAYLOADS, *MONGO_PAYLOADS]


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    """Probes fail logins by the dozen from one address: the limit must not be what answers them."""
    return {"CORS_ORIGINS": harness.CORS_ALLOWED_ORIGIN, "LOGIN_RATE_LIMIT": "1000000"}


def probes(stack: harness.Stack, responses: list[httpx.Response]) -> list[httpx.Response]:
    """Count the probes sent, for the reliability figures; return them unchanged."""
    FIGURES.add(f"projects.{stack.name}.security_probes", len(responses))
    return responses


def create_path(api: Api) -> str:
    return "/api/users" if api.auth == "none" else "/api/auth/register"


def create(api: Api, payload: Any) -> httpx.Response:
    return api.client.post(create_path(api), json=payload)


def read(api: Api, account: Account, reader: Account | None = None) -> dict[str, Any]:
    response = api.client.get(account.path, headers=(reader or account).headers)
    assert response.status_code == 200, describe(response)
    return dict(response.json())


def assert_client_error(response: httpx.Response) -> None:
    """A 4xx in the error envelope: never a crash, never a success."""
    assert 400 <= response.status_code < 500, describe(response)
    assert response.headers.get("content-type", "").startswith("application/json"), describe(response)
    body = response.json()
    assert isinstance(body, dict), describe(response)
    assert set(body) == {"error"}, describe(response)
    assert isinstance(body["error"].get("code"), str), describe(response)
    assert "Traceback" not in response.text, describe(response)


def is_error(response: httpx.Response, status: int, code: str, field: str | None = None) -> bool:
    """Whether the response is the error envelope with this status and code (naming `field`)."""
    try:
        assert_error(response, status, code)
    except AssertionError:
        return False
    return field is None or field in response.json()["error"].get("fields", {})


def assert_no_crash(response: httpx.Response) -> None:
    assert response.status_code < 500, describe(response)
    assert "Traceback" not in response.text, describe(response)


def plain_password(api: Api, email: str, password: str) -> bool:
    """The password signs in, and a classic always-true injection does not."""
    return can_log_in(api, email, password) and not can_log_in(api, email, "' OR ''='")


def can_log_in(api: Api, email: str, password: str) -> bool:
    response = api.client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code in {200, 401}, describe(response)
    return response.status_code == 200


# --------------------------------------------------------------------------- session fixation


def cookie_value(response: httpx.Response) -> tuple[str, str]:
    cookies = set_cookies(response)
    assert len(cookies) == 1, f"expected one session cookie: {describe(response)}"
    return cookies[0].name, cookies[0].value


@pytest.mark.auth_modes("session")
def test_when_register_carries_an_invented_session_cookie_then_it_is_not_adopted(
    api: Api, stack: harness.Stack
) -> None:
    name = cookie_value(api.register().response)[0]  # type: ignore[arg-type]
    invented = "invented-by-the-client-" + uuid.uuid4().hex
    email = unique_email("fixed")

    response = api.client.post(
        "/api/auth/register",
        json={"email": email, "password": "long enough pw"},
        headers={"Cookie": f"{name}={invented}"},
    )
    me = api.client.get("/api/auth/me", headers={"Cookie": f"{name}={invented}"})
    probes(stack, [response, me])

    assert response.status_code == 201, describe(response)
    assert cookie_value(response)[1] != invented
    assert_error(me, 401, "unauthorized")


@pytest.mark.auth_modes("session")
def test_when_anonymous_requests_get_a_cookie_then_login_replaces_it(api: Api, stack: harness.Stack) -> None:
    """A session handed out before login must not be the one that holds the login afterwards."""
    account = api.register()
    name = cookie_value(account.response)[0]  # type: ignore[arg-type]
    anonymous = probes(
        stack,
        [
            api.client.get("/health"),
            api.client.get("/api/auth/me"),
            api.client.post("/api/auth/login", json={"email": account.email, "password": "wrong password"}),
        ],
    )
    before = [
        cookie.value for response in anonymous for cookie in set_cookies(response) if cookie.name == name
    ]

    for value in before:
        login = api.client.post(
            "/api/auth/login",
            json={"email": account.email, "password": account.password},
            headers={"Cookie": f"{name}={value}"},
        )
        probes(stack, [login])
        assert login.status_code == 200, describe(login)
        assert cookie_value(login)[1] != value, describe(login)
        stale = api.client.get("/api/auth/me", headers={"Cookie": f"{name}={value}"})
        assert_error(stale, 401, "unauthorized")
    assert anonymous[0].status_code == 200, describe(anonymous[0])
    assert_error(anonymous[1], 401, "unauthorized")
    assert_error(anonymous[2], 401, "invalid_credentials")


@pytest.mark.auth_modes("session")
def test_when_a_victim_logs_in_over_a_planted_live_session_then_the_planted_cookie_stays_the_attackers(
    api: Api, stack: harness.Stack
) -> None:
    attacker = api.register()
    victim = api.register()
    name, planted = cookie_value(attacker.response)  # type: ignore[arg-type]

    login = api.client.post(
        "/api/auth/login",
        json={"email": victim.email, "password": victim.password},
        headers={"Cookie": f"{name}={planted}"},
    )
    planted_me = api.client.get("/api/auth/me", headers={"Cookie": f"{name}={planted}"})
    probes(stack, [login, planted_me])

    assert login.status_code == 200, describe(login)
    assert login.json()["user"]["id"] == victim.id
    fresh = cookie_value(login)[1]
    assert fresh != planted
    assert api.client.get("/api/auth/me", headers={"Cookie": f"{name}={fresh}"}).json()["id"] == victim.id
    # The planted id must never come to name the victim: it is still the attacker's, or dead.
    if planted_me.status_code == 200:
        assert planted_me.json()["id"] == attacker.id, describe(planted_me)
    else:
        assert_error(planted_me, 401, "unauthorized")


# --------------------------------------------------------------------------- cross-user


def other_spellings(identifier: Any) -> list[str]:
    """Other ways to write the same id in a path, which must not slip past the ownership check."""
    if isinstance(identifier, int):
        return [f"0{identifier}", f"00{identifier}", f"+{identifier}", f"{identifier}.0", f"{identifier}%20"]
    return [identifier.upper(), f"{identifier}%20", f"%20{identifier}"]


@pytest.mark.auth_modes("jwt", "session")
@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
def test_when_another_user_is_changed_through_any_spelling_of_its_id_then_refused_and_unchanged(
    api: Api, stack: harness.Stack, method: str
) -> None:
    mallory = api.register()
    victim = api.register()
    before = read(api, victim)
    bodies: list[Any] = (
        [None]
        if method == "DELETE"
        else [
            {"password": "mallory's new password"},
            {"email": unique_email("mallory")},
            {"username": f"owned_{uuid.uuid4().hex[:6]}"},
        ]
    )

    responses = []
    for spelling in [str(victim.id), *other_spellings(victim.id)]:
        for body in bodies:
            responses.append(
                api.client.request(method, f"/api/users/{spelling}", json=body, headers=mallory.headers)
            )
    probes(stack, responses)

    for response in responses:
        # 403 for the id itself; another spelling may also be no id at all (404).
        assert response.status_code in {403, 404}, describe(response)
        assert_client_error(response)
    assert_error(responses[0], 403, "forbidden")
    assert read(api, victim) == before
    assert can_log_in(api, victim.email, victim.password)
    assert not can_log_in(api, victim.email, "mallory's new password")


# --------------------------------------------------------------------------- mass assignment

FORBIDDEN_FIELDS: list[dict[str, Any]] = [
    {"is_active": False},
    {"is_active": "false"},
    {"id": 1},
    {"id": "1"},
    {"password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"},
    {"created_at": "2000-01-01T00:00:00Z"},
    {"updated_at": "2000-01-01T00:00:00Z"},
    {"IS_ACTIVE": False},
    {"user": {"is_active": False}},
    {"_id": "0123456789abcdef01234567"},
]


def test_when_register_carries_a_forbidden_field_beside_valid_ones_then_422_and_nobody_is_created(
    api: Api, stack: harness.Stack
) -> None:
    problems: list[str] = []
    for extra in FORBIDDEN_FIELDS:
        email = unique_email("massassign")
        username = f"m_{uuid.uuid4().hex[:8]}"
        body = {"email": email, "password": "long enough pw", "username": username, **extra}
        response = create(api, body)
        # Nothing was stored: the same email registers now, as an ordinary active user.
        again = create(api, {"email": email, "password": "long enough pw"})
        probes(stack, [response, again])
        if not is_error(response, 422, "validation_error", next(iter(extra))):
            problems.append(describe(response))
        if again.status_code != 201:
            problems.append(f"after {extra}: {describe(again)}")
            continue
        user = again.json() if api.auth == "none" else again.json()["user"]
        try:
            assert_user(user, email)
        except AssertionError:
            problems.append(f"after {extra}, not an ordinary user: {describe(again)}")

    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_when_a_change_carries_a_forbidden_field_beside_valid_ones_then_422_and_nothing_changes(
    api: Api, stack: harness.Stack, method: str
) -> None:
    account = api.register()
    before = read(api, account)
    problems: list[str] = []
    for extra in FORBIDDEN_FIELDS:
        body = {"username": f"x_{uuid.uuid4().hex[:8]}", "password": "a changed password", **extra}
        response = api.client.request(method, account.path, json=body, headers=account.headers)
        probes(stack, [response])
        if not is_error(response, 422, "validation_error", next(iter(extra))):
            problems.append(describe(response))

    assert not problems, "\n\n".join(problems)
    assert read(api, account) == before
    if api.auth != "none":
        assert can_log_in(api, account.email, account.password)


# --------------------------------------------------------------------------- injection


def test_when_create_gets_injection_shaped_fields_then_422_or_stored_verbatim(
    api: Api, stack: harness.Stack
) -> None:
    before = api.register()
    problems: list[str] = []
    for payload in INJECTIONS:
        for field in ("email", "password", "username"):
            body = {"email": unique_email("inj"), "password": "long enough pw", field: payload}
            response = create(api, body)
            probes(stack, [response])
            if response.status_code != 201:
                if not is_error(response, 422, "validation_error"):
                    problems.append(describe(response))
                continue
            # Taken as data: a string password or username, stored as the client sent it.
            user = response.json() if api.auth == "none" else response.json()["user"]
            if not isinstance(payload, str) or (field == "username" and user["username"] != payload):
                problems.append(f"accepted and not stored verbatim: {describe(response)}")
            if field == "password" and api.auth != "none" and not plain_password(api, body["email"], payload):
                problems.append(f"the password is not matched as plain data: {describe(response)}")

    assert not problems, "\n\n".join(problems)
    # The table is still there and still answers.
    assert read(api, before)["id"] == before.id


@pytest.mark.auth_modes("jwt", "session")
def test_when_login_gets_injection_shaped_fields_then_never_a_login_never_a_crash(
    api: Api, stack: harness.Stack
) -> None:
    account = api.register()
    problems: list[str] = []
    for payload in INJECTIONS:
        bodies: list[dict[str, Any]] = [
            {"email": payload, "password": account.password},
            {"email": account.email, "password": payload},
            {"email": payload, "password": payload},
        ]
        if isinstance(payload, str):
            bodies.append({"email": f"{account.email}{payload}", "password": account.password})
            bodies.append({"email": f"{account.email}'--", "password": payload})
        for response in probes(stack, [api.client.post("/api/auth/login", json=body) for body in bodies]):
            if not (
                is_error(response, 401, "invalid_credentials") or is_error(response, 422, "validation_error")
            ):
                problems.append(describe(response))

    assert not problems, "\n\n".join(problems)
    assert can_log_in(api, account.email, account.password)


def test_when_a_change_gets_injection_shaped_fields_then_422_or_stored_verbatim(
    api: Api, stack: harness.Stack
) -> None:
    account = api.register()
    witness = api.register()
    witness_before = read(api, witness)
    problems: list[str] = []
    # The password last: a session may end with a password change.
    for field in ("email", "username", "password"):
        for payload in INJECTIONS:
            response = api.client.patch(account.path, json={field: payload}, headers=account.headers)
            probes(stack, [response])
            if response.status_code != 200:
                if not is_error(response, 422, "validation_error"):
                    problems.append(describe(response))
            elif not isinstance(payload, str) or (
                field == "username" and response.json()["username"] != payload
            ):
                problems.append(f"accepted and not stored verbatim: {describe(response)}")

    assert not problems, "\n\n".join(problems)
    # Nobody else was touched.
    assert read(api, witness) == witness_before


QUERY_INJECTIONS = [
    "limit[$gt]=0",
    "offset[$ne]=1",
    "limit[]=1&limit[]=2",
    "limit=1%20OR%201%3D1",
    "limit=1;DROP%20TABLE%20users",
    "offset=0%27%20OR%20%271%27%3D%271",
    'limit={"$gt":0}',
    "limit=100000000000000000000000000000000",
    "limit=" + "9" * 3000,
    "offset=-1%20UNION%20SELECT%201",
    "limit=1e2",
    "limit=0x10",
]


def test_when_list_query_parameters_are_injection_shaped_then_422_or_a_valid_page(
    api: Api, stack: harness.Stack
) -> None:
    account = api.register()
    responses = probes(
        stack, [api.client.get(f"/api/users?{query}", headers=account.headers) for query in QUERY_INJECTIONS]
    )

    for response in responses:
        assert_no_crash(response)
        if response.status_code == 200:
            # An ignored parameter leaves the default page: never every row, never a bigger page.
            page = response.json()
            assert set(page) == {"items", "total", "limit", "offset"}, describe(response)
            assert 1 <= page["limit"] <= 100, describe(response)
            assert len(page["items"]) <= page["limit"], describe(response)
        else:
            assert_error(response, 422, "validation_error")


PATH_INJECTIONS = [
    "1%20OR%201%3D1",
    "1%27%20OR%20%271%27%3D%271",
    "1;DROP%20TABLE%20users",
    "%7B%22%24ne%22%3Anull%7D",
    "%24ne",
    "%5B%24ne%5D",
    "1%00",
    "..%2F..%2Fetc%2Fpasswd",
]


def test_when_a_user_id_is_injection_shaped_then_404(api: Api, stack: harness.Stack) -> None:
    account = api.register()
    responses = []
    for spelling in PATH_INJECTIONS:
        responses.append(api.client.get(f"/api/users/{spelling}", headers=account.headers))
        responses.append(
            api.client.patch(f"/api/users/{spelling}", json={"username": "whoever"}, headers=account.headers)
        )
        responses.append(api.client.delete(f"/api/users/{spelling}", headers=account.headers))
    probes(stack, responses)

    for response in responses:
        assert_error(response, 404, "not_found")
    assert read(api, account)["id"] == account.id


@pytest.mark.auth_modes("jwt", "session")
def test_when_credentials_are_injection_shaped_then_401(api: Api, stack: harness.Stack) -> None:
    account = api.register()
    name = cookie_value(account.response)[0] if api.auth == "session" else ""  # type: ignore[arg-type]
    responses = []
    for payload in [*SQL_PAYLOADS, '{"$ne": null}', '{"$gt": ""}', "%7B%22%24gt%22%3A%22%22%7D"]:
        if api.auth == "jwt":
            headers = {"Authorization": f"Bearer {payload}"}
        else:
            cookie = payload if all(c not in payload for c in ';",\\ ') else json.dumps(payload)
            headers = {"Cookie": f"{name}={cookie}"}
        responses.append(api.client.get("/api/auth/me", headers=headers))
    probes(stack, responses)

    problems = [describe(response) for response in responses if not is_error(response, 401, "unauthorized")]
    assert not problems, "\n\n".join(problems)


# --------------------------------------------------------------------------- oversized and malformed


def body_endpoints(api: Api, account: Account) -> list[tuple[str, str]]:
    endpoints = [("POST", create_path(api)), ("PATCH", account.path), ("PUT", account.path)]
    if api.auth != "none":
        endpoints.append(("POST", "/api/auth/login"))
    return endpoints


def test_when_bodies_are_two_megabytes_then_413_envelope(api: Api, stack: harness.Stack) -> None:
    account = api.register()
    before = read(api, account)
    body = json.dumps({"email": unique_email(), "password": "long enough pw", "username": "u" * TWO_MB})

    responses = []
    for method, path in body_endpoints(api, account):
        try:
            responses.append(
                api.client.request(
                    method,
                    path,
                    content=body,
                    headers={"Content-Type": "application/json", **account.headers},
                )
            )
        except httpx.TransportError as exc:
            pytest.fail(f"{method} {path}: the connection dropped instead of a 413: {exc!r}")
    probes(stack, responses)

    for response in responses:
        assert_error(response, 413, "payload_too_large")
    assert read(api, account) == before


def test_when_a_body_has_sixty_thousand_unknown_fields_under_one_mib_then_422(
    api: Api, stack: harness.Stack
) -> None:
    account = api.register()
    body = {"email": unique_email(), "password": "long enough pw"}
    body.update({f"f{n}": 0 for n in range(60_000)})
    content = json.dumps(body, separators=(",", ":"))
    assert len(content) < 1024 * 1024

    responses = probes(
        stack,
        [
            api.client.request(
                method, path, content=content, headers={"Content-Type": "application/json", **account.headers}
            )
            for method, path in body_endpoints(api, account)
        ],
    )

    for response in responses:
        assert_error(response, 422, "validation_error")


MALFORMED: list[tuple[str, bytes, str, int, str]] = [
    ("truncated", b'{"email": ', "application/json", 400, "bad_request"),
    ("trailing-garbage", b'{"username": "abc"} x', "application/json", 400, "bad_request"),
    ("empty", b"", "application/json", 400, "bad_request"),
    ("array", b'[{"username": "abc"}]', "application/json", 400, "bad_request"),
    ("number", b"42", "application/json", 400, "bad_request"),
    ("null", b"null", "application/json", 400, "bad_request"),
    ("string", b'"abc"', "application/json", 400, "bad_request"),
    ("invalid-utf8", b'{"username": "\xff\xfe\xfd"}', "application/json", 400, "bad_request"),
    ("lone-surrogate", b'{"username": "\\ud800abc"}', "application/json", 422, "validation_error"),
    ("nan", b'{"username": NaN}', "application/json", 400, "bad_request"),
    ("text-plain", b'{"username": "abc"}', "text/plain", 415, "unsupported_media_type"),
    ("form", b"username=abc", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ("json-lookalike", b'{"username": "abc"}', "application/jsonx", 415, "unsupported_media_type"),
]


def test_when_a_body_is_malformed_then_a_4xx_envelope_on_every_endpoint_that_reads_one(
    api: Api, stack: harness.Stack
) -> None:
    account = api.register()
    before = read(api, account)
    problems: list[str] = []
    for case, content, content_type, status, code in MALFORMED:
        for method, path in body_endpoints(api, account):
            response = api.client.request(
                method, path, content=content, headers={"Content-Type": content_type, **account.headers}
            )
            probes(stack, [response])
            if code == "validation_error":
                # A lone surrogate: unreadable (400) or an invalid username (422), never a crash.
                fine = is_error(response, 400, "bad_request") or is_error(response, 422, code)
            else:
                fine = is_error(response, status, code)
            if not fine:
                problems.append(f"[{case}, expected {status} {code}] {describe(response)}")

    assert not problems, "\n\n".join(problems)
    assert read(api, account) == before


# --------------------------------------------------------------------------- timing


@pytest.mark.auth_modes("jwt", "session")
def test_when_login_fails_then_unknown_and_known_emails_take_alike(api: Api, stack: harness.Stack) -> None:
    """An unknown email must cost a password hash too, or its speed tells which emails have accounts."""
    account = api.register()
    known: list[float] = []
    unknown: list[float] = []
    responses = []
    for n in range(11):
        for email, times in ((account.email, known), (unique_email("nobody"), unknown)):
            started = time.perf_counter()
            response = api.client.post("/api/auth/login", json={"email": email, "password": f"wrong pw {n}"})
            elapsed = time.perf_counter() - started
            responses.append(response)
            if n:  # the first round warms up connections and caches
                times.append(elapsed)
    probes(stack, responses)

    for response in responses:
        assert_error(response, 401, "invalid_credentials")
    ratio = statistics.median(unknown) / statistics.median(known)
    FIGURES.put(f"projects.{stack.name}.login_timing_ratio", round(ratio, 2))
    assert 0.2 <= ratio <= 5, (
        f"median failed login: unknown email {statistics.median(unknown) * 1000:.1f} ms, "
        f"known email {statistics.median(known) * 1000:.1f} ms (ratio {ratio:.2f})"
    )
