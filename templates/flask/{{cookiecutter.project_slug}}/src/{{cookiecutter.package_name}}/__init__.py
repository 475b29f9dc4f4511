"""The application factory: builds a configured app, with no import-time effects."""

from __future__ import annotations

from argon2 import PasswordHasher
from flask import Flask

from . import web
from .api import register_blueprints
from .config import Settings
{%- if cookiecutter.database == "mongodb" %}
from .db import db
{%- else %}
from .db import db, run_migrations
{%- endif %}
from .errors import register_error_handlers
from .security import passwords


def create_app(
    settings: Settings | None = None, *, password_hasher: PasswordHasher | None = None
) -> Flask:
    """Build the app from `settings`, or from the environment when none are given.

    `password_hasher` replaces the production Argon2id hasher; the project's tests
    pass a cheap one, and nothing else should.
    """
    settings = settings or Settings()
    app = Flask(__name__, static_folder=None)
    app.extensions["settings"] = settings
    app.json.sort_keys = False  # type: ignore[attr-defined]
    db.init_app(app, settings)
    passwords.init_app(app, password_hasher)
    web.init_app(app, settings)
    register_error_handlers(app)
    register_blueprints(app)
{%- if cookiecutter.database != "mongodb" %}
    if app.debug and settings.app_env == "development":
        # `flask run --debug` has no migrate step of its own: its app brings the
        # database up to date on every (re)load, as `python -m` does before serving.
        with app.app_context():
            run_migrations(db.engine)
{%- endif %}
    return app


__all__ = ["create_app"]
