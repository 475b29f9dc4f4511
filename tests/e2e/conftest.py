"""Fixtures of the end-to-end tests: stacks, a throwaway PostgreSQL, projects, live servers.

Tests that take the `stack` fixture run once per stack; `@pytest.mark.auth_modes("jwt", ...)`,
`@pytest.mark.databases("postgres", ...)` and `@pytest.mark.languages("python", ...)` narrow a test
to the fitting stacks (the others simply get no such test).
SCAFFOLD_E2E_STACKS=flask-sqlite-jwt,flask-postgres-none narrows the run to some stacks.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator, Iterator

import pytest

from tests.figures import FIGURES

from . import harness
from .contract.client import Api, connect

PROJECT_NAME = "demo-app"
# notes/ holds a resource's files for a generated project (test_resource_seam), tests and
# conftest included: they run there, with that project's packages, never here.
collect_ignore = ["notes"]

_stacks: list[harness.Stack] | None = None
_stacks_error: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: end-to-end tests that generate, install and boot real projects (slow)"
    )
    config.addinivalue_line("markers", "auth_modes(*modes): run only for stacks with one of these auth modes")
    config.addinivalue_line("markers", "databases(*names): run only for stacks on one of these databases")
    config.addinivalue_line(
        "markers", "languages(*names): run only for stacks whose projects are in one of these languages"
    )


def selected_stacks() -> list[harness.Stack]:
    """Every stack, narrowed by SCAFFOLD_E2E_STACKS; empty (with _stacks_error) if unlisted."""
    global _stacks, _stacks_error
    if _stacks is None:
        try:
            stacks = harness.all_stacks()
        except AssertionError as exc:
            # Fail the e2e tests, not the collection: `pytest -m "not e2e"` must still run.
            _stacks, _stacks_error = [], f"cannot list the stacks:\n{exc}"
            return _stacks
        wanted = os.environ.get("SCAFFOLD_E2E_STACKS", "").strip()
        if wanted:
            names = {name.strip() for name in wanted.split(",") if name.strip()}
            unknown = names - {stack.name for stack in stacks}
            if unknown:
                raise pytest.UsageError(f"SCAFFOLD_E2E_STACKS names unknown stacks: {sorted(unknown)}")
            stacks = [stack for stack in stacks if stack.name in names]
        _stacks = stacks
    return _stacks


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "stack" not in metafunc.fixturenames:
        return
    stacks = selected_stacks()
    if _stacks_error is not None:
        metafunc.parametrize("stack", [_stacks_error], ids=["stacks-unlisted"], scope="session")
        return
    auth_modes = metafunc.definition.get_closest_marker("auth_modes")
    if auth_modes is not None:
        stacks = [stack for stack in stacks if stack.auth in auth_modes.args]
    databases = metafunc.definition.get_closest_marker("databases")
    if databases is not None:
        stacks = [stack for stack in stacks if stack.database in databases.args]
    languages = metafunc.definition.get_closest_marker("languages")
    if languages is not None:
        stacks = [stack for stack in stacks if stack.language in languages.args]
    # Session scope groups the tests of one stack together, so each stack's project and
    # servers exist only while its tests run.
    metafunc.parametrize("stack", stacks, ids=[stack.name for stack in stacks], scope="session")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Within each stack, check the generated project itself before speaking HTTP to it.

    Tests that no selected stack fits (auth_modes, databases, languages) are deselected, not skipped.
    """
    unmatched = [item for item in items if _has_no_stack(item)]
    if unmatched:
        config.hook.pytest_deselected(items=unmatched)
        items[:] = [item for item in items if not _has_no_stack(item)]
    slots = [i for i, item in enumerate(items) if _stack_of(item) is not None]
    order = {stack.name: n for n, stack in enumerate(selected_stacks())}
    chosen = [items[i] for i in slots]
    chosen.sort(
        key=lambda item: (
            order.get(_stack_of(item) or "", len(order)),
            0 if item.path.name == "test_generated_projects.py" else 1,
        )
    )
    for slot, item in zip(slots, chosen, strict=True):
        items[slot] = item
        # With `-n N --dist loadgroup` (scripts/test) a stack's tests stay on one worker, in
        # this order, so that its project is generated, installed and booted there once.
        item.add_marker(pytest.mark.xdist_group(_stack_of(item) or ""))


def _has_no_stack(item: pytest.Item) -> bool:
    skip = item.get_closest_marker("skip")
    reason = str(skip.kwargs.get("reason", "")) if skip is not None else ""
    return reason.startswith("got empty parameter set") and "stack" in reason


def _stack_of(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    stack = callspec.params.get("stack") if callspec is not None else None
    return stack.name if isinstance(stack, harness.Stack) else None


@pytest.fixture(scope="session")
def postgres() -> Iterator[harness.Postgres]:
    """A throwaway PostgreSQL server for the whole session; requested only by postgres stacks."""
    server = harness.start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mongo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Mongo]:
    """A throwaway MongoDB-compatible server for the whole session; requested only by mongodb stacks."""
    server = harness.start_mongo(log_dir=tmp_path_factory.mktemp("mongo"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def source_addresses() -> harness.SourceAddresses:
    return harness.SourceAddresses()


@pytest.fixture
def source_address(source_addresses: harness.SourceAddresses) -> str:
    """A loopback address no other test uses as its client source (per-client limits stay apart)."""
    return source_addresses.take()


@pytest.fixture(scope="session")
def projects(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[harness.Stack], harness.Project]:
    """Generate and install each stack's project once per session, on first use."""
    built: dict[str, harness.Project] = {}
    failed: dict[str, str] = {}

    def get(stack: harness.Stack) -> harness.Project:
        if stack.name in failed:
            # Do not spend another install on a stack that already failed; repeat why.
            raise AssertionError(failed[stack.name])
        if stack.name not in built:
            started = time.monotonic()
            try:
                out_dir = tmp_path_factory.mktemp(stack.name)
                project = harness.generate_project(stack, PROJECT_NAME, out_dir)
                harness.install_project(project)
            except AssertionError as exc:
                failed[stack.name] = f"generating or installing {stack.name} failed:\n{exc}"
                raise
            finally:
                FIGURES.spend(f"install.{stack.name}", time.monotonic() - started)
            built[stack.name] = project
        return built[stack.name]

    return get


@pytest.fixture(scope="session")
def project(
    stack: harness.Stack | str, projects: Callable[[harness.Stack], harness.Project]
) -> harness.Project:
    """The generated and installed project of the stack under test."""
    if not isinstance(stack, harness.Stack):
        pytest.fail(str(stack), pytrace=False)
    return projects(stack)


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, stack: harness.Stack) -> Callable[[str], str | None]:
    """Fresh database URLs for the stack: a new PostgreSQL or MongoDB database, or None (SQLite:
    the project's default file)."""

    return fresh_database_urls(request, stack)


def fresh_database_urls(request: pytest.FixtureRequest, stack: harness.Stack) -> Callable[[str], str | None]:
    """`database_url` for a stack a test chose itself (not the `stack` parameter)."""

    def fresh(purpose: str) -> str | None:
        if stack.database == "sqlite":
            return None
        server: harness.Postgres | harness.Mongo = request.getfixturevalue(
            "mongo" if stack.database == "mongodb" else "postgres"
        )
        return server.create_database(f"{stack.name}_{purpose}".replace("-", "_"))

    return fresh


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    """Environment variables the module's live server gets; a module overrides this to vary them."""
    return {"CORS_ORIGINS": harness.CORS_ALLOWED_ORIGIN}


@pytest.fixture(scope="module")
def live_server(
    project: harness.Project,
    database_url: Callable[[str], str | None],
    server_settings: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[harness.Server]:
    """The stack's project booted once for a whole test module, with `server_settings`."""
    server = harness.boot_project(
        project, tmp_path_factory.mktemp("logs"), database_url("server"), **server_settings
    )
    try:
        yield server
    finally:
        server.stop()


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
