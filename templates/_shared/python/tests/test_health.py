"""GET /health: a real round trip to the database, and 503 when there is none."""

from __future__ import annotations

from collections.abc import Callable
{%- if cookiecutter.database == "sqlite" %}
from pathlib import Path
{%- endif %}

import support


def test_when_the_database_answers_then_health_is_ok(client: support.Client) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_when_the_database_is_unreachable_then_health_and_api_answer_503(
    make_client: Callable[..., support.Client],
{%- if cookiecutter.database == "sqlite" %}
    tmp_path: Path,
{%- endif %}
    password: str,
) -> None:
{%- if cookiecutter.database == "sqlite" %}
    # A file in a folder that does not exist cannot be opened.
    client = make_client(database_url=f"sqlite:///{tmp_path}/missing/app.db")
{%- elif cookiecutter.database == "mongodb" %}
    # Nothing listens on port 1; a short server selection keeps the test quick.
    client = make_client(
        database_url="mongodb://127.0.0.1:1/nowhere?serverSelectionTimeoutMS=200"
    )
{%- else %}
    # Nothing listens on port 1, so connecting fails at once.
    client = make_client(
        database_url="postgresql://postgres:postgres@127.0.0.1:1/nowhere"
    )
{%- endif %}

    health = client.get("/health")
{%- if cookiecutter.auth == "none" %}
    api = client.post(
        "/api/users", json={"email": "ada@example.com", "password": password}
    )
{%- else %}
    api = client.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": password}
    )
{%- endif %}

    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "unavailable"}
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "service_unavailable"
