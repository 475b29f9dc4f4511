"""Renders every error, ours or Werkzeug's, as the contract's JSON envelope."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
{%- if cookiecutter.database == "mongodb" %}
from pymongo.errors import ConnectionFailure
{%- else %}
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
{%- endif %}
from werkzeug.exceptions import HTTPException

# The domain errors are raised from everywhere; they are imported from here.
from .exceptions import *  # noqa: F403
from .exceptions import (
    HTTP_ERRORS,
    APIError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServiceUnavailable,
    UnsupportedMediaType,
)

logger = logging.getLogger(__name__)


# Werkzeug's own errors (routing, body size, ...) mapped onto the contract's codes,
# with our message where the cause is ours too. A 400 of Werkzeug's can have any
# cause; a status not listed here keeps Werkzeug's name for it.
HTTP_CODES = {
    **{status: error.code for status, error in HTTP_ERRORS.items()},
    RateLimited.status: RateLimited.code,
}
HTTP_MESSAGES = {
    400: "Bad request",
    **{
        error.status: error.message
        for error in (NotFound, MethodNotAllowed, PayloadTooLarge, UnsupportedMediaType)
    },
}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, object] = {"code": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    response = jsonify(error=body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        # The traceback goes to the log only; the client gets a generic answer.
        logger.error("unhandled error", exc_info=error)
        internal = APIError()
        return error_response(internal.status, internal.code, internal.message)

    @app.errorhandler(APIError)
    def _api_error(error: APIError) -> Response:
        return error_response(
            error.status, error.code, error.message, error.fields, error.headers
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        if status >= 500:
            return _unexpected(error)
        allow = {name: value for name, value in error.get_headers() if name == "Allow"}
        return error_response(
            status,
            HTTP_CODES.get(status, "bad_request"),
            HTTP_MESSAGES.get(status, error.name),
            headers=allow,
        )
{% if cookiecutter.database == "mongodb" %}
    # Covers server selection timeouts, refused connections and dropped sockets.
    @app.errorhandler(ConnectionFailure)
{%- else %}
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeoutError)
{%- endif %}
    def _database_down(error: Exception) -> Response:
        logger.warning("database unavailable: %s", getattr(error, "orig", error))
        down = ServiceUnavailable()
        return error_response(down.status, down.code, down.message)
