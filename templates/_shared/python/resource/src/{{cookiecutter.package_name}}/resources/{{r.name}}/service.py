{%- set aio = cookiecutter._framework == "fastapi" -%}
{%- set A = "async " if aio else "" -%}
{%- set W = "await " if aio else "" -%}
{%- set Session = "AsyncSession" if aio else "Session" -%}
{%- set Row = r.Singular ~ "Row" -%}
{%- set what = r.singular | replace("_", " ") | capitalize -%}
"""The resource's rules, knowing nothing of HTTP.

Creating, finding, listing, changing and deleting its rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
{% if aio %}from sqlalchemy.ext.asyncio import AsyncSession{% else %}from sqlalchemy.orm import Session{% endif %}

from ...exceptions import Conflict, {% if r.access in ("owner", "public-read") %}Forbidden, {% endif %}NotFound{% if r.refs %}, ValidationFailed{% endif %}
from ...models import MAX_INT
from ..listing import Filterable, ListQuery, statements
{%- for f in r.refs | unique(attribute="target") if f.target != r.name %}
from ..{{ f.target }}.models import {{ f.target_class }}Row
{%- endfor %}
from .models import {{ Row }}

# How the answers name a row of this resource.
WHAT = {{ what | py }}
FILTERABLE = (
{%- for f in r.filterable %}
    Filterable({{ f.column | py }}, {{ f.type | py }}, {{ f.operators | pytuple }}{% if f.choices %}, {{ f.choices | pytuple }}{% endif %}),
{%- endfor %}
)
SORTABLE = {{ r.sortable | pytuple }}
UNIQUE: tuple[str, ...] = {{ r.fields | selectattr("unique") | map(attribute="column") | list | pytuple }}


{{ A }}def get(session: {{ Session }}, row_id: int{% if r.access == "private" %}, viewer: int{% endif %}) -> {{ Row }}:
    row = {{ W }}session.get({{ Row }}, row_id) if 0 < row_id <= MAX_INT else None
    if row is None{% if r.access == "private" %} or row.owner_id != viewer{% endif %}:
        raise NotFound(f"{WHAT} not found")
    return row


{{ A }}def page(
    session: {{ Session }}, query: ListQuery{% if r.access == "private" %}, viewer: int{% endif %}
) -> tuple[list[{{ Row }}], int]:
    """One page of the list the query asks for, and how many match in all."""
    count, rows = statements({{ Row }}, query{% if r.access == "private" %}, {{ Row }}.owner_id == viewer{% endif %})
    return list({{ W }}session.scalars(rows)), {{ W }}session.scalar(count) or 0


{{ A }}def create(session: {{ Session }}, values: dict[str, Any]{% if r.owned %}, owner_id: int{% endif %}) -> {{ Row }}:
    {{ W }}_check(session, values, None)
    row = {{ Row }}(**values{% if r.owned %}, owner_id=owner_id{% endif %})
    session.add(row)
    {{ W }}_commit(session)
    return row


{{ A }}def update(session: {{ Session }}, row: {{ Row }}, values: dict[str, Any]{% if r.access in ("owner", "public-read") %}, viewer: int{% endif %}) -> {{ Row }}:
{%- if r.access in ("owner", "public-read") %}
    _may_change(row, viewer)
{%- endif %}
    {{ W }}_check(session, values, row.id)
    for name, value in values.items():
        setattr(row, name, value)
    {{ W }}_commit(session)
    return row


{{ A }}def delete(session: {{ Session }}, row: {{ Row }}{% if r.access in ("owner", "public-read") %}, viewer: int{% endif %}) -> None:
{%- if r.access in ("owner", "public-read") %}
    _may_change(row, viewer)
{%- endif %}
    {{ W }}session.delete(row)
    try:
        {{ W }}session.commit()
    except IntegrityError:
        # A required reference of another row holds on to it (its foreign key).
        {{ W }}session.rollback()
        raise Conflict("Other rows refer to it; delete those first") from None
{%- if r.access in ("owner", "public-read") %}


def _may_change(row: {{ Row }}, viewer: int) -> None:
    if row.owner_id != viewer:
        raise Forbidden("You may only change your own rows")
{%- endif %}


{{ A }}def _check(session: {{ Session }}, values: dict[str, Any], row_id: int | None) -> None:
    """Refuse references to missing rows (422) and taken unique values (409)."""
{%- if r.refs %}
    missing: dict[str, str] = {}
{%- for f in r.refs %}
    target = values.get({{ f.column | py }})
    if target is not None and {{ W }}session.get({{ f.target_class }}Row, target) is None:
        missing[{{ f.column | py }}] = "no row of {{ f.target }} has this id"
{%- endfor %}
    if missing:
        raise ValidationFailed(fields=missing)
{%- endif %}
    for name in UNIQUE:
        if values.get(name) is None:
            continue
        column = getattr({{ Row }}, name)
        taken = select({{ Row }}.id).where(column == values[name])
        if row_id is not None:
            taken = taken.where({{ Row }}.id != row_id)
        if {{ W }}session.scalar(taken) is not None:
            raise Conflict(f"{name} is taken", fields={name: "is already taken"})


{{ A }}def _commit(session: {{ Session }}) -> None:
    # Two requests can race past the checks; the database's constraints decide.
    try:
        {{ W }}session.commit()
    except IntegrityError:
        {{ W }}session.rollback()
        raise Conflict(f"{WHAT} clashes with another row") from None
