"""What the notes tests need of the database: how many notes it holds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from PKG.db import db
from PKG.resources.notes.models import NoteRow


@pytest.fixture
def stored_notes(app: Flask) -> Callable[[], int]:
    def count() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(NoteRow)) or 0

    return count
