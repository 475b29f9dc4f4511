{%- import "_python.jinja" as t -%}
{%- set types = r.fields | map(attribute="type") | list -%}
"""The resource's table: its columns and constraints.{% if r.owned %}

A row goes with its owner (ON DELETE CASCADE).
{% endif %}"""

from __future__ import annotations
{% if "date" in types or "datetime" in types %}
from datetime import {{ ["date" if "date" in types, "datetime"] | select | join(", ") }}
{%- else %}
from datetime import datetime
{%- endif %}
{%- if "decimal" in types %}
from decimal import Decimal
{%- endif %}
{%- if "json" in types %}
from typing import Any
{%- endif %}
{%- if "uuid" in types %}
from uuid import UUID
{%- endif %}

{% set sa_names = [] -%}
{%- for f in r.fields -%}
{%- set name = {"str": "String", "text": "Text", "email": "String", "url": "String", "enum": "String",
               "int": "BigInteger", "float": "Double", "bool": "Boolean", "date": "Date",
               "uuid": "Uuid", "json": "JSON"}.get(f.type) -%}
{%- if name %}{% do sa_names.append(name) %}{% endif -%}
{%- if f.type == "enum" %}{% do sa_names.append("CheckConstraint") %}{% do sa_names.append("column") %}{% endif -%}
{%- endfor -%}
{%- if r.owned or r.refs %}{% do sa_names.append("ForeignKey") %}{% endif -%}
from sqlalchemy import {{ sa_names | unique | sort(case_sensitive=true) | join(", ") }}
from sqlalchemy.orm import Mapped, mapped_column

from ...models import Base, {% if "decimal" in types %}ExactDecimal, {% endif %}Id, UTCDateTime, utcnow


class {{ r.Singular }}Row(Base):
    __tablename__ = "{{ r.name }}"
    __table_args__ = (
{%- for f in r.fields if f.type == "enum" %}
        {{ t.check(f) }},
{%- endfor %}
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
{%- if r.owned %}
    owner_id: Mapped[int] = mapped_column(
        Id, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
{%- endif %}
{%- for f in r.fields %}
    {{ f.column }}: Mapped[{{ t.py_type(f) }}] = mapped_column(
        {{ t.sa_type(f) }}
{%- if f.type == "ref" %}, ForeignKey("{{ f.target }}.id"{% if f.optional %}, ondelete="SET NULL"{% endif %}){% endif %}
{%- if f.unique %}, unique=True{% elif f.index or f.type == "ref" %}, index=True{% endif %}
    )
{%- endfor %}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
