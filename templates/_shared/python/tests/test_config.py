"""Settings: read from the environment and .env, and refused when unsafe."""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.config import Settings

STRONG = "k3Y" * 16


def test_when_production_gets_a_short_secret_then_it_refuses_to_start() -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(_env_file=None, app_env="production", secret_key="short")


def test_when_production_gets_a_placeholder_secret_then_it_refuses_to_start() -> None:
    placeholder = "change-me-to-a-random-string-of-at-least-32-characters"

    with pytest.raises(ValidationError, match="placeholder"):
        Settings(_env_file=None, app_env="production", secret_key=placeholder)


def test_when_no_secret_is_set_then_even_development_refuses() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY is not set"):
        Settings(_env_file=None, app_env="development")


def test_when_production_gets_a_strong_secret_then_it_starts() -> None:
    settings = Settings(_env_file=None, app_env="production", secret_key=STRONG)

    assert settings.is_production


def test_when_variables_are_in_the_environment_then_they_win_over_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(
        f"SECRET_KEY={STRONG}\nLOG_LEVEL=warning\nPORT=6000\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORT", "7000")

    settings = Settings()

    assert settings.secret_key == STRONG
    assert settings.log_level == "warning"
    assert settings.port == 7000


def test_when_urls_and_origins_come_as_text_then_they_are_normalised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
{%- if cookiecutter.database == "mongodb" %}
    monkeypatch.setenv("DATABASE_URL", "mongodb://db:27017/app")
{%- else %}
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5432/app")
{%- endif %}
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")

    settings = Settings(_env_file=None, secret_key=STRONG)
{%- if cookiecutter.database == "mongodb" %}

    assert settings.database_url == "mongodb://db:27017/app"
{%- else %}

    assert settings.database_url == "postgresql+psycopg://u:p@db:5432/app"
{%- endif %}
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.log_level == "debug"
{%- if cookiecutter.database == "mongodb" %}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:p@db:5432/app",
        "mongodb://db:27017",
        "mongodb://db/",
        "mongodb://localhost:27017",
    ],
)
def test_when_the_database_url_is_not_mongodb_with_a_name_then_it_is_refused(
    url: str,
) -> None:
    # The message says what a DATABASE_URL must be, with an example to copy.
    with pytest.raises(ValidationError, match="DATABASE_URL must"):
        Settings(_env_file=None, secret_key=STRONG, database_url=url)
{%- endif %}


def test_when_trusted_proxies_come_as_text_then_addresses_and_networks_are_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12,,2001:db8::/32 ")

    settings = Settings(_env_file=None, secret_key=STRONG)

    assert settings.trusted_proxies == [
        ip_network("10.0.0.1/32"),
        ip_network("172.16.0.0/12"),
        ip_network("2001:db8::/32"),
    ]


def test_when_trusted_proxies_are_not_set_then_none_is_trusted() -> None:
    assert Settings(_env_file=None, secret_key=STRONG).trusted_proxies == []


@pytest.mark.parametrize(
    "entry",
    ["proxy.internal", "10.0.0.0/33", "10.0.0.1/8", "10.0.0.256", "10.0.0.300", "*"],
)
def test_when_a_trusted_proxy_is_not_an_address_or_network_then_it_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", f"10.0.0.1,{entry}")

    with pytest.raises(ValidationError, match="TRUSTED_PROXIES"):
        Settings(_env_file=None, secret_key=STRONG)
