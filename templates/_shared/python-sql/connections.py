"""How the app's engine connects: a server database's pool, and SQLite's tuning."""

from __future__ import annotations

from typing import Any

# PostgreSQL: a full pool or an unreachable server must fail fast (503), not hang.
SERVER_POOL: dict[str, Any] = {
    "pool_size": 5,
    "max_overflow": 10,
    "pool_timeout": 5,
    "pool_pre_ping": True,
    "pool_recycle": 1800,
    "connect_args": {"connect_timeout": 3},
}


def tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Set each new SQLite connection up; listens to the engine's "connect" event."""
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once across server workers.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
