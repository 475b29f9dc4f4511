"""GET /openapi.json and /docs: FastAPI's document, true to what is served."""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Any

from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.schemas import Error, UserCreate, ValidationError

# The docs page, its script and its CSP, as the package ships them.
DOCS = files("{{ cookiecutter.package_name }}") / "docs"
# Every operation of the contract for this auth mode with the operationId every stack
# gives it, and nothing else.
OPERATION_IDS = {
    ("/health", "get"): "getHealth",
    ("/api/users", "get"): "listUsers",
{%- if cookiecutter.auth == "none" %}
    ("/api/users", "post"): "createUser",
{%- endif %}
    ("/api/users/{id}", "get"): "getUser",
    ("/api/users/{id}", "patch"): "updateUser",
    ("/api/users/{id}", "put"): "replaceUser",
    ("/api/users/{id}", "delete"): "deleteUser",
{%- if cookiecutter.auth != "none" %}
    ("/api/auth/register", "post"): "register",
    ("/api/auth/login", "post"): "login",
    ("/api/auth/me", "get"): "getCurrentUser",
    ("/api/auth/logout", "post"): "logout",
{%- endif %}
}


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def answer_schema(operation: dict[str, Any], status: str) -> Any:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_when_the_document_is_fetched_then_it_describes_exactly_the_contract(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()

    assert document["openapi"] == "3.1.0"
    assert {
        key: operation["operationId"] for key, operation in operations(document).items()
    } == OPERATION_IDS


def test_when_the_document_is_fetched_then_every_error_is_the_envelope(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()

    for key, operation in operations(document).items():
        statuses = set(operation["responses"])
        assert {"500", "503"} <= statuses, key
        assert "default" not in statuses, key
        for status in statuses - {"200", "201", "204", "503"}:
            envelope = "ValidationError" if status == "422" else "Error"
            assert answer_schema(operation, status) == {
                "$ref": f"#/components/schemas/{envelope}"
            }, (key, status)
    # FastAPI's guessed 422 is gone: an id that is no id is a 404, never a 422.
    assert "422" not in document["paths"]["/api/users/{id}"]["get"]["responses"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_when_the_document_is_fetched_then_its_schemas_are_the_models_that_validate(
    client: TestClient,
) -> None:
    components = client.get("/openapi.json").json()["components"]["schemas"]

    assert components["UserCreate"] == UserCreate.model_json_schema()
    assert components["UserCreate"]["additionalProperties"] is False
    # The contract's 422 envelope, not FastAPI's own ValidationError of that name.
    detail = components["ValidationErrorDetail"]
    assert components["ValidationError"]["properties"]["error"] == {
        "$ref": "#/components/schemas/ValidationErrorDetail"
    }
    assert detail["required"] == ["code", "message", "fields"]
    assert "default" not in components["UserUpdate"]["properties"]["username"]
{%- if cookiecutter.auth == "jwt" %}
    assert "token_type" in components["TokenResponse"]["required"]
{%- endif %}


def test_when_errors_are_answered_then_they_match_the_schemas_the_document_gives(
    client: TestClient,
) -> None:
    missing = client.get("/api/no-such-thing")
    invalid = client.post(
        "{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/login{% endif %}", json={"email": "not an address", "password": "x"}
    )

    assert missing.status_code == 404
    assert invalid.status_code == 422
    # Validated and dumped again, nothing is lost and nothing added.
    assert Error.model_validate(missing.json()).model_dump() == missing.json()
    body = invalid.json()
    assert ValidationError.model_validate(body).model_dump() == body


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
    update = document["paths"]["/api/users/{id}"]["patch"]
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
