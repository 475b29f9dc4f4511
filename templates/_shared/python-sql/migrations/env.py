"""Alembic environment: migrates the app's database, from code or the alembic CLI."""

from __future__ import annotations

{% if cookiecutter._framework == "fastapi" %}import asyncio
{% endif %}from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

# Each resource's models subclass Base: importing the registry puts their tables
# into Base.metadata, which autogenerate and `alembic check` compare against.
from {{ cookiecutter.package_name }} import registry  # noqa: F401
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.db import make_engine
from {{ cookiecutter.package_name }}.models import Base, UTCDateTime

config = context.config


def render_item(kind: str, obj: Any, _context: AutogenContext) -> str | bool:
    # New revisions spell the UTC column type plainly, without importing the app.
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
{%- if cookiecutter._framework == "fastapi" %}


async def run_with_own_engine() -> None:
    engine = make_engine(Settings())
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await engine.dispose()
{%- endif %}


def run_online() -> None:
    # `run_migrations()` in db.py hands over its connection; the CLI does not.
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
{%- if cookiecutter._framework == "fastapi" %}
    asyncio.run(run_with_own_engine())
{%- else %}
    engine = make_engine(Settings())
    try:
        with engine.begin() as connection:
            run(connection)
    finally:
        engine.dispose()
{%- endif %}


def run_offline() -> None:
    context.configure(
        url=Settings().database_url,
        target_metadata=Base.metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
