"""The failed-login rate limit, counted in MongoDB so all workers share it."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING
from pymongo.database import Database

from ..db import LOGIN_FAILURES
from ..documents import Document
from .credentials import WINDOW, ensure_below_limit


def ensure_allowed(
    database: Database[Document], client: str, limit: int, now: datetime
) -> None:
    """Raise RateLimited once `client` has failed `limit` times in the last minute."""
    recent = (
        database[LOGIN_FAILURES]
        .find({"client": client, "failed_at": {"$gt": now - WINDOW}})
        .sort("failed_at", ASCENDING)
    )
    failures = [document["failed_at"] for document in recent]
    ensure_below_limit(failures, limit, now)


def record_failure(database: Database[Document], client: str, now: datetime) -> None:
    # A TTL index deletes old failures; the query above ignores them until then.
    database[LOGIN_FAILURES].insert_one({"client": client, "failed_at": now})
