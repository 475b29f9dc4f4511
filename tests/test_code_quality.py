"""The tool's own code passes its linters and strict type checking."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

CHECKS = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "--no-cache", "scaffold", "tests", "bench"],
    "ruff format": [
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--check",
        "--no-cache",
        "scaffold",
        "tests",
        "bench",
    ],
    "mypy --strict": [sys.executable, "-m", "mypy", "--no-incremental"],
}


@pytest.mark.parametrize("name", CHECKS)
def test_when_the_tool_is_checked_then_it_is_clean(name: str) -> None:
    result = subprocess.run(CHECKS[name], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}"
