"""The domain errors, each with the status, code and message of its JSON envelope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


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


# What the framework itself answers (routing, body rules), by status, as ours.
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


def field_errors(
    errors: Iterable[Mapping[str, Any]], sources: frozenset[str] = frozenset()
) -> dict[str, str]:
    """One readable message per offending field, as the error envelope shows it.

    `errors` are pydantic's; a location that starts with one of `sources` (the part
    of the request it was found in) is named without it.
    """
    fields: dict[str, str] = {}
    for error in errors:
        location = list(error["loc"])
        if location and location[0] in sources:
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
