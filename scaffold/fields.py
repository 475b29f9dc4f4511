"""A resource's fields: the type vocabulary, the field grammar, and the checks of each field.

    field := name ":" type [ "{" args "}" ] [ "?" ] [ ":unique" | ":index" ] [ "=" default ]

Every rule a field brings (its JSON value, its bounds, whether it sorts and filters, which
operators it takes) is stated here once; the templates of all three frameworks render from
the `Field` values this module returns.
"""

from __future__ import annotations

import datetime as dt
import decimal
import difflib
import json
import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from scaffold.errors import UsageError
from scaffold.naming import shown

MAX_SAFE_INTEGER = 2**53 - 1
NAME = re.compile(r"[a-z][a-z0-9_]*")
# Longer names would push generated lines past the projects' line limits (a field's name
# and its type's name share a line) and constraint names past PostgreSQL's 63 characters.
MAX_NAME = 30

EQUALITY = ("eq", "in")
ORDERED = (*EQUALITY, "gt", "gte", "lt", "lte")
TEXTUAL = (*EQUALITY, "icontains")

# Columns every resource has, or that access modes add, and the list's own query parameters.
RESERVED = frozenset({"id", "created_at", "updated_at", "owner_id", "limit", "offset", "sort"})

# Names a generated model or schema cannot hold as a field: pydantic's own attributes (and its
# `model_` namespace), and what every JavaScript object inherits.
_CLASHES = frozenset(
    {
        "schema", "json", "dict", "copy", "construct", "validate", "fields", "from_orm",
        "parse_obj", "parse_raw", "parse_file", "schema_json", "update_forward_refs",
        "metadata", "registry", "query", "constructor", "prototype", "hasownproperty",
        "isprototypeof", "propertyisenumerable", "tolocalestring", "tostring", "valueof",
        "__proto__", "__definegetter__", "__definesetter__", "__lookupgetter__",
        "__lookupsetter__", "then",
    }
)  # fmt: skip

JS_KEYWORDS = frozenset(
    {
        "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
        "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
        "function", "if", "implements", "import", "in", "instanceof", "interface", "let", "new",
        "null", "package", "private", "protected", "public", "return", "static", "super",
        "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with",
        "yield", "arguments", "eval", "undefined",
    }
)  # fmt: skip


@dataclass(frozen=True)
class FieldType:
    """One type of the vocabulary: what it stores, and what a list may do with it."""

    name: str
    json: str  # the JSON value, as `--types` shows it
    rules: str  # what every stack enforces
    operators: tuple[str, ...]  # filter operators; empty: not filterable
    sortable: bool
    args: str = ""  # the `{...}` it takes, as the grammar shows it; empty: none
    indexable: bool = True

    @property
    def filterable(self) -> bool:
        return bool(self.operators)

    def as_dict(self) -> dict[str, object]:
        return {
            "type": self.name, "args": self.args, "json": self.json, "rules": self.rules,
            "sortable": self.sortable, "operators": list(self.operators),
        }  # fmt: skip


_DECIMAL_ARGS = "{precision,scale}; {10,2} by default"
_REF_RULES = "422 if no such row; deleting it is 409, or sets null for ?"
TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        FieldType("str", "string", "length bounds", TEXTUAL, True, "{max} or {min,max}; max 255"),
        FieldType("text", "string", "body limit only", (), False, indexable=False),
        FieldType("int", "integer", '+-(2^53-1); "5" and 5.5 are 422', ORDERED, True),
        FieldType("float", "number", "finite", ORDERED, True),
        FieldType("decimal", 'string: "12.50"', "exact; sorts as a number", ORDERED, True, _DECIMAL_ARGS),
        FieldType("bool", "true or false", "no 0/1, no strings", EQUALITY, True),
        FieldType("date", '"YYYY-MM-DD"', "a real date", ORDERED, True),
        FieldType("datetime", "RFC 3339 with offset; UTC with Z", "millisecond precision", ORDERED, True),
        FieldType("uuid", "lower-case dashed string", "one pattern on every stack", EQUALITY, True),
        FieldType("email", "string", "the same rule as users' emails", TEXTUAL, True),
        FieldType("url", "string", "http or https; stored as given", TEXTUAL, True),
        FieldType("enum", "one of the strings", "a CHECK constraint on SQL", EQUALITY, True, "{a,b,c}"),
        FieldType("json", "object", "any JSON object", (), False, indexable=False),
        FieldType("ref", "the other row's id, as <field>_id", _REF_RULES, EQUALITY, True, "{resource}"),
    )
}  # fmt: skip

STR_MAX = 255
STR_LIMIT = 10_000  # a longer string is `text`
DECIMAL_DEFAULT = (10, 2)
DECIMAL_LIMIT = 18  # exact on SQLite as a scaled 64-bit integer
ENUM_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,29}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_GRAMMAR = re.compile(
    r"(?P<name>[^:{}?=]+):(?P<type>[A-Za-z_]+)(?:\{(?P<args>[^{}]*)\})?(?P<optional>\?)?"
    r"(?::(?P<modifier>[a-z]+))?(?:=(?P<default>.*))?",
    re.DOTALL,
)


@dataclass(frozen=True)
class Field:
    """One field of a resource, checked."""

    name: str
    type: str
    optional: bool = False
    unique: bool = False
    index: bool = False
    default: Any = None  # the default as its JSON value; None: no default
    has_default: bool = False
    min_length: int | None = None  # str
    max_length: int | None = None  # str
    precision: int | None = None  # decimal
    scale: int | None = None  # decimal
    choices: tuple[str, ...] = ()  # enum
    target: str | None = None  # ref: the resource referred to
    spec: str = field(default="", compare=False)  # the definition in canonical form

    @property
    def kind(self) -> FieldType:
        return TYPES[self.type]

    @property
    def column(self) -> str:
        """The stored and answered name: `<name>_id` for a reference."""
        return f"{self.name}_id" if self.type == "ref" else self.name

    @property
    def operators(self) -> tuple[str, ...]:
        return self.kind.operators

    @property
    def sortable(self) -> bool:
        return self.kind.sortable

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "name": self.name, "column": self.column, "type": self.type,
            "optional": self.optional, "unique": self.unique, "index": self.index,
            "sortable": self.sortable, "operators": list(self.operators),
        }  # fmt: skip
        if self.has_default:
            data["default"] = self.default
        for key in ("min_length", "max_length", "precision", "scale", "target"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.choices:
            data["choices"] = list(self.choices)
        return data


class FieldError(UsageError):
    """Raised when a field definition breaks the grammar or a rule of its type."""

    code = "invalid_field"


def check_name(name: str, what: str) -> None:
    """Refuse a field or resource name outside the identifier rules every stack shares."""
    quoted = shown(name)
    if not NAME.fullmatch(name):
        raise FieldError(f"{what} '{quoted}' must be snake_case: a-z, 0-9 and '_', starting with a letter")
    if len(name) > MAX_NAME:
        raise FieldError(f"{what} '{quoted}' is {len(name)} characters long; at most {MAX_NAME}")
    if "__" in name or name.endswith("_"):
        raise FieldError(f"{what} '{quoted}' may not hold '__' or end in '_' (filters use 'field__op')")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise FieldError(f"{what} '{quoted}' is a Python keyword; choose another")
    if name in JS_KEYWORDS:
        raise FieldError(f"{what} '{quoted}' is a JavaScript keyword; choose another")


def parse(text: str) -> Field:
    """One field from its definition, e.g. ``price:decimal{10,2}=0``; FieldError names it."""
    quoted = shown(text, 60)
    match = _GRAMMAR.fullmatch(text.strip())
    if not match:
        raise FieldError(
            f"field '{quoted}' is not name:type[{{args}}][?][:unique|:index][=default], e.g. title:str{{120}}"
        )
    name, type_name = match["name"], match["type"]
    check_name(name, "field")
    if name in RESERVED:
        raise FieldError(
            f"field '{name}' is reserved: every resource has id, created_at, "
            "updated_at and owner_id, and a list takes limit, offset and sort"
        )
    if name in _CLASHES or name.startswith("model_"):
        raise FieldError(f"field '{name}' clashes with an attribute of pydantic models or JavaScript objects")
    if type_name not in TYPES:
        close = difflib.get_close_matches(type_name, list(TYPES), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known types: {', '.join(TYPES)}"
        raise FieldError(f"field '{name}' has an unknown type '{shown(type_name)}'{hint}")
    kind = TYPES[type_name]
    modifier = match["modifier"]
    if modifier not in (None, "unique", "index"):
        raise FieldError(f"field '{name}': ':{shown(modifier)}' is not a modifier; use :unique or :index")
    if modifier and not kind.indexable:
        raise FieldError(f"field '{name}': a {type_name} field cannot be :{modifier}")
    values: dict[str, Any] = {
        "name": name, "type": type_name, "optional": bool(match["optional"]),
        "unique": modifier == "unique", "index": modifier == "index",
    }  # fmt: skip
    values.update(_arguments(name, kind, match["args"]))
    draft = Field(**values)
    if match["default"] is not None:
        if type_name == "ref":
            raise FieldError(f"field '{name}': a reference takes no default")
        if draft.unique:
            raise FieldError(f"field '{name}': a unique field takes no default (two rows would clash)")
        values["default"] = _default(draft, match["default"])
        values["has_default"] = True
    values["spec"] = _canonical(Field(**values))
    return Field(**values)


def _ints(name: str, args: str, count: tuple[int, ...]) -> list[int]:
    parts = [part.strip() for part in args.split(",")]
    if len(parts) not in count or not all(part.isdigit() for part in parts):
        wanted = " or ".join(str(n) for n in count)
        raise FieldError(f"field '{name}': '{{{shown(args)}}}' must be {wanted} whole numbers")
    return [int(part) for part in parts]


def _arguments(name: str, kind: FieldType, args: str | None) -> dict[str, Any]:
    if args is not None and not kind.args:
        raise FieldError(f"field '{name}': type {kind.name} takes no {{arguments}}")
    if kind.name == "str":
        low, high = 0, STR_MAX
        if args is not None:
            numbers = _ints(name, args, (1, 2))
            low, high = (0, numbers[0]) if len(numbers) == 1 else (numbers[0], numbers[1])
        if not 1 <= high <= STR_LIMIT or low > high:
            raise FieldError(
                f"field '{name}': str{{min,max}} needs 0 <= min <= max and 1 <= max <= {STR_LIMIT} "
                "(longer: text)"
            )
        return {"min_length": low or None, "max_length": high}
    if kind.name == "decimal":
        precision, scale = DECIMAL_DEFAULT if args is None else _ints(name, args, (2,))
        if not (1 <= precision <= DECIMAL_LIMIT and 0 <= scale <= precision):
            raise FieldError(
                f"field '{name}': decimal{{precision,scale}} needs 1 <= precision <= {DECIMAL_LIMIT} "
                "and 0 <= scale <= precision"
            )
        return {"precision": precision, "scale": scale}
    if kind.name == "enum":
        choices = tuple(part.strip() for part in (args or "").split(","))
        if not args or not all(ENUM_VALUE.fullmatch(choice) for choice in choices):
            raise FieldError(
                f"field '{name}': enum{{a,b,c}} needs values of letters, digits, '_', '.' or '-'"
            )
        if len(set(choices)) != len(choices):
            raise FieldError(f"field '{name}': enum lists a value twice")
        return {"choices": choices}
    if kind.name == "ref":
        target = (args or "").strip()
        if not target:
            raise FieldError(f"field '{name}': ref needs the resource it refers to, e.g. ref{{categories}}")
        check_name(target, f"field '{name}' refers to resource")
        return {"target": target}
    return {}


def _default(draft: Field, raw: str) -> Any:
    """The default's JSON value, checked against the field's type."""
    name, text = draft.name, raw.strip()
    bad = FieldError(f"field '{name}': default '{shown(raw)}' is not a valid {draft.type}")
    match draft.type:
        case "str" | "text" | "email" | "url" | "uuid" | "enum":
            value = text
            if draft.type == "str" and not (draft.min_length or 0) <= len(value) <= (draft.max_length or 0):
                raise FieldError(f"field '{name}': default '{shown(raw)}' is outside its length bounds")
            if draft.type == "uuid" and not UUID.fullmatch(value):
                raise bad
            if draft.type == "email" and not _EMAIL.fullmatch(value):
                raise bad
            if draft.type == "url" and not _URL.fullmatch(value):
                raise bad
            if draft.type == "enum" and value not in draft.choices:
                raise FieldError(
                    f"field '{name}': default '{shown(raw)}' is not one of {', '.join(draft.choices)}"
                )
            return value
        case "int":
            if not re.fullmatch(r"-?[0-9]+", text) or abs(int(text)) > MAX_SAFE_INTEGER:
                raise bad
            return int(text)
        case "float":
            try:
                number = float(text)
            except ValueError:
                raise bad from None
            if number != number or number in (float("inf"), float("-inf")):
                raise bad
            return number
        case "decimal":
            try:
                exact = decimal.Decimal(text)
            except decimal.InvalidOperation:
                raise bad from None
            precision, scale = draft.precision or 0, draft.scale or 0
            exponent = exact.as_tuple().exponent
            if not exact.is_finite() or (isinstance(exponent, int) and -exponent > scale):
                raise bad
            quantised = exact.quantize(decimal.Decimal(1).scaleb(-scale))
            if len(quantised.as_tuple().digits) > precision:
                raise bad
            return str(quantised)
        case "bool":
            if text not in ("true", "false"):
                raise FieldError(f"field '{name}': default '{shown(raw)}' must be true or false")
            return text == "true"
        case "date":
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                raise bad
            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise bad from None
        case "datetime":
            try:
                moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise bad from None
            if moment.tzinfo is None:
                raise FieldError(f"field '{name}': default '{shown(raw)}' needs an offset, e.g. Z")
            utc = moment.astimezone(dt.UTC)
            return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        case "json":
            try:
                value = json.loads(text)
            except ValueError:
                raise bad from None
            if not isinstance(value, dict):
                raise FieldError(f"field '{name}': default of a json field must be an object")
            return value
    raise bad  # pragma: no cover - every type is matched above


def _canonical(item: Field) -> str:
    """The definition as `.scaffold.toml` records it: the same field always reads the same."""
    args = ""
    if item.type == "str" and (item.min_length or item.max_length != STR_MAX):
        args = f"{{{item.min_length},{item.max_length}}}" if item.min_length else f"{{{item.max_length}}}"
    elif item.type == "decimal":
        args = f"{{{item.precision},{item.scale}}}"
    elif item.type == "enum":
        args = "{" + ",".join(item.choices) + "}"
    elif item.type == "ref":
        args = f"{{{item.target}}}"
    text = f"{item.name}:{item.type}{args}{'?' if item.optional else ''}"
    text += ":unique" if item.unique else ":index" if item.index else ""
    if item.has_default:
        value = item.default
        shown_default = (
            json.dumps(value, separators=(",", ":"), sort_keys=True) if isinstance(value, dict)
            else "true" if value is True else "false" if value is False else str(value)
        )  # fmt: skip
        text += f"={shown_default}"
    return text


def parse_all(texts: list[str]) -> list[Field]:
    """Every field of one resource; a duplicate name (or a reference's `<name>_id`) is refused."""
    parsed = [parse(text) for text in texts]
    if not parsed:
        raise FieldError("a resource needs at least one field, e.g. title:str{120}")
    seen: dict[str, str] = {}
    for item in parsed:
        for taken in {item.name, item.column}:
            if taken in seen:
                raise FieldError(f"field '{item.name}' clashes with field '{seen[taken]}' ('{taken}')")
            seen[taken] = item.name
    return parsed
