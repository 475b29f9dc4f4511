{%- if cookiecutter.database == "mongodb" -%}
"""The command line: serve the app with uvicorn, or create its MongoDB indexes."""
{%- else -%}
"""The command line: serve the app with uvicorn, or migrate its database."""
{%- endif %}

from __future__ import annotations

import asyncio
import logging
import sys

from .cli import run
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
    # The server makes the indexes at every start and serves even without MongoDB.
    return run(
        argv, configure_logging=configure_logging, migrate=create_schema, serve=serve
    )


def create_schema(settings: Settings) -> None:
    """Create the validator and indexes; raises PyMongoError if MongoDB is down."""
    asyncio.run(_create_indexes(settings))
    logger.info("the database indexes are in place")


async def _create_indexes(settings: Settings) -> None:
    client = make_client(settings)
    try:
        await create_indexes(default_database(client))
    finally:
        await client.close()
{%- else %}
    return run(
        argv, configure_logging=configure_logging, migrate=migrate_now, serve=serve
    )


def migrate_now(settings: Settings) -> None:
    asyncio.run(migrate(settings))
    logger.info("the database schema is up to date")
{%- endif %}


if __name__ == "__main__":
    sys.exit(main())
