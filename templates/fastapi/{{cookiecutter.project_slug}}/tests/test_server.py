"""How production serves the app: uvicorn's options, from the settings."""

from __future__ import annotations

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.server import uvicorn_options

STRONG = "k3Y" * 16


def test_when_served_then_uvicorn_ignores_forwarded_headers() -> None:
    settings = Settings(_env_file=None, secret_key=STRONG, web_concurrency=3)

    options = uvicorn_options(settings)

    # The login rate limit keys on the peer address; a client must not pick its own.
    assert options["proxy_headers"] is False
    assert (options["host"], options["port"]) == ("127.0.0.1", 8000)
    assert options["workers"] == 3
