"""Renders every error, ours or Starlette's, as the contract's JSON envelope."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
{%- if cookiecutter.database == "mongodb" %}
from pymongo.errors import ConnectionFailure
{%- else %}
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
{%- endif %}
from starlette.exceptions import HTTPException

from . import schemas

# The domain errors are raised from everywhere; they are imported from here.
from .exceptions import *  # noqa: F403
from .exceptions import (
    HTTP_ERRORS,
    APIError,
    BadRequest,
    PayloadTooLarge,
    RateLimited,
    ServiceUnavailable,
    UnsupportedMediaType,
    ValidationFailed,
    field_errors,
)

logger = logging.getLogger(__name__)


def error_response(error: APIError) -> JSONResponse:
    """The error as its JSON envelope, with its status and headers."""
    body: schemas.Error | schemas.ValidationError
    if error.fields is None:
        body = schemas.Error(
            error=schemas.ErrorDetail(code=error.code, message=error.message)
        )
    else:
        body = schemas.ValidationError(
            error=schemas.ValidationErrorDetail(
                code=error.code, message=error.message, fields=error.fields
            )
        )
    return JSONResponse(
        body.model_dump(), status_code=error.status, headers=error.headers
    )


# Where a request's parts are validated; the envelope names the field alone.
PARAMETER_SOURCES = frozenset({"body", "query", "path", "header", "cookie"})

BODY_ERRORS = (BadRequest, PayloadTooLarge, UnsupportedMediaType, ValidationFailed)


def error_responses(*errors: type[APIError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI answers for these errors, and the 500 and 503 any route may give."""
    by_status: dict[int, list[type[APIError]]] = {}
    listed: tuple[type[APIError], ...] = (*errors, APIError, ServiceUnavailable)
    for error in listed:
        by_status.setdefault(error.status, []).append(error)
    responses: dict[int | str, dict[str, Any]] = {}
    for status, group in sorted(by_status.items()):
        # A 422 lists its fields; every other error is the plain envelope.
        invalid = ValidationFailed in group
        envelope = schemas.ValidationError if invalid else schemas.Error
        responses[status] = {
            "model": envelope,
            "description": "; ".join(f"`{e.code}`: {e.message}" for e in group),
        }
    if RateLimited in errors:
        responses[429]["headers"] = {
            "Retry-After": {
                "description": "Seconds until login may be tried again.",
                "schema": {"type": "integer"},
            }
        }
    return responses


def without_guessed_validation_errors(document: dict[str, Any]) -> dict[str, Any]:
    """The document without the 422 FastAPI adds to every route that has parameters.

    A route that can answer 422 says so through `error_responses`; FastAPI's guess
    would also document its own error body, which this API never sends, under the
    name of the contract's ValidationError.
    """
    guessed = {"$ref": "#/components/schemas/HTTPValidationError"}
    for item in document["paths"].values():
        for operation in item.values():
            answer = operation["responses"].get("422", {})
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if schema == guessed:
                del operation["responses"]["422"]
    components = document["components"]["schemas"]
    components.pop("HTTPValidationError", None)
    contract = schemas.ValidationError.model_json_schema(
        mode="serialization", ref_template="#/components/schemas/{model}"
    )
    contract.pop("$defs", None)
    components["ValidationError"] = contract
    return document


def from_validation_error(exc: RequestValidationError) -> APIError:
    """FastAPI's validation failure as the contract sees it: a 400 or a 422."""
    errors: Sequence[Any] = exc.errors()
    if any(error["type"] == "json_invalid" for error in errors):
        return BadRequest("Request body is not valid JSON")
    if any(tuple(error["loc"]) == ("body",) for error in errors):
        # The body as a whole is missing, null, or not an object.
        return BadRequest()
    return ValidationFailed(fields=field_errors(errors, PARAMETER_SOURCES))


def internal_error() -> JSONResponse:
    """The generic 500: the details go to the log, never to the client."""
    return error_response(APIError())


def register_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(_request: Request, error: APIError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def _invalid(
        _request: Request, error: RequestValidationError
    ) -> JSONResponse:
        return error_response(from_validation_error(error))

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code >= 500:
            logger.error("server error", exc_info=error)
            return internal_error()
        # Only Allow (on a 405) is worth passing on; the rest is the envelope's.
        headers = {k: v for k, v in (error.headers or {}).items() if k == "Allow"}
        api_error = HTTP_ERRORS.get(error.status_code, BadRequest)(headers=headers)
        api_error.status = error.status_code
        return error_response(api_error)
{%- if cookiecutter.database == "mongodb" %}

    # No server selected in time, a refused or dropped connection, a network timeout.
    @app.exception_handler(ConnectionFailure)
    async def _database_down(_request: Request, error: Exception) -> JSONResponse:
        logger.warning("database unavailable: %s", error)
{%- else %}

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeoutError)
    async def _database_down(_request: Request, error: Exception) -> JSONResponse:
        logger.warning("database unavailable: %s", getattr(error, "orig", error))
{%- endif %}
        return error_response(ServiceUnavailable())
