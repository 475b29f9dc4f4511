"""What the notes tests need of the database: how many notes it holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pymongo.database import Database


@pytest.fixture
def stored_notes(database: Database[dict[str, Any]]) -> Callable[[], int]:
    return lambda: database["notes"].count_documents({})
