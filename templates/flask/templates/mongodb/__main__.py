"""The command line: serve the app; MongoDB needs no migrations, only its indexes."""

from __future__ import annotations

import argparse
import logging
import sys

from pydantic import ValidationError
from pymongo.errors import PyMongoError

from .config import Settings
from .db import ensure_schema, make_client
from .log import configure_logging
from .server import serve

logger = logging.getLogger(__package__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
        description="Run the API server on HOST:PORT with gunicorn.",
    )
    parser.add_argument("command", nargs="?", default="serve", choices=["serve"])
    parser.parse_args(argv)
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
    prepare(settings)
    serve(settings)
    return 0


def prepare(settings: Settings) -> None:
    """Create the indexes now; if MongoDB is down, workers retry on first use."""
    client = make_client(settings)
    try:
        ensure_schema(client.get_default_database())
        logger.info("the database indexes are in place")
    except PyMongoError as exc:
        logger.warning("cannot reach MongoDB yet, serving anyway: %s", exc)
    finally:
        # Closed before gunicorn forks: a client must not cross a fork.
        client.close()


if __name__ == "__main__":
    sys.exit(main())
