"""GET /openapi.json and /docs: the document matches the routes actually served."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from {{ cookiecutter.package_name }}.api import docs

# The page and its script describe the API, they are not part of it.
DOCS_ROUTES = {"/docs", "/docs/init.js"}
PAGE_FILES = files("{{ cookiecutter.package_name }}") / "docs"


def shipped(name: str) -> str:
    """A file of the docs page as the installed package holds it."""
    return (PAGE_FILES / name).read_text("utf-8")


def served_operations(app: Flask) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if rule.rule in DOCS_ROUTES:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods or ():
            if method not in {"HEAD", "OPTIONS"}:
                operations.add((path, method.lower()))
    return operations


def test_when_the_document_is_fetched_then_it_describes_exactly_the_served_routes(
    app: Flask, client: FlaskClient
) -> None:
    document = client.get("/openapi.json").get_json()

    described = {
        (path, method) for path, item in document["paths"].items() for method in item
    }
    assert document["openapi"].startswith("3.1")
    assert described == served_operations(app)


def test_when_the_document_is_fetched_then_errors_use_the_envelope(
    client: FlaskClient,
) -> None:
    document = client.get("/openapi.json").get_json()

    get_user = document["paths"]["/api/users/{user_id}"]["get"]
    not_found = document["components"]["responses"]["NotFound"]
    assert get_user["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    assert not_found["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
{%- if cookiecutter.auth != "none" %}


def test_when_the_document_is_fetched_then_it_names_the_auth_scheme(
    client: FlaskClient,
) -> None:
    document = client.get("/openapi.json").get_json()
{%- if cookiecutter.auth == "jwt" %}

    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
{%- else %}

    scheme = document["components"]["securitySchemes"]["cookieAuth"]
    assert scheme == {"type": "apiKey", "in": "cookie", "name": "session_id"}
{%- endif %}
    assert document["paths"]["/api/auth/login"]["post"]["security"] == []
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
