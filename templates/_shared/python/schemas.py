"""Pydantic models for what the API reads and writes; OpenAPI is built from them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,80}")


def _check_email(value: str) -> str:
    if len(value) > 254:
        raise PydanticCustomError("email", "must be at most 254 characters")
    try:
        address = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise PydanticCustomError("email", "not a valid email address") from None
    # Emails match without regard to case everywhere, so store them lower-case.
    return address.normalized.lower()


def _check_username(value: str) -> str:
    if not USERNAME.fullmatch(value):
        raise PydanticCustomError(
            "username", "3 to 80 letters, digits, '_', '.' or '-'"
        )
    return value


def _iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


Email = Annotated[
    str,
    AfterValidator(_check_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 254}),
]
Password = Annotated[str, Field(min_length=8, max_length=128)]
Username = Annotated[
    str,
    AfterValidator(_check_username),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z0-9_.-]{3,80}$"}),
]
Timestamp = Annotated[
    datetime,
    PlainSerializer(_iso_utc, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _not_nullable(schema: dict[str, Any]) -> None:
    # Optional fields may be left out but never sent as null; the schema says so.
    for field in schema.get("properties", {}).values():
        options = field.pop("anyOf", [])
        field.update(next((o for o in options if o.get("type") != "null"), {}))
        field.pop("default", None)


class Input(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_not_nullable)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nulls(cls, value: object) -> object:
        # Leaving a field out means "not given"; an explicit null is a mistake.
        if value is None:
            raise PydanticCustomError("null", "may not be null")
        return value


class UserCreate(Input):
    email: Email
    password: Password
    username: Username | None = None


class UserUpdate(Input):
    """Any of the fields; PUT has the same partial meaning as PATCH."""

    email: Email | None = None
    username: Username | None = None
    password: Password | None = None
{%- if cookiecutter.auth != "none" %}


class LoginRequest(Input):
    email: Email
    password: Annotated[str, Field(min_length=1, max_length=128)]
{%- endif %}


# The largest integer a JSON number carries exactly in every client (JavaScript's too).
MAX_JSON_INT = 2**53 - 1


class PageQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100, description="Users per page.")
    offset: int = Field(
        default=0, ge=0, le=MAX_JSON_INT, description="Users to skip, oldest first."
    )


def _always_sent(schema: dict[str, Any]) -> None:
    # An answer carries every field, defaults included: the schema lists none.
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


class Output(BaseModel):
    """An answer body: every field is always present."""

    model_config = ConfigDict(
        json_schema_serialization_defaults_required=True,
        json_schema_extra=_always_sent,
    )


class User(Output):
    """A user as the API shows it: never a password or a hash."""

    model_config = ConfigDict(from_attributes=True)
{%- if cookiecutter.database == "mongodb" %}

    id: Annotated[
        str,
        Field(pattern="^[0-9a-f]{24}$", description="The ObjectId, as 24 hex digits."),
    ]
{%- else %}

    id: int
{%- endif %}
    email: str
    username: str
    is_active: bool
    created_at: Timestamp
    updated_at: Timestamp


# The routes' name for it, beside the data layer's User.
UserOut = User


class UserPage(Output):
    items: list[User]
    total: int
    limit: int
    offset: int
{%- if cookiecutter.auth == "jwt" %}


class TokenResponse(Output):
    user: User
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")
{%- elif cookiecutter.auth == "session" %}


class SessionResponse(Output):
    """The signed-in user; the session itself travels in the `session_id` cookie."""

    user: User
{%- endif %}


class Health(Output):
    status: Literal["ok", "error"]
    database: Literal["ok", "unavailable"]


class ErrorDetail(Output):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["User not found"])


class Error(Output):
    """Every error, from every layer, answers this envelope."""

    error: ErrorDetail


class ValidationErrorDetail(ErrorDetail):
    fields: dict[str, str] = Field(description="A message per offending field.")


class ValidationError(Output):
    """A 422: the envelope, with a message per offending field."""

    error: ValidationErrorDetail
