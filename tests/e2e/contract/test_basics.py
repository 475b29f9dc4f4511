"""Contract: health, OpenAPI and docs, routing errors, request bodies, cross-site writes, and headers
on every response."""

from __future__ import annotations

import json
import re
import time
import uuid
from html.parser import HTMLParser

import httpx
import pytest

from ...helpers import ROOT
from .client import JSON_TYPE, Api, assert_error, assert_validation_error, describe, unique_email

pytestmark = pytest.mark.e2e

ONE_MIB = 1024 * 1024

USER_PATHS = {
    "/health": {"get"},
    "/api/users": {"get"},
    "/api/users/{}": {"get", "patch", "put", "delete"},
}
AUTH_PATHS = {
    "/api/auth/register": {"post"},
    "/api/auth/login": {"post"},
    "/api/auth/me": {"get"},
    "/api/auth/logout": {"post"},
}


def write_path(api: Api) -> str:
    """The endpoint that takes a new user's JSON body in this auth mode."""
    return "/api/users" if api.auth == "none" else "/api/auth/register"


def new_user_body(**extra: object) -> dict[str, object]:
    return {"email": unique_email(), "password": "long enough password", **extra}


# --------------------------------------------------------------------------- health and docs


def test_when_health_is_requested_then_it_answers_ok_with_the_database(api: Api) -> None:
    response = api.client.get("/health")

    assert response.status_code == 200, describe(response)
    assert response.json() == {"status": "ok", "database": "ok"}, describe(response)


def test_when_openapi_is_requested_then_it_is_openapi_3_listing_every_contract_path(
    api: Api,
) -> None:
    response = api.client.get("/openapi.json")

    assert response.status_code == 200, describe(response)
    document = response.json()
    assert str(document.get("openapi", "")).startswith("3."), document.get("openapi")
    served = {
        re.sub(r"\{[^}]*\}", "{}", path): {method.lower() for method in operations}
        for path, operations in document.get("paths", {}).items()
    }
    expected = dict(USER_PATHS)
    if api.auth == "none":
        expected["/api/users"] = {"get", "post"}
    else:
        expected.update(AUTH_PATHS)
    for path, methods in expected.items():
        assert path in served, f"{path} missing from openapi.json paths {sorted(served)}"
        assert methods <= served[path], (
            f"{path} lists {sorted(served[path])}, expected at least {sorted(methods)}"
        )
    if api.auth == "none":
        listed_auth = sorted(path for path in served if path.startswith("/api/auth"))
        assert not listed_auth, f"a project without auth documents auth paths: {listed_auth}"


def test_when_docs_are_requested_then_an_html_page_answers(api: Api) -> None:
    response = api.client.get("/docs", follow_redirects=True)

    assert response.status_code == 200, describe(response)
    assert response.headers.get("content-type", "").startswith("text/html"), describe(response)
    assert "<html" in response.text.lower(), describe(response)


# --------------------------------------------------------------------------- routing errors


@pytest.mark.parametrize("path", ["/no-such-page", "/api/no-such-thing", "/api/users/1/nothing-here"])
def test_when_route_is_unknown_then_404_envelope(api: Api, path: str) -> None:
    assert_error(api.client.get(path), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/health"), ("DELETE", "/api/users"), ("PUT", "/api/users"), ("POST", "/api/users/1")],
)
def test_when_method_is_wrong_for_known_route_then_405_envelope(api: Api, method: str, path: str) -> None:
    response = api.client.request(method, path, json={} if method in {"POST", "PUT"} else None)
    assert_error(response, 405, "method_not_allowed")


@pytest.mark.auth_modes("jwt", "session")
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/auth/login"), ("GET", "/api/auth/register"), ("DELETE", "/api/auth/me")],
)
def test_when_auth_route_gets_wrong_method_then_405_envelope(api: Api, method: str, path: str) -> None:
    assert_error(api.client.request(method, path), 405, "method_not_allowed")


@pytest.mark.auth_modes("none")
@pytest.mark.parametrize("path", ["/api/auth/login", "/api/auth/register"])
def test_when_project_has_no_auth_then_auth_routes_are_404(api: Api, path: str) -> None:
    assert_error(
        api.client.post(path, json={"email": unique_email(), "password": "long enough"}),
        404,
        "not_found",
    )


# --------------------------------------------------------------------------- request bodies


@pytest.mark.parametrize(
    "body",
    [b'{"email": ', b"{'email': 'single@quotes.example'}", b"\xff\xfe not utf-8"],
    ids=["truncated", "single-quotes", "not-utf-8"],
)
def test_when_body_is_not_valid_json_then_400_envelope(api: Api, body: bytes) -> None:
    response = api.client.post(write_path(api), content=body, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize("body", ["[1, 2]", '"a string"', "42", "null", "true"])
def test_when_json_body_is_not_an_object_then_400_envelope(api: Api, body: str) -> None:
    response = api.client.post(write_path(api), content=body, headers={"Content-Type": "application/json"})
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
    ],
)
def test_when_body_is_not_json_content_type_then_415_envelope(api: Api, content_type: str) -> None:
    response = api.client.post(
        write_path(api), content=json.dumps(new_user_body()), headers={"Content-Type": content_type}
    )
    assert_error(response, 415, "unsupported_media_type")


def test_when_body_comes_without_content_type_then_415_envelope(api: Api) -> None:
    request = api.client.build_request("POST", write_path(api), content=json.dumps(new_user_body()))
    assert "content-type" not in request.headers

    assert_error(api.client.send(request), 415, "unsupported_media_type")


def test_when_json_content_type_carries_a_charset_then_body_is_accepted(api: Api) -> None:
    response = api.client.post(
        write_path(api),
        content=json.dumps(new_user_body()),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201, describe(response)


def test_when_body_is_over_one_mib_then_413_envelope(api: Api) -> None:
    body = json.dumps(new_user_body(padding="x" * ONE_MIB))
    assert len(body) > ONE_MIB
    try:
        response = api.client.post(
            write_path(api), content=body, headers={"Content-Type": "application/json"}
        )
    except httpx.TransportError as exc:  # pragma: no cover - reported as a contract failure
        pytest.fail(f"the server dropped the connection instead of answering 413: {exc!r}")
    assert_error(response, 413, "payload_too_large")


def test_when_a_chunked_body_grows_over_one_mib_then_413_envelope(api: Api) -> None:
    """Without a Content-Length the limit must hold while reading, not only by the header."""
    body = json.dumps(new_user_body(padding="x" * (ONE_MIB + 1024))).encode()
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
    try:
        response = api.client.post(
            write_path(api), content=chunks, headers={"Content-Type": "application/json"}
        )
    except httpx.TransportError as exc:
        pytest.fail(f"the server dropped the connection instead of answering 413: {exc!r}")
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert_error(response, 413, "payload_too_large")


def test_when_json_nests_very_deeply_then_a_client_error_not_a_crash(api: Api) -> None:
    depth = 100_000
    body = '{"email": ' + "[" * depth + "]" * depth + ', "password": "long enough password"}'

    response = api.client.post(write_path(api), content=body, headers={"Content-Type": "application/json"})

    assert response.status_code in {400, 422}, describe(response)
    assert_error(
        response, response.status_code, {400: "bad_request", 422: "validation_error"}[response.status_code]
    )


def test_when_body_is_just_under_one_mib_then_it_is_read_not_refused_for_size(api: Api) -> None:
    body = json.dumps(new_user_body(padding=""))
    body = json.dumps(new_user_body(padding="x" * (ONE_MIB - len(body) - 1024)))
    assert len(body) < ONE_MIB
    response = api.client.post(write_path(api), content=body, headers={"Content-Type": "application/json"})
    # The body is read, and its unknown field is then refused.
    assert_validation_error(response, "padding")


# --------------------------------------------------------------------------- headers


def sample_requests(api: Api) -> list[httpx.Request]:
    """One request for each kind of answer: 200, 201, 400, 401/200, 404, 405, 415, 422."""
    build = api.client.build_request
    return [
        build("GET", "/health"),
        build("GET", "/openapi.json"),
        build("POST", write_path(api), json=new_user_body()),
        build("POST", write_path(api), content=b"{", headers={"Content-Type": "application/json"}),
        build("GET", "/api/users"),
        build("GET", "/no-such-page"),
        build("DELETE", "/api/users"),
        build("POST", write_path(api), content=b"x", headers={"Content-Type": "text/plain"}),
        build("POST", write_path(api), json={"email": "nope"}),
    ]


def test_when_any_response_is_sent_then_it_carries_the_security_headers(api: Api) -> None:
    for request in sample_requests(api):
        response = api.client.send(request)
        headers = response.headers
        assert headers.get("x-content-type-options") == "nosniff", describe(response)
        assert headers.get("x-frame-options", "").upper() == "DENY", describe(response)
        assert headers.get("referrer-policy") == "no-referrer", describe(response)
        assert headers.get("x-request-id"), describe(response)


def test_when_client_sends_a_sane_request_id_then_every_response_echoes_it(api: Api) -> None:
    for request in sample_requests(api):
        request_id = uuid.uuid4().hex
        request.headers["X-Request-ID"] = request_id
        response = api.client.send(request)
        assert response.headers.get("x-request-id") == request_id, describe(response)


def test_when_client_sends_no_request_id_then_each_response_gets_a_fresh_one(api: Api) -> None:
    ids = [api.client.get("/health").headers.get("x-request-id") for _ in range(3)]
    ids.append(api.client.get("/no-such-page").headers.get("x-request-id"))

    assert all(ids), ids
    assert len(set(ids)) == len(ids), ids


def test_when_a_request_is_served_then_its_request_id_reaches_the_log(api: Api) -> None:
    request_id = f"e2e-{uuid.uuid4().hex}"

    api.client.get("/no-such-page", headers={"X-Request-ID": request_id})

    deadline = time.monotonic() + 5
    while request_id not in api.log_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert request_id in api.log_text(), "the request id is in no line of the server's log"


@pytest.mark.parametrize(
    "request_id",
    ["<script>alert(1)</script> with spaces", "x" * 1000],
    ids=["markup", "1000-chars"],
)
def test_when_client_sends_an_insane_request_id_then_a_fresh_one_replaces_it(
    api: Api, request_id: str
) -> None:
    response = api.client.get("/health", headers={"X-Request-ID": request_id})

    assert response.status_code == 200, describe(response)
    answered = response.headers.get("x-request-id")
    assert answered, describe(response)
    assert answered != request_id, describe(response)


# --------------------------------------------------------------------------- CORS


def test_when_origin_is_not_allowed_then_no_cors_headers_answer(api: Api) -> None:
    origin = "http://evil.example"
    simple = api.client.get("/health", headers={"Origin": origin})
    preflight = api.client.options(
        write_path(api),
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )

    for response in (simple, preflight):
        assert "access-control-allow-origin" not in response.headers, describe(response)
        assert "access-control-allow-credentials" not in response.headers, describe(response)


def test_when_origin_is_allowed_then_it_is_answered_by_name_never_star(api: Api) -> None:
    assert api.cors_origins, "the live server was started without CORS_ORIGINS"
    for origin in api.cors_origins:
        simple = api.client.get("/health", headers={"Origin": origin})
        preflight = api.client.options(
            write_path(api),
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )

        for response in (simple, preflight):
            assert response.headers.get("access-control-allow-origin") == origin, describe(response)
        assert preflight.status_code < 400, describe(preflight)


# --------------------------------------------------------------------------- the docs page

DOCS_POLICY = (ROOT / "templates" / "_shared" / "docs" / "csp.txt").read_text().strip()
PINNED = re.compile(r"^https://[^/]+/npm/[a-z0-9-]+@\d+\.\d+\.\d+/")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_when_docs_are_served_then_every_outside_file_is_pinned_with_its_hash_under_a_strict_policy(
    api: Api,
) -> None:
    response = api.client.get("/docs")

    assert response.status_code == 200, describe(response)
    assert response.headers["content-type"].startswith("text/html"), describe(response)
    policy = response.headers.get("content-security-policy", "")
    assert policy == DOCS_POLICY, describe(response)
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    parser = _Tags()
    parser.feed(response.text)
    loaded = [
        attrs
        for tag, attrs in parser.tags
        if (tag == "script") or (tag == "link" and attrs.get("rel") == "stylesheet")
    ]
    assert len(loaded) >= 3, response.text
    for attrs in loaded:
        url = attrs.get("src") or attrs.get("href") or ""
        assert url, f"an inline script or style: {attrs}"  # the policy would block it anyway
        if url.startswith("/"):
            continue
        assert PINNED.match(url), f"not pinned to an exact version: {url}"
        assert re.fullmatch(r"sha384-[A-Za-z0-9+/]{64}", attrs.get("integrity") or ""), attrs
        assert attrs.get("crossorigin") == "anonymous", attrs


def test_when_the_docs_page_starts_swagger_ui_then_its_script_comes_from_the_app(api: Api) -> None:
    response = api.client.get("/docs/init.js")

    assert response.status_code == 200, describe(response)
    assert "javascript" in response.headers["content-type"], describe(response)
    assert "SwaggerUIBundle" in response.text
    assert "/openapi.json" in response.text
    paths = api.client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/docs")], sorted(paths)


# --------------------------------------------------------------------------- cross-site writes
# A form can send only `application/x-www-form-urlencoded`, `multipart/form-data` or
# `text/plain`, and a no-cors fetch may send no content type at all; a page on the same site
# carries the user's cookie with both. So every POST, PUT and PATCH must say
# `application/json`, even a bare logout.

# What a form or a no-cors fetch can send, as (content type or None, body).
NOT_JSON = {
    "none": (None, b""),
    "urlencoded": ("application/x-www-form-urlencoded", b""),
    "multipart": ("multipart/form-data; boundary=x", b"--x--\r\n"),
    "text": ("text/plain", b""),
}


def send(api: Api, method: str, path: str, kind: str, headers: dict[str, str]) -> httpx.Response:
    content_type, body = NOT_JSON[kind]
    request = api.client.build_request(
        method,
        path,
        content=body,
        headers={**headers, **({"Content-Type": content_type} if content_type else {})},
    )
    if content_type is None:
        assert "content-type" not in request.headers
    return api.client.send(request)


@pytest.mark.auth_modes("jwt", "session")
@pytest.mark.parametrize("kind", sorted(NOT_JSON))
def test_when_logout_is_posted_as_a_form_could_then_415_and_the_credentials_still_work(
    api: Api, kind: str
) -> None:
    account = api.register()

    response = send(api, "POST", "/api/auth/logout", kind, account.headers)

    assert_error(response, 415, "unsupported_media_type")
    me = api.client.get("/api/auth/me", headers=account.headers)
    assert me.status_code == 200, describe(me)


@pytest.mark.auth_modes("jwt", "session")
def test_when_logout_says_json_without_a_body_then_204(api: Api) -> None:
    account = api.register()

    response = api.client.post("/api/auth/logout", headers={**account.headers, **JSON_TYPE})

    assert response.status_code == 204, describe(response)
    assert_error(api.client.get("/api/auth/me", headers=account.headers), 401, "unauthorized")


@pytest.mark.parametrize("kind", sorted(NOT_JSON))
@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_when_a_user_is_changed_as_a_form_could_then_415_and_nothing_changes(
    api: Api, kind: str, method: str
) -> None:
    account = api.register()

    response = send(api, method, account.path, kind, account.headers)

    assert_error(response, 415, "unsupported_media_type")
    after = api.client.get(account.path, headers=account.headers)
    assert after.status_code == 200, describe(after)
    assert after.json() == account.user


@pytest.mark.parametrize("kind", sorted(NOT_JSON))
def test_when_an_account_is_created_without_a_body_as_a_form_could_then_415(api: Api, kind: str) -> None:
    path = "/api/users" if api.auth == "none" else "/api/auth/register"

    assert_error(send(api, "POST", path, kind, {}), 415, "unsupported_media_type")
