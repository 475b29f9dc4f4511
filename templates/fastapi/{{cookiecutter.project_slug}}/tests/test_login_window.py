"""The failed-login window: five failures a minute, kept in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
{%- if cookiecutter.database != "mongodb" %}
from sqlalchemy.ext.asyncio import AsyncSession
{%- endif %}
{% if cookiecutter.database == "mongodb" %}
from {{ cookiecutter.package_name }}.documents import utcnow
from {{ cookiecutter.package_name }}.errors import RateLimited
from {{ cookiecutter.package_name }}.mongo import Database
{%- else %}
from {{ cookiecutter.package_name }}.errors import RateLimited
from {{ cookiecutter.package_name }}.models import utcnow
{%- endif %}
from {{ cookiecutter.package_name }}.services import login_limit

CLIENT = "203.0.113.7"


@pytest.mark.anyio
async def test_when_the_minute_has_passed_then_the_client_may_try_again(
    db: {{ "Database" if cookiecutter.database == "mongodb" else "AsyncSession" }},
) -> None:
    start = utcnow()
    for second in range(5):
        await login_limit.record_failure(db, CLIENT, start + timedelta(seconds=second))

    with pytest.raises(RateLimited):
        await login_limit.ensure_allowed(db, CLIENT, 5, start + timedelta(seconds=30))
    await login_limit.ensure_allowed(db, CLIENT, 5, start + timedelta(seconds=61))
