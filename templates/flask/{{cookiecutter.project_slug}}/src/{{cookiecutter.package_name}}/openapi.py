"""The OpenAPI 3.1 document of exactly what this project serves, derived, not written.

Schemas come from the pydantic models that validate requests and shape answers;
each operation's error answers from the error classes it can raise.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.exceptions import UnsupportedMediaType as NotJSON

from . import errors, schemas
{%- if cookiecutter.auth == "session" %}
from .api.guards import SESSION_COOKIE
{%- endif %}

# Request bodies are described as they are validated, answers as they are sent.
MODELS: list[tuple[type[BaseModel], JsonSchemaMode]] = [
{%- if cookiecutter.auth != "none" %}
    (schemas.LoginRequest, "validation"),
{%- endif %}
    (schemas.UserCreate, "validation"),
    (schemas.UserUpdate, "validation"),
    (schemas.User, "serialization"),
    (schemas.UserPage, "serialization"),
{%- if cookiecutter.auth == "jwt" %}
    (schemas.TokenResponse, "serialization"),
{%- elif cookiecutter.auth == "session" %}
    (schemas.SessionResponse, "serialization"),
{%- endif %}
    (schemas.Health, "serialization"),
    (schemas.Error, "serialization"),
    (schemas.ValidationError, "serialization"),
]
REF = "#/components/schemas/{model}"

# An error is one of ours, or one of Werkzeug's that errors.py renders as ours.
ErrorClass = type[errors.APIError] | type[HTTPException]
BODY_ERRORS: tuple[ErrorClass, ...] = (
    errors.BadRequest,
    RequestEntityTooLarge,
    NotJSON,
    errors.ValidationFailed,
)
# Any route may fail unexpectedly, or lose its database.
SERVER_ERRORS: tuple[ErrorClass, ...] = (errors.APIError, errors.ServiceUnavailable)
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
# `{id}` in the path, as every resource of the contract names it.
ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
{%- if cookiecutter.database == "mongodb" %}
    "schema": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
{%- else %}
    "schema": {"type": "integer", "minimum": 1},
{%- endif %}
}

{%- if cookiecutter.auth == "none" %}
MAY_CHANGE: tuple[ErrorClass, ...] = (errors.NotFound,)
{%- else %}
# Another user's account may be read, never changed.
MAY_CHANGE: tuple[ErrorClass, ...] = (errors.Forbidden, errors.NotFound)
{%- endif %}


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def answer(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref(model.__name__)}},
    }


def _status_code_message(error: ErrorClass) -> tuple[int, str, str]:
    if issubclass(error, errors.APIError):
        return error.status, error.code, error.message
    status = error.code or 500
    return status, errors.HTTP_CODES[status], errors.HTTP_MESSAGES[status]


def error_responses(*raised: ErrorClass) -> dict[str, dict[str, Any]]:
    """OpenAPI answers for these errors, and the 500 and 503 any route may give."""
    by_status: dict[int, list[tuple[str, str]]] = {}
    for error in (*raised, *SERVER_ERRORS):
        status, code, message = _status_code_message(error)
        by_status.setdefault(status, []).append((code, message))
    responses = {
        str(status): answer(
            # A 422 lists its fields; every other error is the plain envelope.
            schemas.ValidationError if status == 422 else schemas.Error,
            "; ".join(f"`{code}`: {message}" for code, message in group),
        )
        for status, group in sorted(by_status.items())
    }
    if errors.RateLimited in raised:
        responses["429"]["headers"] = {
            "Retry-After": {
                "description": "Seconds until login may be tried again.",
                "schema": {"type": "integer"},
            }
        }
    return responses


def operation(
    operation_id: str,
    summary: str,
    answers: dict[str, Any],
    raised: tuple[ErrorClass, ...],
    *,
    body: type[BaseModel] | None = None,
{%- if cookiecutter.auth != "none" %}
    signed_in: bool = True,
{%- endif %}
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary}
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(body.__name__)}},
        }
        raised = (*BODY_ERRORS, *raised)
{%- if cookiecutter.auth != "none" %}
    if signed_in:
        operation["security"] = SIGNED_IN
        raised = (errors.Unauthorized, *raised)
{%- endif %}
    operation["responses"] = {**error_responses(*raised), **answers}
    return operation


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The query parameters a model reads, each with its field's schema."""
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": field}
        for name, field in schema["properties"].items()
    ]


def _paths() -> dict[str, Any]:
    user = answer(schemas.User, "The user.")
{%- if cookiecutter.auth == "jwt" %}
    signed_in = schemas.TokenResponse
{%- elif cookiecutter.auth == "session" %}
    signed_in = schemas.SessionResponse
{%- endif %}
    no_content = {"description": "Done; no body."}
{%- if cookiecutter.auth == "none" %}
    created = {
        "201": {
            **user,
            "headers": {
                "Location": {
                    "description": "The new user's URL.",
                    "schema": {"type": "string"},
                }
            },
        }
    }
{%- endif %}
    return {
        "/health": {
            "get": {
                "operationId": "getHealth",
                "summary": "Check the service and its database",
                "responses": {
                    **error_responses(),
                    "200": answer(schemas.Health, "The database answered."),
                    "503": answer(schemas.Health, "The database cannot be reached."),
                },
            }
        },
{%- if cookiecutter.auth != "none" %}
        "/api/auth/register": {
            "post": operation(
                "register",
                "Create an account and sign in",
                {"201": answer(signed_in, "Registered and signed in.")},
                (errors.Conflict,),
                body=schemas.UserCreate,
                signed_in=False,
            )
        },
        "/api/auth/login": {
            "post": operation(
                "login",
                "Sign in",
                {"200": answer(signed_in, "Signed in.")},
                (errors.InvalidCredentials, errors.RateLimited),
                body=schemas.LoginRequest,
                signed_in=False,
            )
        },
        "/api/auth/me": {
            "get": operation("getCurrentUser", "The signed-in user", {"200": user}, ())
        },
        "/api/auth/logout": {
            # No body, yet application/json: a cross-site form cannot sign anyone out.
            "post": operation("logout", "Sign out", {"204": no_content}, (NotJSON,))
        },
{%- endif %}
        "/api/users": {
            "get": operation(
                "listUsers",
                "List users, oldest first",
                {"200": answer(schemas.UserPage, "One page of users.")},
                (errors.ValidationFailed,),
                parameters=query_parameters(schemas.PageQuery),
            ),
{%- if cookiecutter.auth == "none" %}
            "post": operation(
                "createUser",
                "Create a user",
                created,
                (errors.Conflict,),
                body=schemas.UserCreate,
            ),
{%- endif %}
        },
        "/api/users/{id}": {
            "get": operation(
                "getUser",
                "Read a user",
                {"200": user},
                (errors.NotFound,),
                parameters=[ID_PARAMETER],
            ),
            "patch": _update("updateUser", "Change a user (partial)", user),
            "put": _update(
                "replaceUser", "Change a user (same partial meaning as PATCH)", user
            ),
            "delete": operation(
                "deleteUser",
                "Delete a user",
                {"204": no_content},
                MAY_CHANGE,
                parameters=[ID_PARAMETER],
            ),
        },
    }


def _update(operation_id: str, summary: str, user: dict[str, Any]) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        {"200": user},
        (*MAY_CHANGE, errors.Conflict),
        body=schemas.UserUpdate,
        parameters=[ID_PARAMETER],
    )


@cache
def openapi_document() -> dict[str, Any]:
    """Build the document; schemas come from the same models that validate."""
    # Imported here, not at the top: each resource builds its paths with this module.
    from .registry import RESOURCES

    models = [*MODELS, *(model for resource in RESOURCES for model in resource.models)]
    paths = _paths()
    for resource in RESOURCES:
        paths.update(resource.paths())
    _, definitions = models_json_schema(models, ref_template=REF)
    components: dict[str, Any] = {"schemas": definitions["$defs"]}
{%- if cookiecutter.auth != "none" %}
    components["securitySchemes"] = SECURITY_SCHEMES
{%- endif %}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "{{ cookiecutter.project_slug }}",
            "version": "0.1.0",
            "description": "Every error answers "
            '`{"error": {"code": "...", "message": "..."}}`.',
        },
        "paths": paths,
        "components": components,
    }
