"""GET /openapi.json and /docs: the document matches the routes actually served."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient


def served_operations(app: Flask) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
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


def test_when_the_docs_page_is_fetched_then_it_loads_the_document(
    client: FlaskClient,
) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b"/openapi.json" in response.data
