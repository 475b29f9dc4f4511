"""`scaffold add resource`: plan a resource's files and migration, then write them all at once.

The resource's own files are new; the registry and `.scaffold.toml` are scaffold's and are
the only existing files that change. Nothing is written when anything is refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Container, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from scaffold import answers, changes, languages, registry, resource_files, resources
from scaffold import project as projects
from scaffold.changes import Change
from scaffold.errors import ProjectStateError, UsageError
from scaffold.project import Project
from scaffold.render import RenderedFile
from scaffold.resources import Resource
from scaffold.stacks import Stack

# Frameworks and databases whose resource templates are built.
DATABASES = ("sqlite", "postgres")
FRAMEWORKS = ("flask", "fastapi", "express")


@dataclass
class Plan:
    """What `add` does, or did: each file with its action, the migration and the routes."""

    project: Path
    resource: Resource
    changes: list[Change] = field(default_factory=list)
    identical: bool = False  # the same resource is there already: nothing to do
    diffs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        path = self.resource.path
        return {
            "project": str(self.project),
            "resource": self.resource.as_dict(),
            "files": [{"path": c.path, "action": c.action} for c in self.changes],
            "migration": self.resource.migration,
            "routes": [
                f"GET {path}", f"POST {path}", f"GET {path}/{{id}}", f"PATCH {path}/{{id}}",
                f"PUT {path}/{{id}}", f"DELETE {path}/{{id}}",
            ],
            "next_steps": _next_steps(),
        }  # fmt: skip


def check_available(stack: Stack, command: str = "add resource") -> None:
    """Refuse a stack whose resource templates are not built yet (exit 2)."""
    for part in (stack.framework, stack.database):
        if part not in (*FRAMEWORKS, *DATABASES):
            raise UsageError(f"`scaffold {command}` is not available for {part} projects yet")


def _next_steps() -> list[str]:
    return ["run the project's migrate command", "run the project's tests"]


def _free_timestamp(now: dt.datetime, taken: Container[str]) -> str:
    """A revision id from the UTC time, a second later while it is taken (two adds in a second)."""
    while (stamp := now.strftime("%Y%m%d%H%M%S")) in taken:
        now += dt.timedelta(seconds=1)
    return stamp


def new_migration(project: Project, wanted: str | None = None) -> dict[str, str]:
    """The id, parent and time of an SQL migration after the project's last one (`wanted`, if
    given, as its id)."""
    now = dt.datetime.now(dt.UTC)
    migration = {"id": wanted or "", "created": now.strftime("%Y-%m-%d %H:%M:%S")}
    if project.language == languages.node.NAME:
        migration.update(projects.next_sql_migration(project, wanted))
        return migration
    migration["parent"] = projects.single_head(project)
    taken = projects.alembic_revisions(project)
    if wanted in taken:
        raise ProjectStateError(f"revision '{wanted}' exists already; give another with --migration-id")
    migration["id"] = wanted or _free_timestamp(now, taken)
    return migration


def plan(
    path: Path,
    name: str,
    field_texts: Sequence[str],
    *,
    access: str | None = None,
    singular: str | None = None,
    migration_id: str | None = None,
    with_diffs: bool = False,
) -> Plan:
    """Check everything and decide every file; raises before anything is written."""
    project = projects.load(path)
    framework = project.stack.framework
    resource = resources.define(
        name, field_texts, auth=project.stack.auth, access=access, singular=singular, migration=migration_id
    )
    existing = {r.name: r for r in project.resources}
    if name in existing:
        return _same_or_refused(project, existing[name], resource)
    check_available(project.stack)
    resources.check_set([*project.resources, resource])
    projects.check_registry(project)
    sql = project.stack.database != "mongodb"
    migration = new_migration(project, migration_id) if sql else {"id": "", "created": ""}
    resource = replace(resource, migration=migration["id"] if sql else None)
    files = resource_files.render_resource(
        framework, project.answers(), resource, project.resources, migration
    )

    in_the_way = [f.path for f in files if (project.path / f.path).exists()]
    if in_the_way:
        raise ProjectStateError(
            f"'{in_the_way[0]}' exists already; scaffold never overwrites a file. Move it away or "
            "choose another resource name"
        )
    files, new_registry = laid_out(project, files, [*project.resources, resource])
    resource = replace(resource, files=generated_hashes(files))
    result = Plan(project.path, resource)
    result.changes = [Change(f.path, f.data, "create", f.mode) for f in files]
    result.changes += registry_changes(project, [*project.resources, resource], new_registry)
    if with_diffs:
        result.diffs = [changes.diff(project.path, change) for change in result.changes]
    return result


def laid_out(
    project: Project, files: Sequence[RenderedFile], every: Sequence[Resource]
) -> tuple[list[RenderedFile], RenderedFile]:
    """The files, and the registry of `every` resource, as the project's own formatter lays them
    out (for any length of name)."""
    names = [r.name for r in every]
    new_registry = registry.render_registry(project.stack.framework, project.answers(), names)
    laid = languages.driver(project.language).format_sources(
        project.path, {f.path: f.data for f in (*files, new_registry)}
    )
    return [f._replace(data=laid[f.path]) for f in files], new_registry._replace(data=laid[new_registry.path])


def generated_hashes(files: Sequence[RenderedFile]) -> tuple[tuple[str, str], ...]:
    """What `.scaffold.toml` records of a resource's files: each but the migration, hashed."""
    return tuple((f.path, projects.sha256(f.data)) for f in files if not resource_files.is_migration(f.path))


def registry_changes(project: Project, every: Sequence[Resource], new_registry: RenderedFile) -> list[Change]:
    """The registry rebuilt for `every` resource, and `.scaffold.toml` recording them."""
    record = answers.with_resources(
        (project.path / answers.RECORD_FILE).read_text(encoding="utf-8"),
        every,
        projects.sha256(new_registry.data),
    )
    return [
        Change(project.registry, new_registry.data, "update"),
        Change(answers.RECORD_FILE, record.encode(), "update"),
    ]


def into_new_project(root: Path, wanted: Sequence[Resource]) -> list[str]:
    """Add resources, in order, to a project being made in `root` (`new`'s staging, not yet
    published: it is all or nothing already); the paths of the files they create."""
    created: list[str] = []
    for resource in wanted:
        planned = plan(
            root, resource.name, [f.spec for f in resource.fields], access=resource.access,
            singular=resource.singular, migration_id=resource.migration,
        )  # fmt: skip
        for change in planned.changes:
            target = root / change.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(change.data or b"")
            target.chmod(change.mode)
            created += [change.path] if change.action == "create" else []
    return created


def _same_or_refused(project: Project, recorded: Resource, asked: Resource) -> Plan:
    """The same command again is done already; the same name with another definition is refused."""
    if replace(recorded, migration=None) == replace(asked, migration=None):
        return Plan(project.path, recorded, identical=True)
    before, after = _definition(recorded), _definition(asked)
    shown = "; ".join(line for line in difflib.ndiff(before, after) if line.startswith(("- ", "+ ")))
    raise ProjectStateError(
        f"resource '{asked.name}' exists with another definition ({shown}); change its files by hand, "
        "or remove it and add it again"
    )


def _definition(resource: Resource) -> list[str]:
    return [f"access={resource.access}", f"singular={resource.singular}", *(f.spec for f in resource.fields)]


def add(plan_: Plan) -> Plan:
    """Write the plan into its project, all at once."""
    if not plan_.identical:
        changes.apply(plan_.project, plan_.changes)
    return plan_
