"""GET /openapi.json and /docs: the document matches the routes actually served."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from {{ cookiecutter.package_name }}.api import docs
from {{ cookiecutter.package_name }}.schemas import Error, UserCreate, ValidationError

# The document and the page that shows it describe the API, they are not part of it.
DOCS_ROUTES = {"/openapi.json", "/docs", "/docs/init.js"}
PAGE_FILES = files("{{ cookiecutter.package_name }}") / "docs"
# Every operation of the contract, with the operationId every stack gives it.
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


def shipped(name: str) -> str:
    """A file of the docs page as the installed package holds it."""
    return (PAGE_FILES / name).read_text("utf-8")


def served_operations(app: Flask) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if rule.rule in DOCS_ROUTES:
            continue
        # The document calls every resource's id `{id}`, whatever the view names it.
        path = re.sub(r"<(?:\w+:)?\w+>", "{id}", rule.rule)
        for method in rule.methods or ():
            if method not in {"HEAD", "OPTIONS"}:
                operations.add((path, method.lower()))
    return operations


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def answer_schema(operation: dict[str, Any], status: str) -> Any:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_when_the_document_is_fetched_then_it_describes_exactly_the_served_routes(
    app: Flask, client: FlaskClient
) -> None:
    document = client.get("/openapi.json").get_json()

    assert document["openapi"] == "3.1.0"
    assert set(operations(document)) == served_operations(app)
    assert {
        key: operation["operationId"] for key, operation in operations(document).items()
    } == OPERATION_IDS


def test_when_the_document_is_fetched_then_errors_use_the_envelope(
    client: FlaskClient,
) -> None:
    document = client.get("/openapi.json").get_json()

    for key, operation in operations(document).items():
        statuses = set(operation["responses"])
        assert {"500", "503"} <= statuses, key
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= statuses, key
        for status in statuses - {"200", "201", "204", "503"}:
            envelope = "ValidationError" if status == "422" else "Error"
            assert answer_schema(operation, status) == {
                "$ref": f"#/components/schemas/{envelope}"
            }, (key, status)
    get_user = document["paths"]["/api/users/{id}"]["get"]
    assert answer_schema(get_user, "404") == {"$ref": "#/components/schemas/Error"}


def test_when_the_document_is_fetched_then_its_schemas_are_the_models_that_validate(
    client: FlaskClient,
) -> None:
    components = client.get("/openapi.json").get_json()["components"]["schemas"]

    assert components["UserCreate"] == UserCreate.model_json_schema()
    assert components["UserCreate"]["additionalProperties"] is False
    assert set(components["UserCreate"]["required"]) == {"email", "password"}
    detail = components["ValidationErrorDetail"]
    assert detail["required"] == ["code", "message", "fields"]
    assert "default" not in components["UserUpdate"]["properties"]["username"]
{%- if cookiecutter.auth == "jwt" %}
    assert "token_type" in components["TokenResponse"]["required"]
{%- endif %}


def test_when_errors_are_answered_then_they_match_the_schemas_the_document_gives(
    client: FlaskClient,
) -> None:
    missing = client.get("/api/no-such-thing")
    invalid = client.post(
        "{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/login{% endif %}", json={"email": "not an address", "password": "x"}
    )

    assert missing.status_code == 404
    assert invalid.status_code == 422
    # Validated and dumped again, nothing is lost and nothing added.
    assert Error.model_validate(missing.get_json()).model_dump() == missing.get_json()
    body = invalid.get_json()
    assert ValidationError.model_validate(body).model_dump() == body
{%- if cookiecutter.auth != "none" %}


def test_when_the_document_is_fetched_then_it_names_the_auth_scheme(
    client: FlaskClient,
) -> None:
    document = client.get("/openapi.json").get_json()
{%- if cookiecutter.auth == "jwt" %}

    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    signed_in = [{"bearerAuth": []}]
{%- else %}

    scheme = document["components"]["securitySchemes"]["cookieAuth"]
    assert scheme == {"type": "apiKey", "in": "cookie", "name": "session_id"}
    signed_in = [{"cookieAuth": []}]
{%- endif %}
    assert document["paths"]["/api/auth/me"]["get"]["security"] == signed_in
    assert document["paths"]["/api/users"]["get"]["security"] == signed_in
    # Public operations name no scheme, and the document sets no default.
    assert "security" not in document["paths"]["/api/auth/login"]["post"]
    assert "security" not in document
{%- endif %}


def test_when_the_document_is_fetched_then_the_docs_routes_are_not_in_it(
    client: FlaskClient,
) -> None:
    document = client.get("/openapi.json").get_json()

    assert not DOCS_ROUTES & set(document["paths"])


def test_when_the_docs_page_is_fetched_then_it_is_the_pinned_page_under_its_csp(
    client: FlaskClient,
) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert response.get_data(as_text=True) == shipped("docs.html")
    assert response.headers["Content-Security-Policy"] == shipped("csp.txt").strip()
    # Swagger UI at a fixed version, checked by the browser against its hash.
    scripts = re.findall(r"<script[^>]*>", response.get_data(as_text=True))
    assert any("swagger-ui-dist@5." in tag and "integrity=" in tag for tag in scripts)
    assert all("src=" in tag for tag in scripts), "no inline script"
    assert "X-Frame-Options" in response.headers


def test_when_the_docs_script_is_fetched_then_it_starts_swagger_ui_on_the_document(
    client: FlaskClient,
) -> None:
    response = client.get("/docs/init.js")

    assert response.status_code == 200
    assert response.content_type == "text/javascript; charset=utf-8"
    assert response.get_data(as_text=True) == shipped("init.js")
    assert "/openapi.json" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == shipped("csp.txt").strip()


def test_when_the_csp_is_sent_then_scripts_come_only_from_files(
    client: FlaskClient,
) -> None:
    policy = client.get("/docs").headers["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "frame-ancestors" in directives


def test_when_the_app_is_built_then_the_page_is_read_once_not_per_request(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    client = make_app().test_client()
    monkeypatch.setattr(docs, "PAGE_FILES", tmp_path / "gone")

    assert client.get("/docs").status_code == 200
    assert client.get("/docs/init.js").status_code == 200
