{%- if cookiecutter.database == "mongodb" -%}
"""The command line: serve the app (the default) or create its MongoDB indexes."""
{%- else -%}
"""The command line: serve the app (the default) or migrate its database."""
{%- endif %}

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError
{%- if cookiecutter.database == "mongodb" %}
from pymongo.errors import PyMongoError
{%- else %}
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
{%- endif %}

from .config import Settings
{%- if cookiecutter.database != "mongodb" %}
from .db import migrate
{%- endif %}
from .log import configure_logging
{%- if cookiecutter.database == "mongodb" %}
from .mongo import create_indexes, default_database, make_client
{%- endif %}
from .server import serve

logger = logging.getLogger(__package__)


def main(argv: list[str] | None = None) -> int:
{%- if cookiecutter.database == "mongodb" %}
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
        description="Run the API server (the default) or create the indexes.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate"],
        help="serve: run uvicorn on HOST:PORT; migrate: the validator and indexes",
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
{%- if cookiecutter.database == "mongodb" %}
    if args.command == "migrate":
        # The server makes them at every start and serves even without MongoDB;
        # a deploy step must fail instead when they could not be made.
        try:
            asyncio.run(create_schema(settings))
        except PyMongoError as exc:
            logger.error("cannot create the MongoDB indexes: %s", exc)
            return 1
        logger.info("the database indexes are in place")
        return 0
{%- else %}
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
{%- if cookiecutter.database == "mongodb" %}


async def create_schema(settings: Settings) -> None:
    """Create the validator and indexes; raises PyMongoError if MongoDB is down."""
    client = make_client(settings)
    try:
        await create_indexes(default_database(client))
    finally:
        await client.close()
{%- endif %}


if __name__ == "__main__":
    sys.exit(main())
