"""Domain errors with their HTTP status, and the one place that renders every error."""

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

logger = logging.getLogger(__name__)


class APIError(Exception):
    """Raised for any failure that the client should see as the JSON error envelope."""

    status = 500
    code = "internal_error"
    message = "Internal server error"

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.fields = fields
        self.headers = headers or {}


class BadRequest(APIError):
    """Raised when the body is not valid JSON or not a JSON object."""

    status, code, message = 400, "bad_request", "Request body must be a JSON object"


class Unauthorized(APIError):
    """Raised when credentials are missing, malformed, expired or revoked."""

    status, code, message = 401, "unauthorized", "Authentication required"


class InvalidCredentials(APIError):
    """Raised when a login fails, whether the email or the password was wrong."""

    status, code, message = 401, "invalid_credentials", "Invalid email or password"


class Forbidden(APIError):
    """Raised when a signed-in user may not do what they asked."""

    status, code, message = 403, "forbidden", "Not allowed"


class NotFound(APIError):
    """Raised when the thing asked for does not exist."""

    status, code, message = 404, "not_found", "Not found"


class Conflict(APIError):
    """Raised when a unique value is already taken."""

    status, code, message = 409, "conflict", "Already exists"


class ValidationFailed(APIError):
    """Raised when well-formed input breaks the rules; `fields` says which."""

    status, code, message = 422, "validation_error", "Request validation failed"


class RateLimited(APIError):
    """Raised when a client has failed too often; carries Retry-After."""

    status, code, message = 429, "rate_limited", "Too many failed attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(headers={"Retry-After": str(retry_after)})


class ServiceUnavailable(APIError):
    """Raised when the database cannot be reached."""

    status, code = 503, "service_unavailable"
    message = "The service is temporarily unavailable"


# Werkzeug's own errors (routing, body size, ...) mapped onto the contract's codes.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}
HTTP_MESSAGES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body is larger than 1 MiB",
    415: "Content-Type must be application/json",
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
