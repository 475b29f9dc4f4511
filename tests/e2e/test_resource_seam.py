"""The resource seam: a resource added to a generated project by writing only new files and
rebuilding the registry is served, tested, published in OpenAPI and wired to its database.

The resource (`notes`, in tests/e2e/notes/) is hand-written: this proves the seam that
`scaffold add resource` writes into, one stack per framework, not that command."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from scaffold import registry

from . import harness
from .conftest import fresh_database_urls, selected_stacks
from .test_verify import agent_variables

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).parent / "notes"
# Each framework on the database whose seams it exercises most: Alembic's environment (SQL),
# the index set-up and the user deletion (MongoDB).
SEAM_STACKS = {
    "flask": "flask-sqlite-jwt",
    "fastapi": "fastapi-mongodb-session",
    "express": "express-mongodb-jwt",
}
FIXTURE_PARTS = {"flask": ["python", "flask"], "fastapi": ["python", "fastapi"], "express": ["express"]}
# The tests the resource brings, and how to run only them.
NOTES_TESTS = 6
ONLY_NOTES = {
    "python": [".venv/bin/pytest", "-q", "tests/resources"],
    "javascript": ["node", "--test", "tests/resources/notes.test.js"],
}

_STACKS = [stack for stack in selected_stacks() if stack.name in SEAM_STACKS.values()]


def _snapshot(project: Path) -> dict[str, str]:
    return {
        path.relative_to(project).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in project.rglob("*")
        if path.is_file()
    }


def add_notes(project: Path, framework: str, package: str) -> list[str]:
    """Copy the fixture's files into the project (PKG: its package); the paths written."""
    written: list[str] = []
    for part in FIXTURE_PARTS[framework]:
        root = FIXTURE / part
        for source in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            rel = source.relative_to(root).as_posix().replace("PKG", package)
            target = project / rel
            assert not target.exists(), f"the resource would overwrite {rel}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text().replace("PKG", package))
            written.append(rel)
    return written


@pytest.mark.parametrize("seam_stack", _STACKS, ids=[stack.name for stack in _STACKS])
def test_when_a_resource_is_added_as_new_files_and_the_registry_then_the_project_serves_it(
    seam_stack: harness.Stack, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    stack = seam_stack
    project = harness.generate_project(stack, "notes-app", tmp_path)
    before = _snapshot(project.path)
    package = project.package if stack.language == "python" else ""

    written = add_notes(project.path, stack.framework, package)
    rebuilt = registry.rebuild(project.path, ["notes"]).relative_to(project.path).as_posix()

    after = _snapshot(project.path)
    changed = sorted(path for path in before if after[path] != before[path])
    assert changed == [rebuilt], "only the registry may change"
    assert sorted(set(after) - set(before)) == sorted(written)

    values = agent_variables(fresh_database_urls(request, stack), "seam")
    env = harness.node_env(values) if stack.language == "javascript" else harness.clean_env(values)
    harness.verified(project, env)

    # The resource's own tests ran among them, and pass on their own.
    own = harness.run(
        ONLY_NOTES[stack.language], cwd=project.path, env=harness.tool_env(project, values), check=False
    )
    assert own.returncode == 0, harness.tail(own.stdout + own.stderr)
    counts = harness.languages.driver(stack.language).test_counts(own.stdout + own.stderr)
    assert counts.get("passed") == NOTES_TESTS, counts

    server = harness.boot_project(project, tmp_path, values.get("DATABASE_URL"))
    try:
        document = harness.served_openapi(server)
        assert {"/api/notes", "/api/notes/{id}"} <= document["paths"].keys()
        assert harness.http_get(f"{server.base_url}/api/notes")[0] == 401
    finally:
        server.stop()
