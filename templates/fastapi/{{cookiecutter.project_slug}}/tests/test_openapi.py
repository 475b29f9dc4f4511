"""GET /openapi.json and /docs: FastAPI's document, true to what is served."""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Any

from fastapi.testclient import TestClient

ENVELOPE = {"$ref": "#/components/schemas/ErrorResponse"}
# The docs page, its script and its CSP, as the package ships them.
DOCS = files("{{ cookiecutter.package_name }}") / "docs"
# Every operation of the contract for this auth mode, and nothing else.
CONTRACT = {
    ("/health", "get"),
    ("/api/users", "get"),
{%- if cookiecutter.auth == "none" %}
    ("/api/users", "post"),
{%- endif %}
    ("/api/users/{user_id}", "get"),
    ("/api/users/{user_id}", "patch"),
    ("/api/users/{user_id}", "put"),
    ("/api/users/{user_id}", "delete"),
{%- if cookiecutter.auth != "none" %}
    ("/api/auth/register", "post"),
    ("/api/auth/login", "post"),
    ("/api/auth/me", "get"),
    ("/api/auth/logout", "post"),
{%- endif %}
}


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_when_the_document_is_fetched_then_it_describes_exactly_the_contract(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()

    assert document["openapi"].startswith("3.1")
    assert set(operations(document)) == CONTRACT


def test_when_the_document_is_fetched_then_every_error_is_the_envelope(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()

    for (path, method), operation in operations(document).items():
        errors = {
            status: answer
            for status, answer in operation["responses"].items()
            if not status.startswith("2") and path != "/health"
        }
        for status, answer in errors.items():
            schema = answer["content"]["application/json"]["schema"]
            assert schema == ENVELOPE, (path, method, status)
        if path.startswith("/api/"):
            assert {"500", "503", "default"} <= set(errors), (path, method)
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_when_an_operation_takes_a_body_then_its_body_errors_are_documented(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()

    for (path, method), operation in operations(document).items():
        if "requestBody" in operation:
            errors = set(operation["responses"])
            assert {"400", "413", "415", "422"} <= errors, (path, method)
        if method in {"post", "put", "patch"}:
            # JSON or 415, body or not.
            assert "415" in operation["responses"], (path, method)
    update = document["paths"]["/api/users/{user_id}"]["patch"]
    assert update["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/UserUpdate"
    }
{%- if cookiecutter.auth != "none" %}


def test_when_the_document_is_fetched_then_it_names_the_auth_scheme(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
{%- if cookiecutter.auth == "jwt" %}

    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert scheme["bearerFormat"] == "JWT"
    signed_in = [{"bearerAuth": []}]
{%- else %}

    scheme = document["components"]["securitySchemes"]["cookieAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == (
        "apiKey",
        "cookie",
        "session_id",
    )
    signed_in = [{"cookieAuth": []}]
{%- endif %}
    assert document["paths"]["/api/auth/me"]["get"]["security"] == signed_in
    assert document["paths"]["/api/users"]["get"]["security"] == signed_in
    assert "security" not in document["paths"]["/api/auth/login"]["post"]
{%- endif %}


def test_when_the_docs_page_is_fetched_then_it_is_the_pinned_page_under_a_csp(
    client: TestClient,
) -> None:
    policy = (DOCS / "csp.txt").read_text(encoding="utf-8").strip()

    page = client.get("/docs")
    script = client.get("/docs/init.js")

    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Content-Security-Policy"] == policy
    assert page.text == (DOCS / "docs.html").read_text(encoding="utf-8")
    assert script.status_code == 200
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert script.headers["Content-Security-Policy"] == policy
    assert "/openapi.json" in script.text


def test_when_the_docs_page_loads_then_every_script_is_a_file_and_pinned(
    client: TestClient,
) -> None:
    page = client.get("/docs").text

    scripts = re.findall(r"<script\b[^>]*>", page)
    remote = [tag for tag in scripts if "https://" in tag]

    # No inline script: the CSP allows none.
    assert scripts
    assert all(" src=" in tag for tag in scripts)
    assert '<script src="/docs/init.js">' in scripts
    assert remote
    assert all('integrity="sha384-' in tag for tag in remote)
    assert all('crossorigin="anonymous"' in tag for tag in remote)


def test_when_docs_are_served_then_fastapi_s_own_pages_are_gone(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()

    assert not {"/docs", "/docs/init.js"} & set(document["paths"])
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404
