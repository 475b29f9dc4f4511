"""Fixtures shared by the tool's tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.figures import FIGURES


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own HOME and cache, so nothing leaks in from the developer's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("SCAFFOLD_NO_INPUT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count each test's outcome per file, for the reliability figures."""
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        FIGURES.outcome(report.nodeid.split("::", 1)[0], report.outcome)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("SCAFFOLD_FIGURES")
    if target:
        FIGURES.write(Path(target))
