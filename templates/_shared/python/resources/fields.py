{% raw %}"""The field types of resources as pydantic types: each type's rules, written once.

Strict everywhere: a number is never read from a string, nor a string from a number,
and what the JSON answer shows is what the OpenAPI document says.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from uuid import UUID

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BeforeValidator,
    Field,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ..schemas import Email
from .listing import MAX_JSON_INT, UUID_PATTERN, parse_datetime

__all__ = ["Email"]

Int = Annotated[int, Field(strict=True, ge=-MAX_JSON_INT, le=MAX_JSON_INT)]
Float = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Bool = Annotated[bool, Field(strict=True)]
Json = Annotated[dict[str, Any], Field(strict=True)]
Ref = Annotated[int, Field(strict=True, ge=1, le=MAX_JSON_INT)]
# The JSON Schema pattern of a string without NUL, as the OpenAPI document publishes it.
NO_NUL = "^[^\\u0000]*$"
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")


def _string(value: object, kind: str, example: str) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(kind, f"must be a string, e.g. {example}")
    return value


# Each parser takes the typed value as it is: a row read for an answer holds one, and no
# JSON body can.
def _to_date(value: object) -> date:
    if isinstance(value, date):
        return value
    text = _string(value, "date", "2026-01-31")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise PydanticCustomError("date", "must be a date, YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError("date", "must be a real date, YYYY-MM-DD") from None


def _to_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    text = _string(value, "datetime", "2026-01-31T12:00:00Z")
    try:
        return parse_datetime(text)
    except ValueError as exc:
        raise PydanticCustomError("datetime", str(exc)) from None


def _utc_millis(value: datetime) -> str:
    moment = value.astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _to_uuid(value: object) -> UUID:
    if isinstance(value, UUID):
        return value
    text = _string(value, "uuid", "0b6f1a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b")
    if not UUID_PATTERN.fullmatch(text):
        raise PydanticCustomError("uuid", "must be a lower-case UUID with dashes")
    return UUID(text)


_HTTP_URL: TypeAdapter[AnyHttpUrl] = TypeAdapter(AnyHttpUrl)


def _check_url(value: str) -> str:
    try:
        _HTTP_URL.validate_python(value)
    except ValidationError:
        raise PydanticCustomError("url", "must be an http or https URL") from None
    return value  # stored as given, never rewritten


Date = Annotated[
    date,
    BeforeValidator(_to_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
DateTime = Annotated[
    datetime,
    BeforeValidator(_to_datetime),
    PlainSerializer(_utc_millis, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Uuid = Annotated[
    UUID,
    BeforeValidator(_to_uuid),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "format": "uuid", "pattern": f"^{UUID_PATTERN.pattern}$"}
    ),
]
Url = Annotated[
    str,
    Field(strict=True, max_length=2048),
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "maxLength": 2048}),
]


def _fixed(scale: int) -> Any:
    def show(value: Decimal) -> str:
        return f"{value:.{scale}f}"

    return show


def decimal(precision: int, scale: int) -> Any:
    """A decimal carried as a string ("12.50"), exact, with at most `precision`
    digits of which `scale` follow the point; answered with `scale` of them."""
    integer_digits = precision - scale

    def parse(value: object) -> Decimal:
        if isinstance(value, Decimal):
            return value
        example = "1" + ("." + "0" * scale if scale else "")
        message = f'must be a decimal as a string, e.g. "{example}"'
        if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
            raise PydanticCustomError("decimal", message)
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise PydanticCustomError("decimal", message) from None
        whole, _, fraction = value.lstrip("-").partition(".")
        if len(fraction) > scale:
            raise PydanticCustomError(
                "decimal", f"may have at most {scale} digits after the point"
            )
        if len(whole.lstrip("0")) > integer_digits:
            raise PydanticCustomError(
                "decimal", f"may have at most {integer_digits} digits before the point"
            )
        return number

    point = f"(\\.[0-9]{{1,{scale}}})?" if scale else ""
    pattern = f"^-?[0-9]{{1,{max(integer_digits, 1)}}}{point}$"
    return Annotated[
        Decimal,
        BeforeValidator(parse),
        PlainSerializer(_fixed(scale), return_type=str, when_used="json"),
        WithJsonSchema({"type": "string", "format": "decimal", "pattern": pattern}),
    ]


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store it, so no database is asked to: the same 422 on each.
    if "\x00" in value:
        raise PydanticCustomError("nul", "may not contain the NUL character")
    return value


def text(min_length: int = 0, max_length: int | None = None) -> Any:
    """A string of `min_length` to `max_length` characters, none of them NUL."""
    return Annotated[
        str,
        Field(
            strict=True,
            min_length=min_length,
            max_length=max_length,
            json_schema_extra={"pattern": NO_NUL},
        ),
        AfterValidator(_no_nul),
    ]{% endraw %}
