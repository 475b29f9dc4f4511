"""The ASGI side of every request: raw bodies, crashes, log lines, forwarded clients."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx2
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.log import FORMAT, RequestIdFilter, request_id

# A route that reads a JSON body in this stack.
{%- if cookiecutter.auth == "none" %}
BODY_ROUTE = "/api/users"
{%- else %}
BODY_ROUTE = "/api/auth/register"
{%- endif %}


def test_when_a_body_comes_without_a_content_type_then_415(client: TestClient) -> None:
    request = client.build_request("POST", BODY_ROUTE, content=b'{"email": "a@b.c"}')

    response = client.send(request)

    assert "Content-Type" not in request.headers

    assert response.status_code == 415


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


def test_when_logging_during_a_request_then_the_line_carries_its_id() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)

    token = request_id.set("abc-123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)

    assert "[abc-123]" in logging.Formatter(FORMAT).format(record)


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
