{%- set S = r.Singular -%}
{%- set one = r.singular -%}
{%- set reads_signed_in = r.access in ("owner", "private", "signed-in") -%}
{%- set writes_signed_in = r.access != "public" -%}
{%- set viewer = r.access in ("owner", "private", "public-read") -%}
{%- set private = r.access == "private" -%}
{%- set words = r.name | replace("_", " ") -%}
"""The resource's routes: HTTP in, the service's answers out.

{{ {"owner": "Any signed-in user reads; each row is changed only by its owner.", "private": "Each signed-in user sees and changes only their own rows.", "public-read": "Anyone reads; signed-in users write, each row changed only by its owner.", "signed-in": "Any signed-in user reads and writes.", "public": "Anyone reads and writes."}[r.access] }}
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for

from ... import exceptions
from ...db import db
from ...openapi import ID_PARAMETER, ErrorClass, answer, operation
from ...web import json_body
{%- if writes_signed_in %}
from ...api.guards import {% if viewer %}current_user, {% endif %}login_required
{%- endif %}
from ..listing import parameters, parse_query
from . import service
from .models import {{ S }}Row
from .schemas import {{ S }}, {{ S }}Create, {{ S }}Page, {{ S }}Update

# How the OpenAPI document speaks of one row and of several.
ONE, MANY = {{ (r.singular | replace("_", " ")) | py }}, {{ words | py }}
bp = Blueprint({{ r.name | py }}, __name__, url_prefix={{ r.path | py }})


def _json(row: {{ S }}Row) -> dict[str, Any]:
    return {{ S }}.model_validate(row).model_dump(mode="json")
{%- if viewer %}


def _viewer() -> int:
    return current_user().id
{%- endif %}


@bp.get("")
{%- if reads_signed_in %}
@login_required
{%- endif %}
def list_rows() -> dict[str, Any]:
    query = parse_query(
        request.args.items(multi=True), service.FILTERABLE, service.SORTABLE
    )
    rows, total = service.page(db.session, query{% if private %}, _viewer(){% endif %})
    return {{ S }}Page(
        items=[{{ S }}.model_validate(row) for row in rows],
        total=total,
        limit=query.limit,
        offset=query.offset,
    ).model_dump(mode="json")


@bp.post("")
{%- if writes_signed_in %}
@login_required
{%- endif %}
def create_row() -> tuple[dict[str, Any], int, dict[str, str]]:
    data = json_body({{ S }}Create)
    row = service.create(db.session, data.model_dump(){% if r.owned %}, _viewer(){% endif %})
    location = url_for({{ (r.name ~ ".get_row") | py }}, row_id=row.id)
    return _json(row), 201, {"Location": location}


@bp.get("/<int:row_id>")
{%- if reads_signed_in %}
@login_required
{%- endif %}
def get_row(row_id: int) -> dict[str, Any]:
    return _json(service.get(db.session, row_id{% if private %}, _viewer(){% endif %}))


# PUT has the same partial meaning as PATCH, as for users.
@bp.route("/<int:row_id>", methods=["PATCH", "PUT"])
{%- if writes_signed_in %}
@login_required
{%- endif %}
def update_row(row_id: int) -> dict[str, Any]:
    row = service.get(db.session, row_id{% if private %}, _viewer(){% endif %})
    data = json_body({{ S }}Update)
    values = data.model_dump(include=data.model_fields_set)
    return _json(service.update(db.session, row, values{% if r.access in ("owner", "public-read") %}, _viewer(){% endif %}))


@bp.delete("/<int:row_id>")
{%- if writes_signed_in %}
@login_required
{%- endif %}
def delete_row(row_id: int) -> tuple[str, int]:
    row = service.get(db.session, row_id{% if private %}, _viewer(){% endif %})
    service.delete(db.session, row{% if r.access in ("owner", "public-read") %}, _viewer(){% endif %})
    return "", 204


def paths() -> dict[str, Any]:
    one = answer({{ S }}, f"The {ONE}.")
    {%- set signed = ", signed_in=False" if cookiecutter.auth != "none" and not reads_signed_in else "" %}
    {%- set wsigned = ", signed_in=False" if cookiecutter.auth != "none" and not writes_signed_in else "" %}
    changing: tuple[ErrorClass, ...] = (
        {% if r.access in ("owner", "public-read") %}exceptions.Forbidden, {% endif %}exceptions.NotFound, exceptions.Conflict,
    )
    return {
        {{ r.path | py }}: {
            "get": operation(
                "list{{ r.name | title | replace("_", "") }}",
                f"List {MANY}",
                {"200": answer({{ S }}Page, f"One page of {MANY}.")},
                (exceptions.ValidationFailed,),
                parameters=parameters(service.FILTERABLE, service.SORTABLE){{ signed }},
            ),
            "post": operation(
                "create{{ S }}",
                f"Create a {ONE}",
                {"201": one},
                (exceptions.Conflict,),
                body={{ S }}Create{{ wsigned }},
            ),
        },
        "{{ r.path }}/{id}": {
            "get": operation(
                "get{{ S }}",
                f"Read a {ONE}",
                {"200": one},
                (exceptions.NotFound,),
                parameters=[ID_PARAMETER]{{ signed }},
            ),
            "patch": operation(
                "update{{ S }}",
                f"Change a {ONE}",
                {"200": one},
                changing,
                body={{ S }}Update,
                parameters=[ID_PARAMETER]{{ wsigned }},
            ),
            "put": operation(
                "replace{{ S }}",
                f"Change a {ONE} (as PATCH)",
                {"200": one},
                changing,
                body={{ S }}Update,
                parameters=[ID_PARAMETER]{{ wsigned }},
            ),
            "delete": operation(
                "delete{{ S }}",
                f"Delete a {ONE}",
                {"204": {"description": "Deleted."}},
                changing,
                parameters=[ID_PARAMETER]{{ wsigned }},
            ),
        },
    }
