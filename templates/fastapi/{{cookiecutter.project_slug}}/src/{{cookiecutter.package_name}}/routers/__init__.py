"""Routers, one per resource: each turns HTTP into a service call and back."""

from __future__ import annotations

from fastapi import FastAPI

from ..registry import RESOURCES
from . import {% if cookiecutter.auth != "none" %}auth, {% endif %}docs, health, users


def include_routers(app: FastAPI) -> None:
    app.include_router(docs.make_router())
    app.include_router(health.router)
    app.include_router(users.router)
{%- if cookiecutter.auth != "none" %}
    app.include_router(auth.router)
{%- endif %}
    for resource in RESOURCES:
        app.include_router(resource.router)
