"""The health check, with a real round trip to the database."""

from __future__ import annotations

import logging

from flask import Blueprint
from sqlalchemy.exc import SQLAlchemyError

from ..db import db, ping

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


@bp.get("/health")
def health() -> tuple[dict[str, str], int]:
    try:
        ping(db.engine)
    except SQLAlchemyError as exc:
        logger.warning("health check failed: %s", getattr(exc, "orig", exc))
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}, 200
