"""How a resource plugs in: one package per resource in this folder.

`resources/<name>/__init__.py` defines `resource = Resource(...)`, and
`registry.py` (scaffold's, rebuilt on every add and remove) lists them. Nothing
else needs an edit:

- the app factory {% if cookiecutter._framework == "flask" %}registers each resource's blueprint{% else %}includes each resource's router{% endif %};
- the OpenAPI document {% if cookiecutter._framework == "flask" %}adds each resource's paths and schemas{% else %}is FastAPI's, made from those routers{% endif %};
{%- if cookiecutter.database == "mongodb" %}
- the index set-up (at start and by `migrate`) gives each resource's collection
  its validator and indexes;
- deleting a user deletes the documents of each resource with an `owner_field`.
{%- else %}
- the migration environment sees each resource's tables: its models subclass
  `models.Base`, and its migration is a new revision in `migrations/versions/`;
- deleting a user deletes their rows through each table's foreign key to
  `users.id` (`ON DELETE CASCADE`).
{%- endif %}
"""

from __future__ import annotations
{% if cookiecutter._framework == "flask" %}
from collections.abc import Callable
{%- endif %}
from dataclasses import dataclass
{%- if cookiecutter.database == "mongodb" or cookiecutter._framework == "flask" %}
from typing import Any
{%- endif %}
{% if cookiecutter._framework == "flask" %}
from flask import Blueprint
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode
{%- else %}
from fastapi import APIRouter
{%- endif %}
{%- if cookiecutter.database == "mongodb" %}
from pymongo import IndexModel
{%- endif %}
{%- if cookiecutter._framework == "flask" %}


def _no_paths() -> dict[str, Any]:
    return {}
{%- endif %}


@dataclass(frozen=True)
class Resource:
    """What the project needs to know of one resource."""

    # The plural, snake_case: the {% if cookiecutter.database == "mongodb" %}collection{% else %}table{% endif %}'s name; the URL is /api/<name, dashed>.
    name: str
{%- if cookiecutter._framework == "flask" %}
    blueprint: Blueprint
    # The pydantic models the OpenAPI document publishes, each with how it is
    # used ("validation" for requests, "serialization" for answers).
    models: tuple[tuple[type[BaseModel], JsonSchemaMode], ...] = ()
    # The OpenAPI paths; called when the document is first built.
    paths: Callable[[], dict[str, Any]] = _no_paths
{%- else %}
    router: APIRouter
{%- endif %}

{%- if cookiecutter.database == "mongodb" %}
    # The collection's indexes and its `$jsonSchema` validator, applied idempotently.
    indexes: tuple[IndexModel, ...] = ()
    validator: dict[str, Any] | None = None
    # The field holding the owning user's id, if documents belong to a user.
    owner_field: str | None = None
{%- endif %}

    @property
    def path(self) -> str:
        """Its URL: /api/ and the name, dashed (`order_items`: /api/order-items)."""
        return "/api/" + self.name.replace("_", "-")
