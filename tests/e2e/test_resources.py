"""`scaffold add resource` end to end, on every stack it is built for: two resources that use
every field type between them, a reference and a unique field, added with the real CLI; then
the project installs, lints, passes its own tests (the resources' among them), boots, serves
the resources over real HTTP and publishes them in a valid OpenAPI document.

The resources' share of the OpenAPI document is the same on every stack of an auth mode: it
is compared with `contract/openapi/resources-<auth>.json`, written from one stack's document:

    curl -s localhost:8000/openapi.json | python -m tests.e2e.test_resources jwt

One project per framework also carries a resource of every other access mode, and one shows
that adding a resource to a database that holds users keeps them.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from scaffold import add as adding
from scaffold import languages, resources, samples
from tests.helpers import agents_commands

from . import harness
from .conftest import fresh_database_urls, selected_stacks
from .contract import resources as contract_resources
from .contract import test_openapi_document as openapi
from .contract.client import JSON_TYPE, Account, connect
from .contract.resources import Rows
from .test_fuzz import schemathesis_run
from .test_verify import agent_variables

pytestmark = pytest.mark.e2e

CATEGORIES = ["categories", "name:str{60}:unique", "rank:int=0"]
# With CATEGORIES, every type of the vocabulary; a reference, unique and indexed fields.
POSTS = [
    "posts", "title:str{3,120}:unique", "body:text?", "views:int=0", "ratio:float?",
    "price:decimal{10,2}=0", "draft:bool=true", "due:date?", "published_at:datetime?:index",
    "uid:uuid?", "contact:email?", "site:url?", "status:enum{draft,published}=draft",
    "meta:json?", "category:ref{categories}", "order:int?",
]  # fmt: skip
OTHER_MODES = {
    "private": ["notes", "text:str{200}"],
    "public-read": ["pages", "heading:str"],
    "signed-in": ["boards", "label:str"],
    "public": ["links", "target:url"],
}
# The stack of each framework that carries the other access modes.
ALL_MODES = {
    "flask": "flask-sqlite-jwt", "fastapi": "fastapi-sqlite-session", "express": "express-sqlite-jwt",
}  # fmt: skip
MIN_TESTS_PER_RESOURCE = 25
# The share of the OpenAPI document that CATEGORIES and POSTS make.
RESOURCE_PATHS, RESOURCE_SCHEMAS = ("/api/categories", "/api/posts"), ("Categor", "Post")
# What schemathesis fuzzes: the resources' paths (test_fuzz has the rest).
RESOURCES = "^/api/(categories|posts)"

_STACKS = [
    stack
    for stack in selected_stacks()
    if stack.framework in adding.FRAMEWORKS and stack.database != "mongodb"
]


def scaffold_add(project: Path, *args: str) -> None:
    result = harness.run(
        [sys.executable, "-m", "scaffold", "add", "resource", *args, "--path", project],
        cwd=harness.REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def resource_reference(auth: str) -> Path:
    return openapi.REFERENCES / f"resources-{auth}.json"


def resources_part(document: dict[str, object]) -> str:
    """The resources' operations and schemas of a served document, normalised."""
    return openapi.canonical(openapi.part(openapi.normalise(document), RESOURCE_PATHS, RESOURCE_SCHEMAS))


def resource_test_counts(project: harness.Project, env: dict[str, str]) -> dict[str, int]:
    """How many tests each resource's test file holds, as pytest collects them (node --test has
    no collect-only mode: there each file runs, and all its tests must pass)."""
    if project.stack.language == languages.node.NAME:
        ran_counts: dict[str, int] = {}
        for file in sorted((project.path / "tests" / "resources").glob("*.test.js")):
            ran = harness.run(
                ["node", "--test", "--test-reporter=tap", str(file.relative_to(project.path))],
                cwd=project.path, env=env, timeout=600,
            )  # fmt: skip
            summary = harness.node_test_summary(ran.stdout)
            assert summary["failed"] == 0, harness.tail(ran.stdout)
            ran_counts[file.name.removesuffix(".test.js")] = summary["passed"]
        return ran_counts
    listed = harness.run(
        [".venv/bin/pytest", "--collect-only", "-q", "tests/resources"], cwd=project.path, env=env
    )
    counts: dict[str, int] = {}
    for line in listed.stdout.splitlines():
        if "::" in line:
            name = Path(line.split("::", 1)[0]).stem.removeprefix("test_")
            counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.parametrize("resource_stack", _STACKS, ids=[stack.name for stack in _STACKS])
def test_when_resources_are_added_then_the_project_installs_lints_tests_boots_and_serves_them(
    resource_stack: harness.Stack, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    stack = resource_stack
    project = harness.generate_project(stack, "shop", tmp_path)
    scaffold_add(project.path, *CATEGORIES)
    scaffold_add(project.path, *POSTS)
    modes = OTHER_MODES if ALL_MODES.get(stack.framework) == stack.name else {}
    for mode, definition in modes.items():
        if stack.auth == "none" and mode != "public":
            continue
        scaffold_add(project.path, *definition, "--access", mode)

    values = agent_variables(fresh_database_urls(request, stack), "resources")
    env = harness.clean_env(values)
    steps = {step["name"]: step for step in harness.verified(project, env)["steps"]}
    assert steps["lint"]["passed"]
    counts = resource_test_counts(project, harness.tool_env(project, values))
    assert counts.keys() >= {"categories", "posts"}, counts
    assert min(counts.values()) >= MIN_TESTS_PER_RESOURCE, counts

    server = harness.boot_project(project, tmp_path, values.get("DATABASE_URL"))
    try:
        document = harness.served_openapi(server)
        expected = resource_reference(stack.auth).read_text(encoding="utf-8")
        actual = resources_part(document)
        assert actual == expected, (
            f"{stack.name} publishes its resources otherwise than {resource_reference(stack.auth).name}:\n"
            + openapi.first_differences(expected, actual, resource_reference(stack.auth).name)
        )
        with connect(server.base_url, stack.auth, project.dotenv(), server.log_path) as api:
            parent = resources.define(CATEGORIES[0], CATEGORIES[1:], auth=stack.auth)
            child = resources.define(POSTS[0], POSTS[1:], auth=stack.auth)
            contract_resources.probe(api, stack.auth, parent, child)
            for mode, (name, *fields) in modes.items():
                if stack.auth != "none" or mode == "public":
                    moded = resources.define(name, fields, auth=stack.auth, access=mode)
                    contract_resources.probe_access(api, stack.auth, moded)
            ada = api.register() if stack.auth != "none" else None
            headers = ada.headers if ada else {}
            fuzzed = schemathesis_run(server.base_url, headers, stack.auth != "none", tmp_path, RESOURCES)
            assert "12 selected" in fuzzed, harness.tail(fuzzed)  # the resources' 12 operations
            held = _a_post_holding_a_category(Rows(api, ada))
    finally:
        server.stop()
    removed_then_served_without_it(project, values, tmp_path, ada, held, modes)


def _a_post_holding_a_category(rows: Rows) -> dict[str, object]:
    """A category and a post that refers to it, left in the database for the removal."""
    category = rows.create("/api/categories", {"name": f"held {secrets.token_hex(4)}"})
    child = resources.define(POSTS[0], POSTS[1:], auth="none")
    body = {f.column: samples.valid(f)[0] for f in child.fields}
    body.update(title=f"kept {secrets.token_hex(4)}", category_id=category["id"])
    rows.create("/api/posts", body)
    assert rows.delete(f"/api/categories/{category['id']}").status_code == 409
    return category


def removed_then_served_without_it(
    project: harness.Project, values: dict[str, str], tmp_path: Path, ada: Account | None,
    held: dict[str, object], modes: dict[str, list[str]],
) -> None:  # fmt: skip
    """`scaffold remove resource posts` on a project whose database holds posts: the migrate
    command drops the table, no older migration changes, the project's own tests pass, and the
    server serves the rest without posts."""
    migrations = [
        *project.path.glob("migrations/*.sql"),
        *project.path.glob("src/*/migrations/versions/*.py"),
    ]
    before = {p: p.read_bytes() for p in migrations}
    removed = harness.run(
        [sys.executable, "-m", "scaffold", "remove", "resource", "posts", "--path", project.path, "--json"],
        cwd=harness.REPO_ROOT, timeout=60,
    )  # fmt: skip
    drop = json.loads(removed.stdout)["migration"]
    migrate = agents_commands((project.path / "AGENTS.md").read_text(encoding="utf-8"))["migrate"]
    harness.run(["sh", "-c", migrate], cwd=project.path, env=harness.tool_env(project, values))
    assert {p: p.read_bytes() for p in migrations} == before, "an applied migration was changed"
    assert (project.path / drop).is_file()

    steps = {step["name"]: step for step in harness.verified(project, harness.clean_env(values))["steps"]}
    assert steps["test"]["passed"]
    server = harness.boot_project(project, tmp_path, values.get("DATABASE_URL"))
    try:
        document = harness.served_openapi(server)
        assert not [path for path in document["paths"] if path.startswith("/api/posts")], document["paths"]
        assert "/api/categories" in document["paths"]
        auth = project.stack.auth
        with connect(server.base_url, auth, project.dotenv(), server.log_path) as api:
            rows = Rows(api, api.login(ada) if ada else None)
            assert rows.get("/api/posts").status_code == 404
            # The table that held it is gone: the category it held may go now.
            assert rows.delete(f"/api/categories/{held['id']}").status_code == 204
            contract_resources.probe_access(
                api, auth, resources.define(*CATEGORIES[:1], CATEGORIES[1:], auth=auth)
            )
            for mode, (name, *fields) in modes.items():
                if auth != "none" or mode == "public":
                    moded = resources.define(name, fields, auth=auth, access=mode)
                    contract_resources.probe_access(api, auth, moded)
    finally:
        server.stop()


_UPGRADE = next((s for s in _STACKS if s.name == "flask-postgres-jwt"), None)


@pytest.mark.skipif(_UPGRADE is None, reason="flask-postgres-jwt is not among the selected stacks")
def test_when_a_resource_is_added_to_a_database_holding_users_then_they_stay_and_it_downgrades(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    assert _UPGRADE is not None
    project = harness.generate_project(_UPGRADE, "grown", tmp_path)
    values = agent_variables(fresh_database_urls(request, _UPGRADE), "upgrade")
    install = harness.languages.driver("python").install_attempts(project.path)[0]
    for command in install:
        harness.run(command, cwd=project.path, env=harness.clean_env(values), timeout=600)
    env = harness.tool_env(project, values)
    alembic = [".venv/bin/alembic"]
    harness.run([*alembic, "upgrade", "head"], cwd=project.path, env=env)
    server = harness.boot_project(project, tmp_path, values["DATABASE_URL"])
    try:
        with connect(server.base_url, "jwt", project.dotenv(), server.log_path) as api:
            ada = api.register()
    finally:
        server.stop()

    scaffold_add(project.path, *CATEGORIES, "--migration-id", "categories1")
    harness.run([*alembic, "upgrade", "head"], cwd=project.path, env=env)
    harness.run([*alembic, "downgrade", "-1"], cwd=project.path, env=env)
    harness.run([*alembic, "upgrade", "head"], cwd=project.path, env=env)
    current = harness.run([*alembic, "current"], cwd=project.path, env=env)
    assert "categories1 (head)" in current.stdout

    server = harness.boot_project(project, tmp_path, values["DATABASE_URL"])
    try:
        with connect(server.base_url, "jwt", project.dotenv(), server.log_path) as api:
            signed_in = api.login(ada)
            assert api.client.get(ada.path, headers=signed_in.headers).status_code == 200
            made = api.client.post(
                "/api/categories", json={"name": "Kept"}, headers={**signed_in.headers, **JSON_TYPE}
            )
            assert made.status_code == 201, made.text
    finally:
        server.stop()


def main(argv: list[str]) -> int:
    """Write the resources' reference for an auth mode from a served document read on stdin."""
    if len(argv) != 1 or argv[0] not in openapi.AUTH_MODES:
        print(f"usage: ... < openapi.json  {'|'.join(openapi.AUTH_MODES)}", file=sys.stderr)
        return 2
    document = json.load(sys.stdin)
    validate(document)
    resource_reference(argv[0]).write_text(resources_part(document), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
