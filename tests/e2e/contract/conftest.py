"""The contract suite's view of a running project: one `Api` per stack and test module."""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from .. import harness
from .client import Api, connect


@pytest.fixture(scope="module")
def api(
    live_server: harness.Server, project: harness.Project, server_settings: dict[str, str]
) -> Iterator[Api]:
    """The stack's project, booted once per module, seen through the contract.

    Its settings are the project's `.env` overlaid with the server's environment (real
    environment variables win over `.env`); SECRET_KEY comes from `.env`, to forge tokens.
    """
    settings = {**project.dotenv(), **server_settings}
    with connect(live_server.base_url, project.stack.auth, settings, live_server.log_path) as api:
        yield api


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Show the server's log tail under a failed contract test: a 500 explains itself there."""
    report = yield
    server = getattr(item, "funcargs", {}).get("live_server")
    if report.failed and isinstance(server, harness.Server):
        report.sections.append(("server log (tail)", server.log_tail(40)))
    return report
