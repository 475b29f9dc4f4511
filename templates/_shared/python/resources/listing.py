"""A resource's list endpoint: paging, sorting and whitelisted filters.

Filters are flat `field=value` and `field__op=value` keys; every value is parsed as its
field's type (no coercion beyond that), and anything unknown is a 422 naming the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
{%- if cookiecutter.database != "mongodb" %}
from uuid import UUID

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute
{%- endif %}

from ..exceptions import ValidationFailed

MAX_JSON_INT = 2**53 - 1
DEFAULT_LIMIT, MAX_LIMIT, MAX_IN = 20, 100, 100
OPERATORS = {
    "eq": "equals",
    "in": "is one of a comma list",
    "gt": "greater than",
    "gte": "at least",
    "lt": "less than",
    "lte": "at most",
    "icontains": "contains, ignoring case",
}
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
UUID_PATTERN = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


@dataclass(frozen=True)
class Filterable:
    """A field a list may filter on: its name, its type and the operators it takes."""

    name: str
    type: str
    operators: tuple[str, ...]
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListQuery:
    limit: int
    offset: int
    sort: tuple[tuple[str, bool], ...]  # (field, descending), id last
    filters: tuple[tuple[str, str, Any], ...]  # (field, operator, parsed value)


def parse_datetime(text: str) -> datetime:
    """An RFC 3339 time with its offset, in UTC, at millisecond precision."""
    if not _DATETIME.fullmatch(text):
        raise ValueError(
            "must be an RFC 3339 time with an offset: 2026-01-31T12:00:00Z"
        )
    moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def parse_value(field: Filterable, text: str) -> Any:
    """One filter value as its field's type; ValueError says what it should be."""
    if "\x00" in text:
        # No database is asked to compare with a NUL (PostgreSQL cannot hold one).
        raise ValueError("may not contain the NUL character")
    kind = field.type
    if kind in ("str", "url"):
        return text
    if kind == "email":
        return text.lower()
    if kind in ("int", "ref"):
        if not _INTEGER.fullmatch(text) or abs(int(text)) > MAX_JSON_INT:
            raise ValueError("must be a whole number")
        return int(text)
    if kind == "float":
        if not _NUMBER.fullmatch(text):
            raise ValueError("must be a number")
        return float(text)
    if kind == "decimal":
        if not _NUMBER.fullmatch(text):
            raise ValueError("must be a decimal number, e.g. 12.50")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError("must be a decimal number, e.g. 12.50") from None
    if kind == "bool":
        if text not in ("true", "false"):
            raise ValueError("must be true or false")
        return text == "true"
    if kind == "date":
        if not _DATE.fullmatch(text):
            raise ValueError("must be a date, YYYY-MM-DD")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError("must be a real date, YYYY-MM-DD") from None
    if kind == "datetime":
        try:
            return parse_datetime(text)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
    if kind == "uuid":
        if not UUID_PATTERN.fullmatch(text):
            raise ValueError("must be a lower-case UUID with dashes")
{%- if cookiecutter.database == "mongodb" %}
        return text
{%- else %}
        return UUID(text)
{%- endif %}
    if kind == "enum":
        if text not in field.choices:
            raise ValueError(f"must be one of {', '.join(field.choices)}")
        return text
    raise ValueError("cannot be filtered on")


def _whole(key: str, text: str, low: int, high: int) -> int:
    if not _INTEGER.fullmatch(text) or not low <= int(text) <= high:
        message = f"must be a whole number, {low} to {high}"
        raise ValidationFailed(fields={key: message})
    return int(text)


def parse_query(
    pairs: Iterable[tuple[str, str]],
    filterable: Sequence[Filterable],
    sortable: Sequence[str],
) -> ListQuery:
    """The list query from the query string's (key, value) pairs, or 422 naming it."""
    by_name = {field.name: field for field in filterable}
    seen: set[str] = set()
    limit, offset = DEFAULT_LIMIT, 0
    sort: tuple[tuple[str, bool], ...] = ()
    filters: list[tuple[str, str, Any]] = []
    errors: dict[str, str] = {}
    for key, text in pairs:
        if key in seen:
            errors[key] = "may be given once"
            continue
        seen.add(key)
        try:
            if key == "limit":
                limit = _whole(key, text, 1, MAX_LIMIT)
            elif key == "offset":
                offset = _whole(key, text, 0, MAX_JSON_INT)
            elif key == "sort":
                sort = _sort(text, sortable)
            else:
                filters.append(_filter(key, text, by_name))
        except ValidationFailed as exc:
            errors.update(exc.fields or {})
        except ValueError as exc:
            errors[key] = str(exc)
    if errors:
        raise ValidationFailed(fields=errors)
    if not any(name == "id" for name, _ in sort):
        # The tie-break, a stable order for paging, runs the way the last key does:
        # an index on that key (which holds the id too) then serves the whole order.
        sort = (*sort, ("id", sort[-1][1] if sort else False))
    return ListQuery(limit, offset, sort, tuple(filters))


def parameters(
    filterable: Sequence[Filterable], sortable: Sequence[str]
) -> list[dict[str, Any]]:
    """The list endpoint's query parameters, as the OpenAPI document lists them."""
    listed: list[dict[str, Any]] = [
        {
            "name": "limit",
            "in": "query",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT,
            },
        },
        {
            "name": "offset",
            "in": "query",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
        {
            "name": "sort",
            "in": "query",
            "description": "Comma list of fields, '-' first for descending: "
            + ", ".join(sortable),
            "schema": {"type": "string"},
        },
    ]
    for field in filterable:
        for operator in field.operators:
            name = field.name if operator == "eq" else f"{field.name}__{operator}"
            listed.append(
                {
                    "name": name,
                    "in": "query",
                    "description": f"{field.name} {OPERATORS[operator]}",
                    "schema": {"type": "string"},
                }
            )
    return listed


def _sort(text: str, sortable: Sequence[str]) -> tuple[tuple[str, bool], ...]:
    keys: list[tuple[str, bool]] = []
    for part in text.split(","):
        name = part[1:] if part.startswith("-") else part
        if name not in sortable:
            raise ValueError(
                f"cannot sort by '{name[:40]}'; sort by {', '.join(sortable)}"
            )
        if any(name == taken for taken, _ in keys):
            raise ValueError(f"sorts by '{name}' twice")
        keys.append((name, part.startswith("-")))
    return tuple(keys)


def _filter(
    key: str, text: str, by_name: dict[str, Filterable]
) -> tuple[str, str, Any]:
    name, _, operator = key.partition("__")
    operator = operator or "eq"
    field = by_name.get(name)
    if field is None:
        raise ValueError("is not a filter of this list")
    if operator not in field.operators:
        known = ", ".join(field.operators)
        raise ValueError(f"takes the operators {known}, not '{operator[:20]}'")
    if operator == "in":
        values = text.split(",")
        if len(values) > MAX_IN:
            raise ValueError(f"lists at most {MAX_IN} values")
        return name, operator, tuple(parse_value(field, value) for value in values)
    if operator == "icontains":
        return name, operator, text
    return name, operator, parse_value(field, text)
{%- if cookiecutter.database != "mongodb" %}


def _condition(
    column: InstrumentedAttribute[Any], operator: str, value: Any
) -> ColumnElement[bool]:
    if operator == "in":
        return column.in_(value)
    if operator == "icontains":
        # autoescape: a '%' or '_' of the caller's matches itself, not any text.
        return column.icontains(value, autoescape=True)
    comparisons = {
        "eq": column.__eq__, "gt": column.__gt__, "gte": column.__ge__,
        "lt": column.__lt__, "lte": column.__le__,
    }  # fmt: skip
    condition: ColumnElement[bool] = comparisons[operator](value)
    return condition


def statements(
    model: type[Any], query: ListQuery, *where: ColumnElement[bool]
) -> tuple[Select[tuple[int]], Select[Any]]:
    """The count of `model`'s rows that match the query, and the page to answer."""
    conditions = [*where]
    for name, operator, value in query.filters:
        conditions.append(_condition(getattr(model, name), operator, value))
    order = [
        getattr(model, name).desc() if descending else getattr(model, name).asc()
        for name, descending in query.sort
    ]
    count = select(func.count()).select_from(model).where(*conditions)
    rows = select(model).where(*conditions).order_by(*order)
    return count, rows.limit(query.limit).offset(query.offset)
{%- endif %}
