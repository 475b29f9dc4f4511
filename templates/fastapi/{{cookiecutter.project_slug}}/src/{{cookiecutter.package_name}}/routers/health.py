"""The health check, with a real round trip to the database."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
{%- if cookiecutter.database == "mongodb" %}
from pymongo.errors import PyMongoError

from ..dependencies import PlainDatabase
from ..errors import error_responses
from ..mongo import ping
{%- else %}
from sqlalchemy.exc import SQLAlchemyError

from ..db import ping
from ..dependencies import Engine
from ..errors import error_responses
{%- endif %}
from ..schemas import Health

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)


@router.get(
    "/health",
    summary="Check the service and its database",
    operation_id="getHealth",
    response_model=Health,
    responses={
        **error_responses(),
        503: {"model": Health, "description": "The database is unreachable."},
    },
)
{%- if cookiecutter.database == "mongodb" %}
async def health(database: PlainDatabase) -> Health | JSONResponse:
    try:
        await ping(database)
    except PyMongoError as exc:
        logger.warning("health check failed: %s", exc)
{%- else %}
async def health(engine: Engine) -> Health | JSONResponse:
    try:
        await ping(engine)
    except SQLAlchemyError as exc:
        logger.warning("health check failed: %s", getattr(exc, "orig", exc))
{%- endif %}
        down = Health(status="error", database="unavailable")
        return JSONResponse(down.model_dump(), status_code=503)
    return Health(status="ok", database="ok")
