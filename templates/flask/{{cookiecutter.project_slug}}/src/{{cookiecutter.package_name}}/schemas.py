"""Pydantic models for what the API reads and writes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

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

from .{% if cookiecutter.database == "mongodb" %}documents{% else %}models{% endif %} import MAX_INT

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
    WithJsonSchema(
        {"type": "string", "pattern": "^[A-Za-z0-9_.-]{3,80}$"},
    ),
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
    email: Email | None = None
    username: Username | None = None
    password: Password | None = None
{%- if cookiecutter.auth != "none" %}


class LoginRequest(Input):
    email: Email
    password: Annotated[str, Field(min_length=1, max_length=128)]
{%- endif %}


class PageQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=MAX_INT)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: {% if cookiecutter.database == "mongodb" %}Annotated[str, Field(pattern="^[0-9a-f]{24}$")]{% else %}int{% endif %}
    email: str
    username: str
    is_active: bool
    created_at: Timestamp
    updated_at: Timestamp


class UserPage(BaseModel):
    items: list[UserOut]
    total: int
    limit: int
    offset: int
{%- if cookiecutter.auth == "jwt" %}


class TokenResponse(BaseModel):
    user: UserOut
    access_token: str
    token_type: str = "bearer"
    expires_in: int
{%- elif cookiecutter.auth == "session" %}


class SessionResponse(BaseModel):
    user: UserOut
{%- endif %}
