"""The least FastAPI app that serves the two reads the bench compares: uvicorn, async SQLAlchemy, aiosqlite.

Run from a generated FastAPI project's venv (same versions):
    uvicorn --workers 2 --app-dir bench/minimal fastapi_app:app
MINIMAL_DATABASE_URL names an SQLite file that already holds a `users` table (bench_load.py seeds it).
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine

URL = os.environ["MINIMAL_DATABASE_URL"]
engine = create_async_engine(URL.replace("sqlite://", "sqlite+aiosqlite://", 1))


@event.listens_for(engine.sync_engine, "connect")
def _tune(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


USER_BY_ID = text("SELECT id, email, username, is_active, created_at, updated_at FROM users WHERE id = :id")

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}


@app.get("/api/users/{user_id}")
async def user(user_id: int) -> Any:
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                USER_BY_ID,
                {"id": user_id},
            )
        ).first()
    if row is None:
        return JSONResponse({"error": {"code": "not_found", "message": "User not found"}}, status_code=404)
    return dict(row._mapping)
