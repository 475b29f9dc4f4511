"""What every request shares: errors, body rules, client address, headers, CORS."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from ipaddress import ip_network

import httpx2
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.log import FORMAT, RequestIdFilter, request_id
from {{ cookiecutter.package_name }}.proxies import client_address

# A route that reads a JSON body in this stack.
{%- if cookiecutter.auth == "none" %}
BODY_ROUTE = "/api/users"
{%- else %}
BODY_ROUTE = "/api/auth/register"
{%- endif %}
# Every POST, PUT and PATCH of the API, whether it takes a body or not.
WRITES = [
    ("POST", BODY_ROUTE),
    ("PUT", "/api/users/{{ '0123456789abcdef01234567' if cookiecutter.database == 'mongodb' else '1' }}"),
    ("PATCH", "/api/users/{{ '0123456789abcdef01234567' if cookiecutter.database == 'mongodb' else '1' }}"),
{%- if cookiecutter.auth != "none" %}
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/logout"),
{%- endif %}
]
# What a form, or a fetch in no-cors mode, may send instead of JSON.
NOT_JSON = [
    None,
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
]
ONE_MIB = 1024 * 1024
PROXIES = [
    ip_network("10.0.0.0/8"),
    ip_network("192.0.2.1"),
    ip_network("2001:db8::/32"),
]


def error_code(response: httpx2.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def test_when_the_route_is_unknown_then_404_json(client: TestClient) -> None:
    response = client.get("/nope")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found"}}


def test_when_the_method_is_wrong_then_405_json_with_allow(client: TestClient) -> None:
    response = client.delete("/health")

    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_when_the_body_is_not_json_then_415(client: TestClient) -> None:
    response = client.post(
        BODY_ROUTE, content="email=a@b.c", headers={"Content-Type": "text/plain"}
    )

    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


def test_when_a_body_comes_without_a_content_type_then_415(client: TestClient) -> None:
    request = client.build_request("POST", BODY_ROUTE, content=b'{"email": "a@b.c"}')

    response = client.send(request)

    assert "Content-Type" not in request.headers

    assert response.status_code == 415


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize("content_type", NOT_JSON)
def test_when_a_write_without_a_body_is_not_json_then_415(
    client: TestClient, method: str, url: str, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}

    response = client.request(method, url, headers=headers)

    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


@pytest.mark.parametrize(
    "body",
    ["{not json", "[1, 2]", '"text"', "null", "", "[" * 100_000 + "]" * 100_000],
)
def test_when_the_body_is_not_a_json_object_then_400(
    client: TestClient, body: str
) -> None:
    response = client.post(
        BODY_ROUTE, content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert error_code(response) == "bad_request"


def test_when_the_body_is_over_1_mib_then_413(client: TestClient) -> None:
    body = '{"email": "' + "a" * ONE_MIB + '"}'

    response = client.post(
        BODY_ROUTE, content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_when_a_chunked_body_grows_over_1_mib_then_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"email": "'
        for _ in range(17):
            yield b"a" * 65536
        yield b'"}'

    response = client.post(
        BODY_ROUTE, content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.request.headers["Transfer-Encoding"] == "chunked"
    assert response.status_code == 413


def test_when_a_route_crashes_then_500_is_generic_and_the_traceback_is_logged(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(fresh=True)

    @client.app.get("/boom")  # type: ignore[attr-defined]
    async def boom() -> None:
        raise RuntimeError("secret detail")

    response = client.get("/boom")

    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "internal_error", "message": "Internal server error"}
    }
    assert "secret detail" not in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert any(record.exc_info for record in caplog.records)


def test_when_any_answer_goes_out_then_it_carries_the_security_headers(
    client: TestClient,
) -> None:
    for response in (client.get("/health"), client.get("/nope")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert len(response.headers["X-Request-ID"]) == 32


def test_when_an_api_route_answers_then_it_is_not_cached(client: TestClient) -> None:
    response = client.get("/api/users")

    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [("req-1.A_b", True), ("has space", False), ("x" * 129, False)],
)
def test_when_a_request_id_is_sent_then_only_a_sane_one_is_echoed(
    client: TestClient, sent: str, echoed: bool
) -> None:
    response = client.get("/health", headers={"X-Request-ID": sent})

    assert (response.headers["X-Request-ID"] == sent) is echoed


def test_when_logging_during_a_request_then_the_line_carries_its_id() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)

    token = request_id.set("abc-123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)

    assert "[abc-123]" in logging.Formatter(FORMAT).format(record)


def test_when_the_origin_is_listed_then_cors_allows_it_and_no_other(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(cors_origins=["https://app.example"])

    allowed = client.get("/health", headers={"Origin": "https://app.example"})
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    preflight = client.options(
        BODY_ROUTE,
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
        },
    )
    refused = client.options(
        BODY_ROUTE,
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "POST",
        },
    )

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Access-Control-Allow-Origin" not in other.headers
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert not {"access-control-allow-origin", "access-control-allow-credentials"} & {
        name.lower() for name in refused.headers
    }


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


@pytest.mark.parametrize(
    ("trusted_proxies", "seen"), [("", "127.0.0.1"), ("127.0.0.1", "203.0.113.9")]
)
def test_when_a_request_is_forwarded_then_the_app_sees_the_client_trusted_proxies_name(
    make_client: Callable[..., TestClient], trusted_proxies: str, seen: str
) -> None:
    client = make_client(fresh=True, trusted_proxies=trusted_proxies)

    @client.app.get("/whoami")  # type: ignore[attr-defined]
    async def whoami(request: Request) -> str:
        return request.client.host if request.client else ""

    response = client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"})

    assert response.json() == seen


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port, in a thread; yields its base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    # No proxy headers, as server.py runs it; the app's logging left to pytest.
    server = uvicorn.Server(uvicorn.Config(app, proxy_headers=False, log_config=None))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive(), "uvicorn stopped before it started"
            assert time.monotonic() < deadline, "uvicorn took over 10 s to start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def test_when_a_trusted_proxy_forwards_then_the_access_log_names_the_client(
    make_app: Callable[..., FastAPI], caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(trusted_proxies="127.0.0.1")
    caplog.set_level(logging.INFO, logger="uvicorn.access")

    with serving(app) as url, httpx2.Client(base_url=url, trust_env=False) as http:
        response = http.get("/health", headers={"X-Forwarded-For": "203.0.113.9"})

    access = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert response.status_code == 200
    assert access, caplog.text
    assert access[0].startswith("203.0.113.9:"), access
