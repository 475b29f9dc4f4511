"""The OpenAPI 3.1 document of exactly what this project serves."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from . import schemas
{%- if cookiecutter.auth == "session" %}
from .api.guards import SESSION_COOKIE
{%- endif %}
from .{% if cookiecutter.database == "mongodb" %}documents{% else %}models{% endif %} import MAX_INT

# Request bodies are described as they are validated, answers as they are sent.
MODELS: list[tuple[type[BaseModel], JsonSchemaMode]] = [
{%- if cookiecutter.auth != "none" %}
    (schemas.LoginRequest, "validation"),
{%- endif %}
    (schemas.UserCreate, "validation"),
    (schemas.UserUpdate, "validation"),
    (schemas.UserOut, "serialization"),
    (schemas.UserPage, "serialization"),
{%- if cookiecutter.auth == "jwt" %}
    (schemas.TokenResponse, "serialization"),
{%- elif cookiecutter.auth == "session" %}
    (schemas.SessionResponse, "serialization"),
{%- endif %}
]

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "Validation errors only: a message per field.",
                },
            },
        }
    },
}
HEALTH_SCHEMA = {
    "type": "object",
    "required": ["status", "database"],
    "properties": {
        "status": {"type": "string", "enum": ["ok", "error"]},
        "database": {"type": "string", "enum": ["ok", "unavailable"]},
    },
}

# Every error the API can give, each with the code that the envelope carries.
ERRORS = {
    "BadRequest": (400, "bad_request", "The body is not valid JSON or not an object."),
{%- if cookiecutter.auth != "none" %}
    "Unauthorized": (401, "unauthorized", "Missing, invalid or revoked credentials."),
    "InvalidCredentials": (401, "invalid_credentials", "Wrong email or password."),
    "Forbidden": (403, "forbidden", "Signed in, but not allowed."),
{%- endif %}
    "NotFound": (404, "not_found", "No such resource."),
    "Conflict": (409, "conflict", "Email or username already taken."),
    "PayloadTooLarge": (413, "payload_too_large", "The body is over 1 MiB."),
    "UnsupportedMediaType": (
        415,
        "unsupported_media_type",
        "A POST, PUT or PATCH that is not application/json, body or not.",
    ),
    "ValidationError": (422, "validation_error", "The input breaks the rules."),
{%- if cookiecutter.auth != "none" %}
    "RateLimited": (429, "rate_limited", "Too many failed logins; see Retry-After."),
{%- endif %}
    "InternalError": (500, "internal_error", "Something unexpected went wrong."),
    "ServiceUnavailable": (
        503,
        "service_unavailable",
        "The database cannot be reached.",
    ),
}

BODY_ERRORS = [
    "BadRequest",
    "PayloadTooLarge",
    "UnsupportedMediaType",
    "ValidationError",
]
SERVER_ERRORS = ["InternalError", "ServiceUnavailable"]
{%- if cookiecutter.auth == "jwt" %}
SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
}
SIGNED_IN = [{"bearerAuth": []}]
{%- elif cookiecutter.auth == "session" %}
SECURITY_SCHEMES = {
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE}
}
SIGNED_IN = [{"cookieAuth": []}]
{%- endif %}


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _operation(
    summary: str,
    ok: dict[str, Any],
    errors: list[str],
    *,
    body: str | None = None,
{%- if cookiecutter.auth != "none" %}
    signed_in: bool = True,
{%- endif %}
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "responses": dict(ok)}
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref("schemas", body)}},
        }
        errors = BODY_ERRORS + errors
{%- if cookiecutter.auth != "none" %}
    if signed_in:
        operation["security"] = SIGNED_IN
        errors = ["Unauthorized", *errors]
    else:
        operation["security"] = []
{%- endif %}
    for name in [*errors, *SERVER_ERRORS]:
        operation["responses"][str(ERRORS[name][0])] = _ref("responses", name)
    if parameters:
        operation["parameters"] = parameters
    return operation


USER_ID = {
    "name": "user_id",
    "in": "path",
    "required": True,
{%- if cookiecutter.database == "mongodb" %}
    "schema": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
{%- else %}
    "schema": {"type": "integer", "minimum": 1},
{%- endif %}
}
PAGE = [
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
    {
        "name": "offset",
        "in": "query",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_INT, "default": 0},
    },
]


def _paths() -> dict[str, Any]:
    user = _json(_ref("schemas", "UserOut"), "The user.")
{%- if cookiecutter.auth == "jwt" %}
    signed_in = _ref("schemas", "TokenResponse")
{%- elif cookiecutter.auth == "session" %}
    signed_in = _ref("schemas", "SessionResponse")
{%- endif %}
    no_content = {"description": "Done; no body."}
{%- if cookiecutter.auth == "none" %}
    created = {
        **user,
        "headers": {
            "Location": {
                "description": "The new user's URL.",
                "schema": {"type": "string"},
            }
        },
    }
{%- endif %}
    return {
        "/health": {
            "get": {
                "summary": "Check the service and its database",
                "security": [],
                "responses": {
                    "200": _json(HEALTH_SCHEMA, "The database answered."),
                    "503": _json(HEALTH_SCHEMA, "The database cannot be reached."),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "security": [],
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1.")},
            }
        },
{%- if cookiecutter.auth != "none" %}
        "/api/auth/register": {
            "post": _operation(
                "Create an account and sign in",
                {"201": _json(signed_in, "Registered and signed in.")},
                ["Conflict"],
                body="UserCreate",
                signed_in=False,
            )
        },
        "/api/auth/login": {
            "post": _operation(
                "Sign in",
                {"200": _json(signed_in, "Signed in.")},
                ["InvalidCredentials", "RateLimited"],
                body="LoginRequest",
                signed_in=False,
            )
        },
        "/api/auth/me": {"get": _operation("The signed-in user", {"200": user}, [])},
        "/api/auth/logout": {
            # No body, yet application/json: a cross-site form cannot sign anyone out.
            "post": _operation(
                "Sign out", {"204": no_content}, ["UnsupportedMediaType"]
            )
        },
{%- endif %}
        "/api/users": {
            "get": _operation(
                "List users, oldest first",
                {"200": _json(_ref("schemas", "UserPage"), "One page of users.")},
                ["ValidationError"],
                parameters=PAGE,
            ),
{%- if cookiecutter.auth == "none" %}
            "post": _operation(
                "Create a user", {"201": created}, ["Conflict"], body="UserCreate"
            ),
{%- endif %}
        },
        "/api/users/{user_id}": {
            "get": _operation(
                "Read a user", {"200": user}, ["NotFound"], parameters=[USER_ID]
            ),
            "patch": _update("Change a user (partial)", user),
            "put": _update("Change a user (same partial meaning as PATCH)", user),
            "delete": _operation(
                "Delete a user",
                {"204": no_content},
                [{% if cookiecutter.auth != "none" %}"Forbidden", {% endif %}"NotFound"],
                parameters=[USER_ID],
            ),
        },
    }


def _update(summary: str, user: dict[str, Any]) -> dict[str, Any]:
    return _operation(
        summary,
        {"200": user},
        [{% if cookiecutter.auth != "none" %}"Forbidden", {% endif %}"NotFound", "Conflict"],
        body="UserUpdate",
        parameters=[USER_ID],
    )


@cache
def openapi_document() -> dict[str, Any]:
    """Build the document; schemas come from the same models that validate."""
    _, definitions = models_json_schema(
        MODELS, ref_template="#/components/schemas/{model}"
    )
    components: dict[str, Any] = {
        "schemas": {**definitions["$defs"], "Error": ERROR_SCHEMA},
        "responses": {
            name: _json(_ref("schemas", "Error"), f"{description} Code: `{code}`.")
            for name, (_, code, description) in ERRORS.items()
        },
{%- if cookiecutter.auth != "none" %}
        "securitySchemes": SECURITY_SCHEMES,
{%- endif %}
    }
{%- if cookiecutter.auth != "none" %}
    components["responses"]["RateLimited"]["headers"] = {
        "Retry-After": {
            "description": "Seconds until login may be tried again.",
            "schema": {"type": "integer"},
        }
    }
{%- endif %}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "{{ cookiecutter.project_slug }}",
            "version": "0.1.0",
            "description": "Every error answers "
            '`{"error": {"code": "...", "message": "..."}}`.',
        },
        "paths": _paths(),
        "components": components,
{%- if cookiecutter.auth != "none" %}
        "security": SIGNED_IN,
{%- endif %}
    }
