"""The failed-login rate limit, counted in MongoDB so all workers share it."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING

from ..documents import LOGIN_FAILURES
from ..mongo import Database
from .credentials import WINDOW, ensure_below_limit


async def ensure_allowed(db: Database, client: str, limit: int, now: datetime) -> None:
    """Raise RateLimited once `client` has failed `limit` times in the last minute."""
    cursor = (
        db[LOGIN_FAILURES]
        .find({"client": client, "failed_at": {"$gt": now - WINDOW}}, {"failed_at": 1})
        .sort("failed_at", ASCENDING)
    )
    failures = [document["failed_at"] async for document in cursor]
    ensure_below_limit(failures, limit, now)


async def record_failure(db: Database, client: str, now: datetime) -> None:
    # A TTL index on `failed_at` removes failures once they are out of the window.
    await db[LOGIN_FAILURES].insert_one({"client": client, "failed_at": now})
