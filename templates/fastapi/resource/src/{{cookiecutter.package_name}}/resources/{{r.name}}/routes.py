{%- set S = r.Singular -%}
{%- set Row = r.Singular ~ "Row" -%}
{%- set signed_in = cookiecutter.auth != "none" -%}
{%- set reads_signed_in = r.access in ("owner", "private", "signed-in") -%}
{%- set writes_signed_in = r.access != "public" -%}
{%- set viewer = r.access in ("owner", "private", "public-read") -%}
{%- set private = r.access == "private" -%}
{%- set checks_owner = r.access in ("owner", "public-read") -%}
{%- set one = r.singular | replace("_", " ") -%}
{%- set many = r.name | replace("_", " ") -%}
{#- A route that needs the caller asks for it; one that only needs a signed-in caller has a guard. #}
{%- set guard_reads = reads_signed_in and not private -%}
{%- set guard_create = writes_signed_in and not r.owned -%}
{%- set guard_change = writes_signed_in and not viewer -%}
{%- set guarded = guard_reads or guard_create or guard_change -%}
{%- macro guard(signed) %}{% if signed %}
    dependencies=[Depends(get_current_user)],{% endif %}{% endmacro -%}
{%- macro caller(needed) %}{% if needed %}
    caller: CurrentUser,{% endif %}{% endmacro -%}
"""The resource's routes: HTTP in, the service's answers out.

{{ {"owner": "Any signed-in user reads; each row is changed only by its owner.", "private": "Each signed-in user sees and changes only their own rows.", "public-read": "Anyone reads; signed-in users write, each row changed only by its owner.", "signed-in": "Any signed-in user reads and writes.", "public": "Anyone reads and writes."}[r.access] }}
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, {% if guarded %}Depends, {% endif %}Path, Request, Response, status

from ...dependencies import {% if viewer %}CurrentUser, {% endif %}DbSession{% if guarded %}, get_current_user{% endif %}
from ...errors import (
    BODY_ERRORS,
    Conflict,
{%- if checks_owner %}
    Forbidden,
{%- endif %}
    NotFound,
{%- if writes_signed_in %}
    Unauthorized,
{%- endif %}
    ValidationFailed,
    error_responses,
)
from ...web import JSONRoute
from ..listing import parameters, parse_query
from . import service
from .models import {{ Row }}
from .schemas import {{ S }}, {{ S }}Create, {{ S }}Page, {{ S }}Update

router = APIRouter(prefix={{ r.path | py }}, tags=[{{ r.name | py }}], route_class=JSONRoute)
# An id is a whole number; anything else matches no route and answers 404.
ROW_PATH = "/{id:int}"
# `{id}` in the path, as every resource of the contract names it.
RowId = Annotated[int, Path(alias="id", json_schema_extra={"minimum": 1})]
{%- set read_errors = "Unauthorized, " if reads_signed_in else "" %}
{%- set write_errors = "Unauthorized, " if writes_signed_in else "" %}
CHANGE_ERRORS = ({{ write_errors }}{% if checks_owner %}Forbidden, {% endif %}NotFound, Conflict)


@router.get(
    "",
    summary="List {{ many }}",
    operation_id="list{{ r.name | title | replace("_", "") }}",
    responses=error_responses({{ read_errors }}ValidationFailed),
    openapi_extra={"parameters": parameters(service.FILTERABLE, service.SORTABLE)},
    {{- guard(guard_reads) }}
)
async def list_rows(
    request: Request, db: DbSession,{{ caller(private) }}
) -> {{ S }}Page:
    query = parse_query(
        request.query_params.multi_items(), service.FILTERABLE, service.SORTABLE
    )
    rows, total = await service.page(db, query{% if private %}, caller.id{% endif %})
    return {{ S }}Page(
        items=[{{ S }}.model_validate(row) for row in rows],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )


@router.post(
    "",
    summary="Create a {{ one }}",
    operation_id="create{{ S }}",
    status_code=status.HTTP_201_CREATED,
    response_model={{ S }},
    responses=error_responses(*BODY_ERRORS, {{ write_errors }}Conflict),
    {{- guard(guard_create) }}
)
async def create_row(
    data: {{ S }}Create,
    db: DbSession,
    request: Request,
    response: Response,{{ caller(r.owned) }}
) -> {{ Row }}:
    row = await service.create(db, data.model_dump(){% if r.owned %}, caller.id{% endif %})
    response.headers["Location"] = request.app.url_path_for(
        {{ ("get_" ~ r.singular) | py }}, id=row.id
    )
    return row


@router.get(
    ROW_PATH,
    name={{ ("get_" ~ r.singular) | py }},
    summary="Read a {{ one }}",
    operation_id="get{{ S }}",
    response_model={{ S }},
    responses=error_responses({{ read_errors }}NotFound),
    {{- guard(guard_reads) }}
)
async def get_row(row_id: RowId, db: DbSession{% if private %}, caller: CurrentUser{% endif %}) -> {{ Row }}:
    return await service.get(db, row_id{% if private %}, caller.id{% endif %})


# PUT has the same partial meaning as PATCH, as for users.
@router.patch(
    ROW_PATH,
    summary="Change a {{ one }}",
    operation_id="update{{ S }}",
    response_model={{ S }},
    responses=error_responses(*BODY_ERRORS, *CHANGE_ERRORS),
    {{- guard(guard_change) }}
)
@router.put(
    ROW_PATH,
    summary="Change a {{ one }} (as PATCH)",
    operation_id="replace{{ S }}",
    response_model={{ S }},
    responses=error_responses(*BODY_ERRORS, *CHANGE_ERRORS),
    {{- guard(guard_change) }}
)
async def update_row(
    row_id: RowId, data: {{ S }}Update, db: DbSession,{{ caller(viewer) }}
) -> {{ Row }}:
    row = await service.get(db, row_id{% if private %}, caller.id{% endif %})
    values = data.model_dump(include=data.model_fields_set)
    return await service.update(db, row, values{% if checks_owner %}, caller.id{% endif %})


@router.delete(
    ROW_PATH,
    summary="Delete a {{ one }}",
    operation_id="delete{{ S }}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*CHANGE_ERRORS),
    {{- guard(guard_change) }}
)
async def delete_row(row_id: RowId, db: DbSession{% if viewer %}, caller: CurrentUser{% endif %}) -> None:
    row = await service.get(db, row_id{% if private %}, caller.id{% endif %})
    await service.delete(db, row{% if checks_owner %}, caller.id{% endif %})
