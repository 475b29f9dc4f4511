{%- if cookiecutter.database == "mongodb" -%}
"""The command line: serve the app (MongoDB needs no migrations; see the README)."""
{%- else -%}
"""The command line: serve the app (the default) or migrate its database."""
{%- endif %}

from __future__ import annotations

import argparse
{%- if cookiecutter.database != "mongodb" %}
import asyncio
{%- endif %}
import logging
import sys

from pydantic import ValidationError
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
{%- endif %}

from .config import Settings
{%- if cookiecutter.database != "mongodb" %}
from .db import migrate
{%- endif %}
from .log import configure_logging
from .server import serve

logger = logging.getLogger(__package__)


def main(argv: list[str] | None = None) -> int:
{%- if cookiecutter.database == "mongodb" %}
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
        description="Run the API server; it creates its MongoDB indexes at start.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve"],
        help="serve: run uvicorn on HOST:PORT",
    )
{%- else %}
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
        description="Run the API server (the default) or apply database migrations.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate"],
        help="serve: run uvicorn on HOST:PORT; migrate: alembic upgrade head",
    )
{%- endif %}
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        configure_logging("info")
        for error in exc.errors():
            logger.error(
                "configuration error: %s", error["msg"].removeprefix("Value error, ")
            )
        return 2
    configure_logging(settings.log_level)
{%- if cookiecutter.database != "mongodb" %}
    # Development databases follow the code; production migrates on purpose. (The
    # app migrates too in development; done here first, workers never race to it.)
    if args.command == "migrate" or settings.app_env == "development":
        try:
            asyncio.run(migrate(settings))
        except SQLAlchemyError as exc:
            url = make_url(settings.database_url).render_as_string(hide_password=True)
            logger.error("cannot migrate %s: %s", url, getattr(exc, "orig", exc))
            return 1
        logger.info("the database schema is up to date")
{%- endif %}
    if args.command == "serve":
        serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
