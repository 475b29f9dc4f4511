"""Flask's side of every answer: crashes, request ids in the log, forwarded clients."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from {{ cookiecutter.package_name }}.log import FORMAT, RequestIdFilter

PROXY = "10.0.0.1"


def test_when_a_view_crashes_then_500_is_generic_and_the_traceback_is_logged(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> str:
        raise RuntimeError("secret detail")

    app.add_url_rule("/boom", "boom", boom)

    response = app.test_client().get("/boom")

    assert response.status_code == 500
    assert response.get_json() == {
        "error": {"code": "internal_error", "message": "Internal server error"}
    }
    assert b"secret detail" not in response.data
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert any(record.exc_info for record in caplog.records)


def test_when_logging_during_a_request_then_the_line_carries_its_id(
    app: Flask,
) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)

    with app.test_request_context(headers={"X-Request-ID": "abc-123"}):
        app.preprocess_request()
        RequestIdFilter().filter(record)

    assert "[abc-123]" in logging.Formatter(FORMAT).format(record)


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
