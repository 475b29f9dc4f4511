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


def check_available(stack: Stack) -> None:
    """Refuse a stack whose resource templates are not built yet (exit 2)."""
    if stack.framework not in FRAMEWORKS:
        raise UsageError(f"`scaffold add resource` is not available for {stack.framework} projects yet")
    if stack.database not in DATABASES:
        raise UsageError(f"`scaffold add resource` is not available for {stack.database} projects yet")


def _next_steps() -> list[str]:
    return ["run the project's migrate command", "run the project's tests"]


def _free_timestamp(now: dt.datetime, taken: Container[str]) -> str:
    """A revision id from the UTC time, a second later while it is taken (two adds in a second)."""
    while (stamp := now.strftime("%Y%m%d%H%M%S")) in taken:
        now += dt.timedelta(seconds=1)
    return stamp


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
    now = dt.datetime.now(dt.UTC)
    migration = {"id": migration_id or "", "created": now.strftime("%Y-%m-%d %H:%M:%S")}
    if project.stack.database != "mongodb" and project.language == languages.node.NAME:
        migration.update(projects.next_sql_migration(project, migration_id))
    elif project.stack.database != "mongodb":
        migration["parent"] = projects.single_head(project)
        taken = projects.alembic_revisions(project)
        if migration_id in taken:
            raise ProjectStateError(
                f"revision '{migration_id}' exists already; give another with --migration-id"
            )
        migration["id"] = migration_id or _free_timestamp(now, taken)
    resource = replace(resource, migration=migration["id"] if project.stack.database != "mongodb" else None)
    files = resource_files.render_resource(
        framework, project.answers(), resource, project.resources, migration
    )

    in_the_way = [f.path for f in files if (project.path / f.path).exists()]
    if in_the_way:
        raise ProjectStateError(
            f"'{in_the_way[0]}' exists already; scaffold never overwrites a file. Move it away or "
            "choose another resource name"
        )
    every = [*project.resources, resource]
    new_registry = registry.render_registry(framework, project.answers(), [r.name for r in every])
    # As the project's own formatter lays them out, for any length of name.
    laid_out = languages.driver(project.language).format_sources(
        project.path, {f.path: f.data for f in (*files, new_registry)}
    )
    files = [f._replace(data=laid_out[f.path]) for f in files]
    new_registry = new_registry._replace(data=laid_out[new_registry.path])
    record = answers.with_resources(
        (project.path / answers.RECORD_FILE).read_text(encoding="utf-8"),
        every,
        projects.sha256(new_registry.data),
    )
    result = Plan(project.path, resource)
    result.changes = [Change(f.path, f.data, "create", f.mode) for f in files]
    result.changes.append(Change(project.registry, new_registry.data, "update"))
    result.changes.append(Change(answers.RECORD_FILE, record.encode(), "update"))
    if with_diffs:
        result.diffs = [_diff(project, change) for change in result.changes]
    return result


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


def _diff(project: Project, change: Change) -> str:
    target = project.path / change.path
    before = target.read_text(encoding="utf-8").splitlines(True) if target.is_file() else []
    after = (change.data or b"").decode().splitlines(True)
    return "".join(difflib.unified_diff(before, after, f"a/{change.path}", f"b/{change.path}"))


def add(plan_: Plan) -> Plan:
    """Write the plan into its project, all at once."""
    if not plan_.identical:
        changes.apply(plan_.project, plan_.changes)
    return plan_
