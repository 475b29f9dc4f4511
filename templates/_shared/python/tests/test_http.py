"""What every answer shares: the error envelope, body rules, headers and CORS."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import support

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
    "multipart/form-data",
    "multipart/form-data; boundary=x",
    "text/plain",
]
JSON = {"Content-Type": "application/json"}
ONE_MIB = 1024 * 1024


def error_code(response: support.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def test_when_the_route_is_unknown_then_404_json(client: support.Client) -> None:
    response = client.get("/nope")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found"}}


def test_when_the_method_is_wrong_then_405_json_with_allow(
    client: support.Client,
) -> None:
    response = client.delete("/health")

    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_when_the_body_is_not_json_then_415(client: support.Client) -> None:
    response = client.post(
        BODY_ROUTE, content="email=a@b.c", headers={"Content-Type": "text/plain"}
    )

    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize("content_type", NOT_JSON)
def test_when_a_write_without_a_body_is_not_json_then_415(
    client: support.Client, method: str, url: str, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}

    response = client.request(method, url, headers=headers)

    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


def test_when_json_names_a_charset_then_the_body_is_accepted(
    client: support.Client, password: str
) -> None:
    response = client.post(
        BODY_ROUTE,
        content=json.dumps({"email": "ada@example.com", "password": password}),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    "body",
    ["{not json", "[1, 2]", '"text"', "null", "", "[" * 100_000 + "]" * 100_000],
)
def test_when_the_body_is_not_a_json_object_then_400(
    client: support.Client, body: str
) -> None:
    response = client.post(BODY_ROUTE, content=body, headers=JSON)

    assert response.status_code == 400
    assert error_code(response) == "bad_request"


def test_when_the_body_is_over_1_mib_then_413(client: support.Client) -> None:
    body = '{"email": "' + "a" * ONE_MIB + '"}'

    response = client.post(BODY_ROUTE, content=body, headers=JSON)

    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_when_any_answer_goes_out_then_it_carries_the_security_headers(
    client: support.Client,
) -> None:
    for response in (client.get("/health"), client.get("/nope")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert len(response.headers["X-Request-ID"]) == 32


def test_when_an_api_route_answers_then_it_is_not_cached(
    client: support.Client,
) -> None:
    response = client.get("/api/users")

    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [("req-1.A_b", True), ("has space", False), ("x" * 129, False)],
)
def test_when_a_request_id_is_sent_then_only_a_sane_one_is_echoed(
    client: support.Client, sent: str, echoed: bool
) -> None:
    response = client.get("/health", headers={"X-Request-ID": sent})

    assert (response.headers["X-Request-ID"] == sent) is echoed


def test_when_the_origin_is_listed_then_cors_allows_it_and_no_other(
    make_client: Callable[..., support.Client],
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
    # Any 2xx lets the browser go on to send the real request.
    assert 200 <= preflight.status_code < 300
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Credentials" not in refused.headers
