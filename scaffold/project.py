"""An existing generated project, as `add resource` and `resources` read it: its stack, its
recorded resources, its registry and its migration history."""

from __future__ import annotations

import ast
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from scaffold import answers, changes, languages, registry, resources, stacks
from scaffold.errors import NotAProjectError, ProjectStateError, ScaffoldError, UsageError
from scaffold.resources import Resource
from scaffold.stacks import FRAMEWORK_INFO, Stack


@dataclass(frozen=True)
class Project:
    """A generated project and what it records."""

    path: Path
    stack: Stack
    package: str  # the Python package; the npm name for Express
    resources: tuple[Resource, ...]
    registry_sha256: str | None  # as recorded; None before the first resource

    @property
    def registry(self) -> str:
        """The registry's path in the project."""
        return registry.registry_path(self.stack.framework, self.package)

    @property
    def language(self) -> str:
        return FRAMEWORK_INFO[self.stack.framework].language

    def answers(self) -> dict[str, str]:
        given = {"database": self.stack.database, "auth": self.stack.auth}
        if self.language == languages.python.NAME:
            given["package_name"] = self.package
        return given


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(path: Path) -> Project:
    """The project at `path`, after finishing any change a killed run left committed.

    UsageError when `path` is not a project made by scaffold; ProjectStateError when its
    `.scaffold.toml` cannot be read.
    """
    if not path.is_dir():
        raise UsageError(f"'{path}' is not a folder; give a project's folder with --path")
    record = path / answers.RECORD_FILE
    if not record.is_file():
        raise UsageError(
            f"'{path}' is not a project made by scaffold (no {answers.RECORD_FILE}); "
            "give its folder with --path"
        )
    changes.recover(path)
    try:
        data = tomllib.loads(record.read_text(encoding="utf-8"))
        stack = stacks.parse_stack(str(data["stack"]))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, ScaffoldError) as exc:
        raise ProjectStateError(f"{record} does not say which stack the project is ({exc})") from None
    package = ""
    if FRAMEWORK_INFO[stack.framework].language == languages.python.NAME:
        try:
            package = languages.python.package(path)
        except NotAProjectError as exc:
            raise ProjectStateError(str(exc)) from None
    tables = data.get("resources", [])
    if not isinstance(tables, list):
        raise ProjectStateError(f"{record}: 'resources' must be [[resources]] tables")
    try:
        found = tuple(resources.from_record(t, auth=stack.auth, source=str(record)) for t in tables)
        resources.check_set(found)
    except UsageError as exc:
        raise ProjectStateError(str(exc)) from None
    recorded_hash = data.get("registry_sha256")
    return Project(path, stack, package, found, recorded_hash if isinstance(recorded_hash, str) else None)


def check_registry(project: Project) -> bytes:
    """The registry as it is on disk; ProjectStateError if it is missing or was edited by hand."""
    names = [r.name for r in project.resources]
    expected = registry.render_registry(project.stack.framework, project.answers(), names).data
    target = project.path / project.registry
    if not target.is_file():
        raise ProjectStateError(
            f"'{project.registry}' is missing: the project was made by an older scaffold. Add it with "
            "these lines, then run again:\n" + expected.decode()
        )
    actual = target.read_bytes()
    unchanged = sha256(actual) == project.registry_sha256 if project.registry_sha256 else actual == expected
    if not unchanged:
        import difflib

        diff = "".join(
            difflib.unified_diff(
                expected.decode().splitlines(keepends=True), actual.decode(errors="replace").splitlines(True),
                f"{project.registry} (scaffold's)", f"{project.registry} (on disk)",
            )
        )  # fmt: skip
        raise ProjectStateError(
            f"'{project.registry}' was edited by hand; scaffold rebuilds it from {answers.RECORD_FILE}. "
            "Move your changes into the resources' own files and restore it:\n" + diff
        )
    return actual


def alembic_heads(project: Project) -> list[str]:
    """The revisions of `migrations/versions/` that no other revision follows."""
    revisions = alembic_revisions(project)
    followed = {p for parents in revisions.values() for p in parents}
    return sorted(r for r in revisions if r not in followed)


def alembic_revisions(project: Project) -> dict[str, tuple[str, ...]]:
    """Each revision of `migrations/versions/` with the revisions it follows."""
    folder = project.path / "src" / project.package / "migrations" / "versions"
    revisions: dict[str, tuple[str, ...]] = {}
    for file in sorted(folder.glob("*.py")):
        try:
            values = _constants(ast.parse(file.read_text(encoding="utf-8")))
        except (OSError, SyntaxError, UnicodeDecodeError) as exc:
            raise ProjectStateError(f"cannot read the migration {file.name}: {exc}") from None
        revision, parent = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            continue
        if isinstance(parent, str):
            parent = (parent,)
        revisions[revision] = tuple(str(p) for p in parent) if isinstance(parent, tuple | list) else ()
    return revisions


def _constants(tree: ast.Module) -> dict[str, object]:
    """A module's top-level `name = <literal>` assignments."""
    values: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return values


# `0002_posts.sql`: the Express runner's version is the stem, ordered by its number.
_SQL_MIGRATION = re.compile(r"(?P<number>[0-9]+)_[A-Za-z0-9_-]+")


def sql_migrations(project: Project) -> list[tuple[int, str]]:
    """Each `.sql` file of an Express project's `migrations/` as (number, version), in order."""
    found = []
    for file in (project.path / "migrations").glob("*.sql"):
        match = _SQL_MIGRATION.fullmatch(file.stem)
        if match:
            found.append((int(match["number"]), file.stem))
    return sorted(found)


def next_sql_migration(project: Project, wanted: str | None) -> dict[str, str]:
    """The number (`id`) a new `.sql` migration takes, after the last one (`parent`).

    The next free number, as wide as the last one's, unless `wanted` pins it: then it must be
    a number after every existing one (the runner applies the files in that order).
    """
    existing = sql_migrations(project)
    if not existing:
        raise ProjectStateError("the project has no migration to follow in migrations/ (0001_initial.sql)")
    last_number, parent = existing[-1]
    width = len(parent.split("_", 1)[0])
    if wanted is None:
        return {"id": str(last_number + 1).zfill(width), "parent": parent}
    if not wanted.isdigit():
        raise UsageError(
            f"--migration-id '{wanted}': an Express migration is named by its number, e.g. "
            f"{str(last_number + 1).zfill(width)}"
        )
    if int(wanted) <= last_number:
        taken = [version for number, version in existing if number == int(wanted)]
        raise ProjectStateError(
            f"migration number {wanted} "
            + (f"is taken by {taken[0]}.sql" if taken else f"comes before the last one, {parent}.sql")
            + f"; give a later one with --migration-id, e.g. {str(last_number + 1).zfill(width)}"
        )
    return {"id": wanted, "parent": parent}


def single_head(project: Project) -> str:
    """The one head a new revision follows; ProjectStateError naming them when there are several."""
    heads = alembic_heads(project)
    if len(heads) == 1:
        return heads[0]
    if not heads:
        raise ProjectStateError("the project has no Alembic revision to follow in migrations/versions/")
    raise ProjectStateError(
        f"the migrations have {len(heads)} heads ({', '.join(heads)}); join them first with "
        f"`alembic merge -m merge {' '.join(heads)}`"
    )
