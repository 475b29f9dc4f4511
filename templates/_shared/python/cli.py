{%- set server = "gunicorn" if cookiecutter._framework == "flask" else "uvicorn" -%}
"""The commands of `python -m`: what each does, what it needs and how it exits."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from pydantic import ValidationError
{%- if cookiecutter.database == "mongodb" %}
from pymongo.errors import PyMongoError
{%- else %}
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
{%- endif %}

from .config import Settings

logger = logging.getLogger(__package__)


def run(
    argv: list[str] | None,
    *,
    configure_logging: Callable[[str], None],
    migrate: Callable[[Settings], None],
    serve: Callable[[Settings], None],
) -> int:
    """Run the command `argv` names; 1 if migrating failed, 2 if the settings did."""
    command = parse_command(argv)
    settings = load_settings(configure_logging)
    if settings is None:
        return 2
{%- if cookiecutter.database == "mongodb" %}
    if command == "migrate":
        # Unlike serve, a deploy step must fail when the indexes could not be made.
        try:
            migrate(settings)
        except PyMongoError as exc:
            logger.error("cannot create the MongoDB indexes: %s", exc)
            return 1
        return 0
{%- else %}
    # Development databases follow the code; production migrates on purpose. (The
    # app migrates too in development; done here first, workers never race to it.)
    if command == "migrate" or settings.app_env == "development":
        try:
            migrate(settings)
        except SQLAlchemyError as exc:
            url = make_url(settings.database_url).render_as_string(hide_password=True)
            logger.error("cannot migrate %s: %s", url, getattr(exc, "orig", exc))
            return 1
{%- endif %}
    if command == "serve":
        serve(settings)
    return 0


def parse_command(argv: list[str] | None = None) -> str:
    """`serve` (the default) or `migrate`, as the command line asks."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
{%- if cookiecutter.database == "mongodb" %}
        description="Run the API server (the default) or create the indexes.",
{%- else %}
        description="Run the API server (the default) or apply database migrations.",
{%- endif %}
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate"],
{%- if cookiecutter.database == "mongodb" %}
        help="serve: run {{ server }} on HOST:PORT; migrate: the validator and indexes",
{%- else %}
        help="serve: run {{ server }} on HOST:PORT; migrate: alembic upgrade head",
{%- endif %}
    )
    command: str = parser.parse_args(argv).command
    return command


def load_settings(configure_logging: Callable[[str], None]) -> Settings | None:
    """The settings, once logging is configured at their level; None if invalid.

    Each error is logged at the default level instead. `configure_logging` is
    `log.configure_logging`, named by the caller: its tests leave pytest's own.
    """
    try:
        settings = Settings()
    except ValidationError as exc:
        configure_logging("info")
        for error in exc.errors():
            logger.error(
                "configuration error: %s", error["msg"].removeprefix("Value error, ")
            )
        return None
    configure_logging(settings.log_level)
    return settings
