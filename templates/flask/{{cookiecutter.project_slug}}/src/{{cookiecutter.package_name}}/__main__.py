{%- if cookiecutter.database == "mongodb" %}{% include "mongodb/__main__.py" %}{% else -%}
"""The command line: serve the app (the default) or migrate its database."""

from __future__ import annotations

import argparse
import logging
import sys

from pydantic import ValidationError
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from .config import Settings
from .db import make_engine, run_migrations
from .log import configure_logging
from .server import serve

logger = logging.getLogger(__package__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
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
    return 0


def migrate(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        run_migrations(engine)
    finally:
        engine.dispose()
    logger.info("the database schema is up to date")


if __name__ == "__main__":
    sys.exit(main())
{% endif %}