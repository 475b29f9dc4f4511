"""Migrations: the schema they build is the one the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from {{ cookiecutter.package_name }}.db import db
from {{ cookiecutter.package_name }}.models import Base


def test_when_migrations_have_run_then_the_schema_matches_the_models(
    app: Flask,
) -> None:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []
