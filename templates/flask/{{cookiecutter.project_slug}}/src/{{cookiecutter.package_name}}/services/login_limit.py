{%- if cookiecutter.database == "mongodb" %}{% include "mongodb/services/login_limit.py" %}{% else -%}
"""The failed-login rate limit, counted in the database so all workers share it."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import RateLimited
from ..models import LoginFailure

WINDOW = timedelta(minutes=1)


def ensure_allowed(session: Session, client: str, limit: int, now: datetime) -> None:
    """Raise RateLimited once `client` has failed `limit` times in the last minute."""
    failures = list(
        session.scalars(
            select(LoginFailure.failed_at)
            .where(LoginFailure.client == client, LoginFailure.failed_at > now - WINDOW)
            .order_by(LoginFailure.failed_at)
        )
    )
    if len(failures) < limit:
        return
    # Allowed again once enough failures have left the window to drop below limit.
    unblocked_at = failures[len(failures) - limit] + WINDOW
    raise RateLimited(
        retry_after=max(1, math.ceil((unblocked_at - now).total_seconds()))
    )


def record_failure(session: Session, client: str, now: datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - WINDOW))
    session.add(LoginFailure(client=client, failed_at=now))
    session.commit()
{% endif %}