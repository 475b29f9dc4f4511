"""The application factory: builds a configured app, with no import-time effects."""

from __future__ import annotations

from flask import Flask

from . import web
from .api import register_blueprints
from .config import Settings
from .db import db
from .errors import register_error_handlers
from .security import passwords


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app from `settings`, or from the environment when none are given."""
    settings = settings or Settings()
    app = Flask(__name__, static_folder=None)
    app.extensions["settings"] = settings
    app.json.sort_keys = False  # type: ignore[attr-defined]
    db.init_app(app, settings)
    passwords.init_app(app, settings)
    web.init_app(app, settings)
    register_error_handlers(app)
    register_blueprints(app)
    return app


__all__ = ["create_app"]
