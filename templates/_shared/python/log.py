"""Logging, configured once per process, with the request id in every line."""

from __future__ import annotations

import logging
import logging.config
{%- if cookiecutter._framework == "fastapi" %}
from contextvars import ContextVar
from typing import Any
{%- else %}
from collections.abc import Mapping
from typing import Any

from flask import g, has_request_context
{%- endif %}

FORMAT = (
    "%(asctime)s %(levelname)s [%(process)d] [%(request_id)s] %(name)s: %(message)s"
)
{%- if cookiecutter._framework == "fastapi" %}

# Set by the request middleware for the task serving each request.
request_id: ContextVar[str] = ContextVar("request_id", default="-")
{%- endif %}


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id, or "-" outside one."""

    def filter(self, record: logging.LogRecord) -> bool:
{%- if cookiecutter._framework == "fastapi" %}
        record.request_id = request_id.get()
{%- else %}
        request_id = g.get("request_id") if has_request_context() else None
        if request_id is None and isinstance(record.args, Mapping):
            # gunicorn writes access lines after the request, from the response.
            request_id = record.args.get("{x-request-id}o")
        record.request_id = request_id or "-"
{%- endif %}
        return True

{% set server = "uvicorn" if cookiecutter._framework == "fastapi" else "gunicorn" %}
def logging_config(level: str) -> dict[str, Any]:
    """The dictConfig for the app and for {{ server }}'s own loggers alike."""
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
            "{% if cookiecutter._framework == 'fastapi' %}uvicorn{% else %}gunicorn.error{% endif %}": {
                "level": level.upper(),
                "handlers": ["default"],
                "propagate": False,
            },
{%- if cookiecutter._framework == "fastapi" %}
            "uvicorn.error": {"level": level.upper()},
{%- endif %}
            "{{ server }}.access": {
                "level": "INFO",
                "handlers": ["access"],
                "propagate": False,
            },
        },
    }


def configure_logging(level: str) -> None:
    logging.config.dictConfig(logging_config(level))
