"""What every answer shares: the error envelope, body rules, headers and CORS."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import httpx2
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.log import FORMAT, RequestIdFilter, request_id

# A route that reads a JSON body in this stack.
{%- if cookiecutter.auth == "none" %}
BODY_ROUTE = "/api/users"
{%- else %}
BODY_ROUTE = "/api/auth/register"
{%- endif %}
ONE_MIB = 1024 * 1024


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
