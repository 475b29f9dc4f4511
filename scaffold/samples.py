"""The values a resource's generated tests send: two valid values per field, the first
sorting before the second, and the invalid values each rule of the field must refuse."""

from __future__ import annotations

from typing import Any

from scaffold.fields import MAX_SAFE_INTEGER, Field


def _sized(word: str, low: int, high: int) -> str:
    text = (word * (low // len(word) + 1))[: max(low, len(word))]
    return text[:high]


def valid(field: Field) -> tuple[Any, Any]:
    """Two valid JSON values, distinct where the type allows, the first sorting first."""
    kind = field.type
    if kind == "str":
        low, high = field.min_length or 0, field.max_length or 255
        first, second = _sized("Alpha", low, high), _sized("Bravo", low, high)
        if first == second or not first:  # a bound of 1, say: one letter each
            first, second = "A" * max(low, 1), "B" * max(low, 1)
        return first, second
    if kind == "decimal":
        scale, whole = field.scale or 0, (field.precision or 1) - (field.scale or 0)
        if whole:
            return (f"1.{'0' * scale}" if scale else "1"), (f"2.{'5' * scale}" if scale else "2")
        return f"0.{'1' * scale}", f"0.{'2' * scale}"
    if kind == "enum":
        choices = sorted(field.choices)
        return choices[0], choices[-1]
    return {
        "text": ("first text", "second text"),
        "int": (1, 2),
        "float": (1.5, 2.5),
        "bool": (False, True),
        "date": ("2026-01-01", "2026-06-01"),
        "datetime": ("2026-01-01T00:00:00.000Z", "2026-06-01T12:30:00.250Z"),
        "uuid": ("00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"),
        "email": ("alpha@example.com", "bravo@example.com"),
        "url": ("https://alpha.example.com/a", "https://bravo.example.com/b"),
        "json": ({"n": 1}, {"n": 2}),
        "ref": (None, None),  # the ids of rows the test creates first
    }[kind]


def query_text(value: Any) -> str:
    """A value as a query string carries it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# No database is asked to store a NUL (PostgreSQL cannot).
NUL = ("a\x00b", "a NUL character")


def invalid(field: Field) -> list[tuple[Any, str]]:
    """JSON values the field refuses, each with the rule it breaks."""
    kind = field.type
    bad: list[tuple[Any, str]] = []
    if kind == "str":
        high = field.max_length or 255
        bad += [(5, "a number for a string"), ("x" * (high + 1), f"longer than {high}"), NUL]
        if field.min_length:
            bad.append(("x" * (field.min_length - 1), f"shorter than {field.min_length}"))
    elif kind == "text":
        bad += [(5, "a number for a string"), (["x"], "a list for a string"), NUL]
    elif kind == "int":
        bad += [("5", "a string for an integer"), (5.5, "a fraction"), (True, "a boolean"),
                (MAX_SAFE_INTEGER + 1, "beyond 2^53-1")]  # fmt: skip
    elif kind == "float":
        bad += [("1.5", "a string for a number"), (True, "a boolean")]
    elif kind == "decimal":
        scale, whole = field.scale or 0, (field.precision or 1) - (field.scale or 0)
        bad += [(1.5, "a number, not a string"), ("abc", "not a decimal"),
                ("9" * (whole + 1), "too many digits before the point")]  # fmt: skip
        bad.append(("0." + "1" * (scale + 1), "too many digits after the point"))
    elif kind == "bool":
        bad += [(1, "a number for a boolean"), ("true", "a string for a boolean")]
    elif kind == "date":
        bad += [("2026-02-30", "no such day"), ("2026-1-1", "not YYYY-MM-DD"), (20260101, "a number")]
    elif kind == "datetime":
        bad += [("2026-01-01T00:00:00", "no offset"), ("yesterday", "not a time"), (0, "a number")]
    elif kind == "uuid":
        bad += [("abc", "not a UUID"), ("00000000-0000-4000-8000-00000000000A", "upper case")]
    elif kind == "email":
        bad += [("nobody", "no @"), (5, "a number")]
    elif kind == "url":
        bad += [("ftp://example.com/", "not http or https"), ("not a url", "not a URL")]
    elif kind == "enum":
        bad += [("not-a-choice", "not one of the choices"), (1, "a number")]
    elif kind == "json":
        bad += [([1], "a list, not an object"), ("{}", "a string, not an object")]
    elif kind == "ref":
        bad += [("1", "a string for an id"), (0, "not an id"), (1.5, "a fraction")]
    return bad
