"""Migrations: the schema they build is the one the models describe."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.models import Base

pytestmark = pytest.mark.anyio


def differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_when_migrations_have_run_then_the_schema_matches_the_models(
    db: AsyncSession,
) -> None:
    connection = await db.connection()

    assert await connection.run_sync(differences) == []
