"""GET /openapi.json and /docs: the document matches the routes actually served."""

from __future__ import annotations

import re
{%- if cookiecutter._framework == "flask" %}
from collections.abc import Callable
{%- endif %}
from importlib.resources import files
{%- if cookiecutter._framework == "flask" %}
from pathlib import Path
{%- endif %}
from typing import Any

import pytest
{%- if cookiecutter._framework == "flask" %}
from flask import Flask
{%- endif %}

import support
{%- if cookiecutter._framework == "flask" %}
from {{ cookiecutter.package_name }}.api import docs
{%- endif %}
from {{ cookiecutter.package_name }}.registry import RESOURCES
from {{ cookiecutter.package_name }}.schemas import Error, UserCreate, ValidationError

# The document and the page that shows it describe the API, they are not part of it.
DOCS_ROUTES = {"/openapi.json", "/docs", "/docs/init.js"}
# The docs page, its script and its CSP, as the package ships them.
PAGE_FILES = files("{{ cookiecutter.package_name }}") / "docs"
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


def shipped(name: str) -> str:
    """A file of the docs page as the installed package holds it."""
    return (PAGE_FILES / name).read_text("utf-8")


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def of_a_resource(path: str) -> bool:
    """Whether `path` belongs to a registered resource (its own tests check it)."""
    return any(
        path == resource.path or path.startswith(resource.path + "/")
        for resource in RESOURCES
    )


def answer_schema(operation: dict[str, Any], status: str) -> Any:
    return operation["responses"][status]["content"]["application/json"]["schema"]


def described(scheme: dict[str, Any]) -> dict[str, Any]:
    """A security scheme without its free-text description, which a stack may add."""
    return {key: value for key, value in scheme.items() if key != "description"}


def test_when_the_document_is_fetched_then_it_describes_exactly_the_contract(
    client: support.Client,
) -> None:
    document = client.get("/openapi.json").json()

    assert document["openapi"] == "3.1.0"
    assert {
        key: operation["operationId"]
        for key, operation in operations(document).items()
        if not of_a_resource(key[0])
    } == OPERATION_IDS


def test_when_the_document_is_fetched_then_every_error_is_the_envelope(
    client: support.Client,
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
    get_user = document["paths"]["/api/users/{id}"]["get"]
    assert answer_schema(get_user, "404") == {"$ref": "#/components/schemas/Error"}
    # An id that is no id is a 404, never a 422 (FastAPI would guess one).
    assert "422" not in get_user["responses"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_when_an_operation_takes_a_body_then_its_body_errors_are_documented(
    client: support.Client,
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


def test_when_the_document_is_fetched_then_its_schemas_are_the_models_that_validate(
    client: support.Client,
) -> None:
    components = client.get("/openapi.json").json()["components"]["schemas"]

    assert components["UserCreate"] == UserCreate.model_json_schema()
    assert components["UserCreate"]["additionalProperties"] is False
    assert set(components["UserCreate"]["required"]) == {"email", "password"}
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
    client: support.Client,
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
{%- if cookiecutter.auth != "none" %}


def test_when_the_document_is_fetched_then_it_names_the_auth_scheme(
    client: support.Client,
) -> None:
    document = client.get("/openapi.json").json()
{%- if cookiecutter.auth == "jwt" %}

    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert described(scheme) == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    signed_in = [{"bearerAuth": []}]
{%- else %}

    scheme = document["components"]["securitySchemes"]["cookieAuth"]
    assert described(scheme) == {"type": "apiKey", "in": "cookie", "name": "session_id"}
    signed_in = [{"cookieAuth": []}]
{%- endif %}
    assert document["paths"]["/api/auth/me"]["get"]["security"] == signed_in
    assert document["paths"]["/api/users"]["get"]["security"] == signed_in
    # Public operations name no scheme, and the document sets no default.
    assert "security" not in document["paths"]["/api/auth/login"]["post"]
    assert "security" not in document
{%- endif %}


def test_when_the_document_is_fetched_then_the_docs_routes_are_not_in_it(
    client: support.Client,
) -> None:
    document = client.get("/openapi.json").json()

    assert not DOCS_ROUTES & set(document["paths"])
    # Nor any other docs page a framework might bring.
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404


@pytest.mark.parametrize(
    ("path", "content_type", "name"),
    [
        ("/docs", "text/html; charset=utf-8", "docs.html"),
        ("/docs/init.js", "text/javascript; charset=utf-8", "init.js"),
    ],
)
def test_when_a_docs_file_is_fetched_then_it_is_the_pinned_file_under_its_csp(
    client: support.Client, path: str, content_type: str, name: str
) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.text == shipped(name)
    assert response.headers["Content-Security-Policy"] == shipped("csp.txt").strip()
    assert "X-Frame-Options" in response.headers


def test_when_the_docs_script_is_fetched_then_it_starts_swagger_ui_on_the_document(
    client: support.Client,
) -> None:
    assert "/openapi.json" in client.get("/docs/init.js").text


def test_when_the_docs_page_loads_then_every_script_is_a_file_and_pinned(
    client: support.Client,
) -> None:
    page = client.get("/docs").text

    scripts = re.findall(r"<script\b[^>]*>", page)
    remote = [tag for tag in scripts if "https://" in tag]

    # No inline script: the CSP allows none.
    assert scripts
    assert all(" src=" in tag for tag in scripts)
    assert '<script src="/docs/init.js">' in scripts
    # Swagger UI at a fixed version, checked by the browser against its hash.
    assert any("swagger-ui-dist@5." in tag for tag in remote)
    assert all('integrity="sha384-' in tag for tag in remote)
    assert all('crossorigin="anonymous"' in tag for tag in remote)


def test_when_the_csp_is_sent_then_scripts_come_only_from_files(
    client: support.Client,
) -> None:
    policy = client.get("/docs").headers["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "frame-ancestors" in directives
{%- if cookiecutter._framework == "flask" %}


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


def test_when_the_document_is_fetched_then_it_describes_exactly_the_served_routes(
    app: Flask, client: support.Client
) -> None:
    document = client.get("/openapi.json").json()

    assert set(operations(document)) == served_operations(app)


def test_when_the_app_is_built_then_the_page_is_read_once_not_per_request(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    client = make_app().test_client()
    monkeypatch.setattr(docs, "PAGE_FILES", tmp_path / "gone")

    assert client.get("/docs").status_code == 200
    assert client.get("/docs/init.js").status_code == 200
{%- endif %}
