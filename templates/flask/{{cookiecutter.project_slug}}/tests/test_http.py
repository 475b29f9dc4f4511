"""What every answer shares: the error envelope, body rules, headers and CORS."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from {{ cookiecutter.package_name }}.log import FORMAT, RequestIdFilter

# A route that reads a JSON body in this stack.
{%- if cookiecutter.auth == "none" %}
BODY_ROUTE = "/api/users"
{%- else %}
BODY_ROUTE = "/api/auth/register"
{%- endif %}


def error_code(response: TestResponse) -> str:
    code: str = response.get_json()["error"]["code"]
    return code


def test_when_the_route_is_unknown_then_404_json(client: FlaskClient) -> None:
    response = client.get("/nope")

    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "not_found", "message": "Not found"}
    }


def test_when_the_method_is_wrong_then_405_json_with_allow(client: FlaskClient) -> None:
    response = client.delete("/health")

    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_when_the_body_is_not_json_then_415(client: FlaskClient) -> None:
    response = client.post(BODY_ROUTE, data="email=a@b.c", content_type="text/plain")

    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


@pytest.mark.parametrize(
    "content_type",
    [None, "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"],
)
@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", BODY_ROUTE), ("PUT", "/api/users/1"), ("PATCH", "/api/users/1")],
)
def test_when_a_write_is_not_json_then_415_even_without_a_body(
    client: FlaskClient, method: str, url: str, content_type: str | None
) -> None:
    response = client.open(url, method=method, content_type=content_type)

    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


def test_when_json_names_a_charset_then_the_body_is_accepted(
    client: FlaskClient, password: str
) -> None:
    response = client.post(
        BODY_ROUTE,
        data=json.dumps({"email": "ada@example.com", "password": password}),
        content_type="application/json; charset=utf-8",
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    "body", ["{not json", "[1, 2]", '"text"', "", "[" * 100_000 + "]" * 100_000]
)
def test_when_the_body_is_not_a_json_object_then_400(
    client: FlaskClient, body: str
) -> None:
    response = client.post(BODY_ROUTE, data=body, content_type="application/json")

    assert response.status_code == 400
    assert error_code(response) == "bad_request"


def test_when_the_body_is_over_1_mib_then_413(client: FlaskClient) -> None:
    body = '{"email": "' + "a" * (1024 * 1024) + '"}'

    response = client.post(BODY_ROUTE, data=body, content_type="application/json")

    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


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
    assert any(record.exc_info for record in caplog.records)


def test_when_any_answer_goes_out_then_it_carries_the_security_headers(
    client: FlaskClient,
) -> None:
    for response in (client.get("/health"), client.get("/nope")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert len(response.headers["X-Request-ID"]) == 32


def test_when_an_api_route_answers_then_it_is_not_cached(client: FlaskClient) -> None:
    response = client.get("/api/users")

    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [("req-1.A_b", True), ("has space", False), ("x" * 129, False)],
)
def test_when_a_request_id_is_sent_then_only_a_sane_one_is_echoed(
    client: FlaskClient, sent: str, echoed: bool
) -> None:
    response = client.get("/health", headers={"X-Request-ID": sent})

    assert (response.headers["X-Request-ID"] == sent) is echoed


def test_when_logging_during_a_request_then_the_line_carries_its_id(
    app: Flask,
) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)

    with app.test_request_context(headers={"X-Request-ID": "abc-123"}):
        app.preprocess_request()
        RequestIdFilter().filter(record)

    assert "[abc-123]" in logging.Formatter(FORMAT).format(record)


def test_when_the_origin_is_listed_then_cors_allows_it_and_no_other(
    make_app: Callable[..., Flask],
) -> None:
    client = make_app(cors_origins=["https://app.example"]).test_client()

    allowed = client.get("/health", headers={"Origin": "https://app.example"})
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    preflight = client.options(
        BODY_ROUTE,
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
        },
    )

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
