{%- set types = r.fields | map(attribute="type") | list -%}
{%- macro field_type(f) -%}
{%- if f.type == "str" -%}fields.text({{ f.min_length or 0 }}, {{ f.max_length }})
{%- elif f.type == "text" -%}fields.text()
{%- elif f.type == "decimal" -%}fields.decimal({{ f.precision }}, {{ f.scale }})
{%- elif f.type == "enum" -%}Literal[{{ f.choices | map("py") | join(", ") }}]
{%- else -%}fields.{{ {"int": "Int", "float": "Float", "bool": "Bool", "date": "Date", "datetime": "DateTime", "uuid": "Uuid", "email": "Email", "url": "Url", "json": "Json", "ref": "Ref"}[f.type] }}
{%- endif -%}
{%- endmacro -%}
"""{{ r.Singular }} on the wire.

The bodies that create and change one, and the answers.
"""

from __future__ import annotations

from typing import Annotated, Any{% if "enum" in types %}, Literal{% endif %}

from pydantic import ConfigDict, Field, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from ...schemas import Input, Output
from .. import fields

# What the server sets: never in a body.
SET_BY_SERVER = ("id", {% if r.owned %}"owner_id", {% endif %}"created_at", "updated_at")
# The fields a body may set to null; the rest must be left out instead.
NULLABLE = frozenset({ {%- for f in r.fields if f.optional %}{{ f.column | py }}{% if not loop.last %}, {% endif %}{% endfor %}})
{%- for f in r.fields %}
{{ f.column | upper }}_TYPE = {{ field_type(f) }}
{%- endfor %}


def _set_by_server(value: object) -> None:
    raise PydanticCustomError("set_by_server", "is set by the server")


ServerField = SkipJsonSchema[Annotated[None, Field(default=None, exclude=True)]]


def _as_sent(schema: dict[str, Any]) -> None:
    # The document says what a body may hold: null only for the optional fields, and the
    # default a create fills in where one is declared.
    for name, field in schema.get("properties", {}).items():
        if name not in NULLABLE:
            options = field.pop("anyOf", [])
            field.update(next((o for o in options if o.get("type") != "null"), {}))
        if field.get("default", 0) is None:
            del field["default"]


class _Body(Input):
    """A body: unknown fields are refused, null only for the optional fields."""

    model_config = ConfigDict(json_schema_extra=_as_sent)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nulls(cls, value: object, info: ValidationInfo) -> object:
        if info.field_name in SET_BY_SERVER:
            _set_by_server(value)
        if value is None and info.field_name not in NULLABLE:
            raise PydanticCustomError("null", "may not be null")
        return value
{% for name in ["id", "owner_id", "created_at", "updated_at"] if r.owned or name != "owner_id" %}
    {{ name }}: ServerField
{%- endfor %}


class {{ r.Singular }}Create(_Body):
{%- for f in r.fields %}
{%- if f.optional %}
{%- if f.has_default %}
    {{ f.column }}: {{ f.column | upper }}_TYPE | None = Field(
        default={{ f.default | py }}, validate_default=True
    )
{%- else %}
    {{ f.column }}: {{ f.column | upper }}_TYPE | None = None
{%- endif %}
{%- elif f.has_default %}
    {{ f.column }}: {{ f.column | upper }}_TYPE = Field(
        default={{ f.default | py }}, validate_default=True
    )
{%- else %}
    {{ f.column }}: {{ f.column | upper }}_TYPE
{%- endif %}
{%- endfor %}


class {{ r.Singular }}Update(_Body):
    """Any of the fields; PUT has the same partial meaning as PATCH."""
{% for f in r.fields %}
    {{ f.column }}: {{ f.column | upper }}_TYPE | None = None
{%- endfor %}


class {{ r.Singular }}(Output):
    model_config = ConfigDict(from_attributes=True)

    id: int
{%- if r.owned %}
    owner_id: int
{%- endif %}
{%- for f in r.fields %}
    {{ f.column }}: {{ f.column | upper }}_TYPE{% if f.optional %} | None{% endif %}
{%- endfor %}
    created_at: fields.DateTime
    updated_at: fields.DateTime


class {{ r.Singular }}Page(Output):
    items: list[{{ r.Singular }}]
    total: int
    limit: int
    offset: int
