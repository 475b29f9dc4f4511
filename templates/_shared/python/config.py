"""Typed settings read from the environment and `.env`, checked at start."""

from __future__ import annotations

from typing import Annotated, Literal
{%- if cookiecutter.database == "mongodb" %}
from urllib.parse import urlsplit
{%- endif %}

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .proxies import Network, parse_networks

MIN_SECRET_LENGTH = 32
# Values copied from examples and docs that must never sign anything real.
PLACEHOLDER_MARKERS = ("change-me", "changeme", "change_me", "placeholder")

{%- if cookiecutter.database == "mongodb" %}
DEFAULT_DATABASE_URL = f"mongodb://localhost:27017/{__package__}"
MONGODB_SCHEMES = ("mongodb://", "mongodb+srv://")
{%- else %}
{%- if cookiecutter.database == "postgres" %}
DEFAULT_DATABASE_URL = f"postgresql://postgres:postgres@localhost:5432/{__package__}"
{%- else %}
DEFAULT_DATABASE_URL = "sqlite:///./app.db"
{%- endif %}
{%- if cookiecutter._framework == "fastapi" %}
# Plain URLs name the async drivers this project installs.
DRIVERS = {
    "sqlite://": "sqlite+aiosqlite://",
    "postgresql://": "postgresql+psycopg://",
    "postgres://": "postgresql+psycopg://",
}
{%- else %}
# Plain PostgreSQL URLs name the psycopg 3 driver this project installs.
DRIVERS = {
    "postgresql://": "postgresql+psycopg://",
    "postgres://": "postgresql+psycopg://",
}
{%- endif %}


def normalize_database_url(url: str) -> str:
    """Point plain URLs at the drivers this project installs."""
    for plain, driver in DRIVERS.items():
        if url.startswith(plain):
            return driver + url.removeprefix(plain)
    return url
{%- endif %}


class Settings(BaseSettings):
    """Everything the app reads from its environment; real variables win over .env."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    app_env: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(default={% if cookiecutter._framework == "fastapi" %}8000{% else %}5000{% endif %}, ge=1, le=65535)
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
{%- if cookiecutter.auth == "jwt" %}
    access_token_expires: int = Field(default=900, ge=1)
{%- elif cookiecutter.auth == "session" %}
    session_expires: int = Field(default=86400, ge=1)
{%- endif %}
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Proxies whose X-Forwarded-For is believed; empty: the peer is the client.
    trusted_proxies: Annotated[list[Network], NoDecode] = Field(default_factory=list)
{%- if cookiecutter.auth != "none" %}
    login_rate_limit: int = Field(default=5, ge=1)
{%- endif %}
    log_level: Literal["debug", "info", "warning", "error"] = "info"
{%- if cookiecutter._framework == "fastapi" %}
    web_concurrency: int = Field(default=1, ge=1)
{%- else %}
    # gunicorn's worker processes, and the threads of each.
    web_concurrency: int = Field(default=2, ge=1)
    web_threads: int = Field(default=4, ge=1)
{%- endif %}

    @field_validator("database_url")
    @classmethod
{%- if cookiecutter.database == "mongodb" %}
    def _name_a_database(cls, value: str) -> str:
        # The database comes from the URL's path: mongodb://host:27017/name.
        if not value.startswith(MONGODB_SCHEMES):
            raise ValueError("DATABASE_URL must be a mongodb:// URL")
        if not urlsplit(value).path.strip("/"):
            raise ValueError("DATABASE_URL must name a database: mongodb://host/name")
        return value
{%- else %}
    def _use_installed_driver(cls, value: str) -> str:
        return normalize_database_url(value)
{%- endif %}

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _parse_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_networks(value)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _enforce_secret(self) -> Settings:
        if not self.secret_key:
            raise ValueError(
                "SECRET_KEY is not set: put one in .env "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
        if self.is_production and (
            len(self.secret_key) < MIN_SECRET_LENGTH
            or any(mark in self.secret_key.lower() for mark in PLACEHOLDER_MARKERS)
        ):
            raise ValueError(
                f"SECRET_KEY must be a random value of at least {MIN_SECRET_LENGTH} "
                "characters in production, not a placeholder"
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"
{%- if cookiecutter.database != "mongodb" %}

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
{%- endif %}
