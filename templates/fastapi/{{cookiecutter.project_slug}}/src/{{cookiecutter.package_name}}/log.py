"""Logging, configured once per process, with the request id in every line."""

from __future__ import annotations

import logging
import logging.config
from contextvars import ContextVar
from typing import Any

FORMAT = (
    "%(asctime)s %(levelname)s [%(process)d] [%(request_id)s] %(name)s: %(message)s"
)

# Set by the request middleware for the task serving each request.
request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id, or "-" outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def logging_config(level: str) -> dict[str, Any]:
    """The dictConfig for the app and for uvicorn's own loggers alike."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": {"format": FORMAT}},
        "handlers": {
            "default": handler,
            "access": {**handler, "stream": "ext://sys.stdout"},
        },
        "root": {"level": level.upper(), "handlers": ["default"]},
        "loggers": {
            "uvicorn": {
                "level": level.upper(),
                "handlers": ["default"],
                "propagate": False,
            },
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {
                "level": "INFO",
                "handlers": ["access"],
                "propagate": False,
            },
        },
    }


def configure_logging(level: str) -> None:
    logging.config.dictConfig(logging_config(level))
