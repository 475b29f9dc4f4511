"""How the app reaches its database: the {% if cookiecutter.database == "mongodb" %}client options{% else %}async driver{% endif %} that DATABASE_URL selects."""

from __future__ import annotations
{%- if cookiecutter.database == "mongodb" %}

from {{ cookiecutter.package_name }}.mongo import client_options


def test_when_the_url_sets_client_options_then_they_win_over_the_defaults() -> None:
    options = client_options("mongodb://db/app?serverSelectionTimeoutMS=100")

    assert "serverSelectionTimeoutMS" not in options
    assert options["connectTimeoutMS"] == 3000
    assert options["tz_aware"] is True
{%- else %}

from {{ cookiecutter.package_name }}.config import Settings


def test_when_a_plain_sqlite_url_is_given_then_it_uses_the_async_driver() -> None:
    settings = Settings(
        _env_file=None, secret_key="k3Y" * 16, database_url="sqlite:///./app.db"
    )

    assert settings.database_url == "sqlite+aiosqlite:///./app.db"
{%- endif %}
