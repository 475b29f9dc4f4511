{% if cookiecutter.database == "mongodb" %}{% include "mongodb/services/login_limit.py" %}{% else -%}
"""The failed-login rate limit, counted in the database so all workers share it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import LoginFailure
from .credentials import WINDOW, ensure_below_limit


async def ensure_allowed(
    session: AsyncSession, client: str, limit: int, now: datetime
) -> None:
    """Raise RateLimited once `client` has failed `limit` times in the last minute."""
    failures = list(
        await session.scalars(
            select(LoginFailure.failed_at)
            .where(LoginFailure.client == client, LoginFailure.failed_at > now - WINDOW)
            .order_by(LoginFailure.failed_at)
        )
    )
    ensure_below_limit(failures, limit, now)


async def record_failure(session: AsyncSession, client: str, now: datetime) -> None:
    await session.execute(
        delete(LoginFailure).where(LoginFailure.failed_at <= now - WINDOW)
    )
    session.add(LoginFailure(client=client, failed_at=now))
    await session.commit()
{% endif %}