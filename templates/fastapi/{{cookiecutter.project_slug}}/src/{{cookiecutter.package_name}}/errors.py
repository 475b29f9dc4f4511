"""Domain errors with their HTTP status, and the one place that renders every error."""

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

    def response(self) -> JSONResponse:
        body: schemas.Error | schemas.ValidationError
        if self.fields is None:
            body = schemas.Error(
                error=schemas.ErrorDetail(code=self.code, message=self.message)
            )
        else:
            body = schemas.ValidationError(
                error=schemas.ValidationErrorDetail(
                    code=self.code, message=self.message, fields=self.fields
                )
            )
        return JSONResponse(
            body.model_dump(), status_code=self.status, headers=self.headers
        )


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


class MethodNotAllowed(APIError):
    """Raised when a known route is asked with a method it does not serve."""

    status, code, message = 405, "method_not_allowed", "Method not allowed"


class Conflict(APIError):
    """Raised when a unique value is already taken."""

    status, code, message = 409, "conflict", "Already exists"


class PayloadTooLarge(APIError):
    """Raised when a request body grows past 1 MiB."""

    status, code = 413, "payload_too_large"
    message = "Request body is larger than 1 MiB"


class UnsupportedMediaType(APIError):
    """Raised when a POST, PUT or PATCH is not application/json, body or not."""

    status, code = 415, "unsupported_media_type"
    message = "Content-Type must be application/json"


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


# Starlette's own errors (routing, body parsing) mapped onto the contract's.
HTTP_ERRORS: dict[int, type[APIError]] = {
    error.status: error
    for error in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        PayloadTooLarge,
        UnsupportedMediaType,
    )
}
# Where a request's parts are validated; the envelope names the field alone.
PARAMETER_SOURCES = frozenset({"body", "query", "path", "header", "cookie"})

BODY_ERRORS = (BadRequest, PayloadTooLarge, UnsupportedMediaType, ValidationFailed)


def error_responses(*errors: type[APIError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI answers for these errors, and the 500 and 503 any route may give."""
    by_status: dict[int, list[type[APIError]]] = {}
    for error in (*errors, APIError, ServiceUnavailable):
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
    return ValidationFailed(fields=field_errors(errors))


def field_errors(errors: Sequence[Any]) -> dict[str, str]:
    """One readable message per offending field, as the error envelope shows it."""
    fields: dict[str, str] = {}
    for error in errors:
        location = list(error["loc"])
        if location and location[0] in PARAMETER_SOURCES:
            location = location[1:]
        name = ".".join(str(part) for part in location) or "body"
        if error["type"] == "extra_forbidden":
            message = "this field may not be set"
        elif error["type"] == "missing":
            message = "this field is required"
        else:
            message = error["msg"][0].lower() + error["msg"][1:]
        fields.setdefault(name, message)
    return fields


def internal_error() -> JSONResponse:
    """The generic 500: the details go to the log, never to the client."""
    return APIError().response()


def register_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(_request: Request, error: APIError) -> JSONResponse:
        return error.response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(
        _request: Request, error: RequestValidationError
    ) -> JSONResponse:
        return from_validation_error(error).response()

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, error: HTTPException) -> JSONResponse:
        if error.status_code >= 500:
            logger.error("server error", exc_info=error)
            return internal_error()
        # Only Allow (on a 405) is worth passing on; the rest is the envelope's.
        headers = {k: v for k, v in (error.headers or {}).items() if k == "Allow"}
        api_error = HTTP_ERRORS.get(error.status_code, BadRequest)(headers=headers)
        api_error.status = error.status_code
        return api_error.response()
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
        return ServiceUnavailable().response()
