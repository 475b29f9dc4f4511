"""The health check, with a real round trip to the database."""

from __future__ import annotations

import logging

from flask import Blueprint
{%- if cookiecutter.database == "mongodb" %}
from pymongo.errors import PyMongoError
{%- else %}
from sqlalchemy.exc import SQLAlchemyError
{%- endif %}

from ..db import db, ping

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


@bp.get("/health")
def health() -> tuple[dict[str, str], int]:
    try:
{%- if cookiecutter.database == "mongodb" %}
        ping(db.client)
    except PyMongoError as exc:
{%- else %}
        ping(db.engine)
    except SQLAlchemyError as exc:
{%- endif %}
        logger.warning("health check failed: %s", getattr(exc, "orig", exc))
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}, 200
