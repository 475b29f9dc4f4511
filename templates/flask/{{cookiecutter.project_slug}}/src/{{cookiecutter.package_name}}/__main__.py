{%- if cookiecutter.database == "mongodb" -%}
"""The command line: serve the app (the default) or create its MongoDB indexes."""
{%- else -%}
"""The command line: serve the app (the default) or migrate its database."""
{%- endif %}

from __future__ import annotations

import argparse
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
{%- if cookiecutter.database == "mongodb" %}
from .db import ensure_schema, make_client
{%- else %}
from .db import make_engine, run_migrations
{%- endif %}
from .log import configure_logging
from .server import serve

logger = logging.getLogger(__package__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
{%- if cookiecutter.database == "mongodb" %}
        description="Run the API server (the default) or create the indexes.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate"],
        help="serve: run gunicorn on HOST:PORT; migrate: the validator and indexes",
    )
    args = parser.parse_args(argv)
{%- else %}
        description="Run the API server (the default) or apply database migrations.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate"],
        help="serve: run gunicorn on HOST:PORT; migrate: alembic upgrade head",
    )
    args = parser.parse_args(argv)
{%- endif %}
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
        # Unlike serve, a deploy step must fail when the indexes could not be made.
        try:
            create_schema(settings)
        except PyMongoError as exc:
            logger.error("cannot create the MongoDB indexes: %s", exc)
            return 1
        return 0
    prepare(settings)
    serve(settings)
{%- else %}
    # Development databases follow the code; production migrates on purpose.
    if args.command == "migrate" or settings.app_env == "development":
        try:
            migrate(settings)
        except SQLAlchemyError as exc:
            url = make_url(settings.database_url).render_as_string(hide_password=True)
            logger.error("cannot migrate %s: %s", url, getattr(exc, "orig", exc))
            return 1
    if args.command == "serve":
        serve(settings)
{%- endif %}
    return 0
{%- if cookiecutter.database == "mongodb" %}


def create_schema(settings: Settings) -> None:
    """Create the validator and indexes; raises PyMongoError if MongoDB is down."""
    client = make_client(settings)
    try:
        ensure_schema(client.get_default_database())
    finally:
        # Closed before gunicorn forks: a client must not cross a fork.
        client.close()
    logger.info("the database indexes are in place")


def prepare(settings: Settings) -> None:
    """Create the indexes now; if MongoDB is down, workers retry on first use."""
    try:
        create_schema(settings)
    except PyMongoError as exc:
        logger.warning("cannot reach MongoDB yet, serving anyway: %s", exc)
{%- else %}


def migrate(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        run_migrations(engine)
    finally:
        engine.dispose()
    logger.info("the database schema is up to date")
{%- endif %}


if __name__ == "__main__":
    sys.exit(main())
