"""Blueprints: each turns HTTP into a service call and the result back into HTTP."""

from __future__ import annotations

from flask import Flask

from ..registry import RESOURCES
from . import {% if cookiecutter.auth != "none" %}auth, {% endif %}docs, health, users


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(health.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(users.bp)
{%- if cookiecutter.auth != "none" %}
    app.register_blueprint(auth.bp)
{%- endif %}
    for resource in RESOURCES:
        app.register_blueprint(resource.blueprint)
