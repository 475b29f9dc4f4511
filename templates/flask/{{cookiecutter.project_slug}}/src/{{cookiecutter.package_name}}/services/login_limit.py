{%- if cookiecutter.database == "mongodb" %}{% include "mongodb/services/login_limit.py" %}{% else -%}
"""The failed-login rate limit, counted in the database so all workers share it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import LoginFailure
from .credentials import WINDOW, ensure_below_limit


def ensure_allowed(session: Session, client: str, limit: int, now: datetime) -> None:
    """Raise RateLimited once `client` has failed `limit` times in the last minute."""
    failures = list(
        session.scalars(
            select(LoginFailure.failed_at)
            .where(LoginFailure.client == client, LoginFailure.failed_at > now - WINDOW)
            .order_by(LoginFailure.failed_at)
        )
    )
    ensure_below_limit(failures, limit, now)


def record_failure(session: Session, client: str, now: datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - WINDOW))
    session.add(LoginFailure(client=client, failed_at=now))
    session.commit()
{% endif %}