"""The least Flask app that serves the two reads the bench compares: gunicorn, SQLAlchemy, SQLite.

Run from a generated Flask project's venv (same versions):
    gunicorn -k gthread -w 2 --threads 4 --chdir bench/minimal flask_app:app
MINIMAL_DATABASE_URL names an SQLite file that already holds a `users` table (bench_load.py seeds it).
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, jsonify
from sqlalchemy import create_engine, event, text

engine = create_engine(os.environ["MINIMAL_DATABASE_URL"])


@event.listens_for(engine, "connect")
def _tune(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


USER_BY_ID = text("SELECT id, email, username, is_active, created_at, updated_at FROM users WHERE id = :id")

app = Flask(__name__)


@app.get("/health")
def health() -> Any:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return jsonify(status="ok", database="ok")


@app.get("/api/users/<int:user_id>")
def user(user_id: int) -> Any:
    with engine.connect() as connection:
        row = connection.execute(
            USER_BY_ID,
            {"id": user_id},
        ).first()
    if row is None:
        return jsonify(error={"code": "not_found", "message": "User not found"}), 404
    return jsonify(dict(row._mapping))
