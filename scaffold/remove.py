"""`scaffold remove resource`: delete a resource's files that are unchanged since `add` wrote
them, rebuild the registry, and write the migration that drops its table; all at once or not
at all.

An applied migration is never edited or deleted: the one that created the table stays, and a
new one after the last drops it. A changed file is the user's: it is listed and kept, unless
`--force`. Nothing is written when anything is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scaffold import add, changes, render, resource_files
from scaffold import project as projects
from scaffold.changes import Change
from scaffold.errors import ProjectStateError
from scaffold.project import Project
from scaffold.resources import Resource


@dataclass
class Removal:
    """What `remove` does, or did: the files it deletes and keeps, and the migration it writes."""

    project: Path
    resource: Resource
    changes: list[Change] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed since `add` wrote them
    migration: str | None = None  # the path of the migration that drops the table
    diffs: list[str] = field(default_factory=list)

    def next_steps(self) -> list[str]:
        steps = ["run the project's migrate command: it drops the table, and its rows with it"]
        if self.kept:
            steps.append("delete or change the files that were kept: " + ", ".join(self.kept))
        return [*steps, "run the project's tests"]

    def as_dict(self) -> dict[str, object]:
        return {
            "project": str(self.project),
            "resource": self.resource.as_dict(),
            "files": [{"path": c.path, "action": c.action} for c in self.changes]
            + [{"path": path, "action": "keep"} for path in self.kept],
            "kept": self.kept,
            "migration": self.migration,
            "next_steps": self.next_steps(),
        }


def plan(path: Path, name: str, *, force: bool = False, with_diffs: bool = False) -> Removal:
    """Check everything and decide every file; raises before anything is written."""
    project = projects.load(path)
    resource = _recorded(project, name)
    add.check_available(project.stack, "remove resource")
    referrers = [
        f"{other.name}.{f.name}" for other in project.resources if other.name != name
        for f in other.fields if f.target == name
    ]  # fmt: skip
    if referrers:
        raise ProjectStateError(
            f"'{name}' is referred to by {', '.join(referrers)}; remove or change those first"
        )
    projects.check_registry(project)
    rest = [r for r in project.resources if r.name != name]

    result = Removal(project.path, resource)
    for rel, digest in sorted(_generated(project, resource).items()):
        target = project.path / rel
        if not target.is_file():
            continue  # deleted by the user already
        if projects.sha256(target.read_bytes()) != digest and not force:
            result.kept.append(rel)
            continue
        result.changes.append(Change(rel, None, "delete"))

    migration = add.new_migration(project)
    dropping = resource_files.render_resource(
        project.stack.framework, project.answers(), resource, rest, migration, part=render.REMOVAL_DIR
    )
    for file in dropping:
        if (project.path / file.path).exists():
            raise ProjectStateError(f"'{file.path}' exists already; scaffold never overwrites a file")
    dropping, new_registry = add.laid_out(project, dropping, rest)
    result.changes += [Change(f.path, f.data, "create", f.mode) for f in dropping]
    result.migration = dropping[0].path
    result.changes += add.registry_changes(project, rest, new_registry)
    if with_diffs:
        result.diffs = [changes.diff(project.path, change) for change in result.changes]
    return result


def remove(removal: Removal) -> Removal:
    """Make the removal in its project, all at once."""
    changes.apply(removal.project, removal.changes)
    return removal


def _recorded(project: Project, name: str) -> Resource:
    for resource in project.resources:
        if resource.name == name:
            return resource
    known = ", ".join(r.name for r in project.resources) or "none"
    raise ProjectStateError(f"the project has no resource '{name}' (it has: {known})")


def _generated(project: Project, resource: Resource) -> Mapping[str, str]:
    """Each file `add` wrote for the resource, but its migration, with its hash then.

    A resource added by a scaffold that recorded no hashes is rendered again as it was added
    (after the resources before it): a file that differs from that counts as changed.
    """
    if resource.files:
        return dict(resource.files)
    earlier = project.resources[: project.resources.index(resource)]
    migration = {"id": resource.migration or "0", "parent": "", "created": ""}
    files = resource_files.render_resource(
        project.stack.framework, project.answers(), resource, earlier, migration
    )
    laid, _ = add.laid_out(project, files, [*earlier, resource])
    return dict(add.generated_hashes(laid))
