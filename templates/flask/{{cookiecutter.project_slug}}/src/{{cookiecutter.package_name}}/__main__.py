{%- if cookiecutter.database == "mongodb" -%}
"""The command line: serve the app with gunicorn, or create its MongoDB indexes."""
{%- else -%}
"""The command line: serve the app with gunicorn, or migrate its database."""
{%- endif %}

from __future__ import annotations

import logging
import sys
{%- if cookiecutter.database == "mongodb" %}

from pymongo.errors import PyMongoError
{%- endif %}

from .cli import run
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
{%- if cookiecutter.database == "mongodb" %}
    return run(
        argv,
        configure_logging=configure_logging,
        migrate=create_schema,
        serve=prepare_and_serve,
    )


def create_schema(settings: Settings) -> None:
    """Create the validator and indexes; raises PyMongoError if MongoDB is down."""
    client = make_client(settings)
    try:
        ensure_schema(client.get_default_database())
    finally:
        # Closed before gunicorn forks: a client must not cross a fork.
        client.close()
    logger.info("the database indexes are in place")


def prepare_and_serve(settings: Settings) -> None:
    """Create the indexes first; if MongoDB is down, workers retry on first use."""
    try:
        create_schema(settings)
    except PyMongoError as exc:
        logger.warning("cannot reach MongoDB yet, serving anyway: %s", exc)
    serve(settings)
{%- else %}
    return run(argv, configure_logging=configure_logging, migrate=migrate, serve=serve)


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
