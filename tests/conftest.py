"""Fixtures shared by the tool's tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from scaffold import stacks
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


# In an xdist worker (scripts/test runs the suite on several), tests add their figures here and
# hand them to the controller at the end; the controller counts the outcomes and times of the
# reports the workers send it.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count each test's outcome and time (set-up and teardown included) per file, and the time
    per stack, for the reliability figures."""
    if _WORKER:
        return
    nodeid = report.nodeid.split("@", 1)[0]  # xdist's loadgroup adds `@group` to the id
    path = nodeid.split("::", 1)[0]
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        FIGURES.outcome(path, report.outcome)
    FIGURES.spend(f"files.{path}", report.duration)
    stack = _stack_of(nodeid)
    if stack is not None:
        FIGURES.spend(f"stacks.{stack}", report.duration)


_STACKS = {stack.name for stack in stacks.all_stacks()}


def _stack_of(nodeid: str) -> str | None:
    """The stack a test ran on, from the end of its id: `...[flask-sqlite-jwt]`, `...[flask-sqlite-jwt-x]`."""
    if not nodeid.endswith("]"):
        return None
    parameters = nodeid.rsplit("[", 1)[-1][:-1]
    return next((name for name in _STACKS if parameters == name or parameters.startswith(name + "-")), None)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """An xdist worker is done: take in the figures its tests gathered."""
    FIGURES.merge(getattr(node, "workeroutput", {}).get("figures", {}))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _WORKER:
        session.config.workeroutput["figures"] = FIGURES.as_dict()  # type: ignore[attr-defined]
        return
    target = os.environ.get("SCAFFOLD_FIGURES")
    if target:
        FIGURES.write(Path(target))
