"""The failed-login rate limit, counted in MongoDB so all workers share it."""

from __future__ import annotations

import math
from datetime import datetime

from pymongo import ASCENDING

from ..documents import LOGIN_FAILURES, WINDOW
from ..errors import RateLimited
from ..mongo import Database


async def ensure_allowed(db: Database, client: str, limit: int, now: datetime) -> None:
    """Raise RateLimited once `client` has failed `limit` times in the last minute."""
    cursor = (
        db[LOGIN_FAILURES]
        .find({"client": client, "failed_at": {"$gt": now - WINDOW}}, {"failed_at": 1})
        .sort("failed_at", ASCENDING)
    )
    failures = [document["failed_at"] async for document in cursor]
    if len(failures) < limit:
        return
    # Allowed again once enough failures have left the window to drop below limit.
    unblocked_at = failures[len(failures) - limit] + WINDOW
    raise RateLimited(
        retry_after=max(1, math.ceil((unblocked_at - now).total_seconds()))
    )


async def record_failure(db: Database, client: str, now: datetime) -> None:
    # A TTL index on `failed_at` removes failures once they are out of the window.
    await db[LOGIN_FAILURES].insert_one({"client": client, "failed_at": now})
