"""The commands on a generated project's resources: `add resource`, `remove resource` and
`resources`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scaffold import console

add_app = typer.Typer(
    name="add", help="Add to a generated project: `scaffold add resource NAME FIELD...`.",
    no_args_is_help=True, rich_markup_mode=None,
)  # fmt: skip


# The options `add resource` and `remove resource` share.
ProjectPath = Annotated[str, typer.Option("--path", help="The project folder.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the plan, write nothing.")]
Diff = Annotated[bool, typer.Option("--diff", help="With --dry-run: show each file's unified diff.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]

remove_app = typer.Typer(
    name="remove", help="Remove from a generated project: `scaffold remove resource NAME`.",
    no_args_is_help=True, rich_markup_mode=None,
)  # fmt: skip


def _complete_type(ctx: typer.Context, incomplete: str) -> list[str]:
    """FIELD completes as name:type once the name is typed, and `ref{` with the project's resources."""
    from scaffold import fields

    name, colon, typed = incomplete.partition(":")
    if not colon:
        return []
    if typed.startswith("ref{"):
        begun = typed.removeprefix("ref{")
        known = _recorded_names(Path(ctx.params.get("path") or "."))
        return [f"{name}:ref{{{target}}}" for target in known if target.startswith(begun)]
    return [f"{name}:{kind}" for kind in fields.TYPES if kind.startswith(typed)]


def _recorded_names(project: Path) -> list[str]:
    """The resources `.scaffold.toml` records, read without a change (completion writes nothing)."""
    import tomllib

    try:
        record = tomllib.loads((project / ".scaffold.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    tables = record.get("resources", [])
    return [t["name"] for t in tables if isinstance(t, dict) and isinstance(t.get("name"), str)]


@add_app.command("resource")
def add_resource(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME", help="The plural, snake_case: posts, order_items.", show_default=False
        ),
    ] = None,
    field_texts: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FIELD...",
            help="name:type[{args}][?][:unique|:index][=default]; see --types.",
            autocompletion=_complete_type,
            show_default=False,
        ),
    ] = None,
    access: Annotated[
        str | None,
        typer.Option(
            help="owner, private, public-read, signed-in or public (owner with auth, public without)."
        ),
    ] = None,
    singular: Annotated[
        str | None, typer.Option(help="The singular, when NAME is irregular (people: person).")
    ] = None,
    path: ProjectPath = ".",
    dry_run: DryRun = False,
    diff: Diff = False,
    as_json: AsJson = False,
    verify: Annotated[
        bool, typer.Option("--verify", help="Run `scaffold verify` on the project afterwards.")
    ] = False,
    migration_id: Annotated[
        str | None,
        typer.Option("--migration-id", help="The migration's revision id (default: a UTC timestamp)."),
    ] = None,
    types: Annotated[bool, typer.Option("--types", help="List the field types and exit.")] = False,
    quiet: Quiet = False,
) -> None:
    """Add a resource to a generated project: model, migration, schemas, service, routes, tests.

    \b
    Writes new files only (src/<package>/resources/NAME/, a migration, tests) and rebuilds
    the registry; .scaffold.toml records the resource. Running the same command again
    changes nothing. Exit codes: 0 done, 1 failed, 2 bad input, 3 refused by the
    project's state (an edited registry, a file in the way, another definition).
    """
    from scaffold import add, fields

    if types:
        kinds = list(fields.TYPES.values())
        if as_json:
            console.print_json([kind.as_dict() for kind in kinds])
        else:
            sys.stdout.write(console.types_table(kinds))
        return
    if name is None or not field_texts:
        from scaffold.errors import UsageError

        raise UsageError("give NAME and at least one FIELD, e.g. scaffold add resource posts title:str{120}")
    out = console.Output(quiet=quiet or as_json)
    plan = add.plan(
        Path(path), name, field_texts, access=access, singular=singular,
        migration_id=migration_id, with_diffs=diff,
    )  # fmt: skip
    if not dry_run:
        add.add(plan)
    document = {**plan.as_dict(), "dry_run": dry_run}
    if as_json:
        if diff:
            document["diffs"] = plan.diffs
        console.print_json(document)
    else:
        out.planned(plan, dry_run)
        if diff:
            sys.stdout.write("".join(plan.diffs))
    if verify and not dry_run:
        from scaffold import verify as verifying

        result = verifying.verify(Path(path), reporter=out)
        out.verified(result, True)


def _complete_recorded(ctx: typer.Context, incomplete: str) -> list[str]:
    known = _recorded_names(Path(ctx.params.get("path") or "."))
    return [name for name in known if name.startswith(incomplete)]


@remove_app.command("resource")
def remove_resource(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="The resource, as `scaffold resources` lists it.",
            autocompletion=_complete_recorded,
            show_default=False,
        ),
    ],
    path: ProjectPath = ".",
    dry_run: DryRun = False,
    diff: Diff = False,
    as_json: AsJson = False,
    force: Annotated[
        bool, typer.Option("--force", help="Delete the resource's files even where they were changed.")
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Remove a resource from a generated project; a new migration drops its table.

    \b
    Deletes the resource's files that are unchanged since `add` wrote them (a changed one is
    listed and kept, unless --force), rebuilds the registry and writes a migration after the
    last one that drops the table; the migration that created it stays. Exit codes: 0 done,
    1 failed, 2 bad input, 3 refused by the project's state (no such resource, another
    resource refers to it, an edited registry).
    """
    from scaffold import remove

    out = console.Output(quiet=quiet or as_json)
    removal = remove.plan(Path(path), name, force=force, with_diffs=diff)
    if not dry_run:
        remove.remove(removal)
    if as_json:
        document = {**removal.as_dict(), "dry_run": dry_run}
        if diff:
            document["diffs"] = removal.diffs
        console.print_json(document)
    else:
        out.removed(removal, dry_run)
        if diff:
            sys.stdout.write("".join(removal.diffs))


def list_resources(
    path: ProjectPath = ".",
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List the resources a generated project has, in the order they were added."""
    from scaffold import project

    found = project.load(Path(path)).resources
    if as_json:
        console.print_json([r.as_dict() for r in found])
        return
    for resource in found:
        specs = " ".join(f.spec for f in resource.fields)
        sys.stdout.write(f"{resource.name}  {resource.path}  {resource.access}  {specs}\n")
