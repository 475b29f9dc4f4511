"""What a resource is: its name, singular, access mode and fields, checked against its project.

A resource is recorded in the project's ``.scaffold.toml`` as a ``[[resources]]`` table; the
same table in a ``--config`` file, or ``--resource "posts title:str"`` on ``new``, declares one.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from scaffold import fields
from scaffold.errors import UsageError
from scaffold.fields import Field, FieldError
from scaffold.naming import shown

# Who may do what, per mode (the design's access table).
ACCESS = {
    "owner": "any signed-in user reads; a create is its author's; changing another's row is 403",
    "private": "each user sees and changes only their own rows; another's id is 404",
    "public-read": "reads need no sign-in; writes as owner",
    "signed-in": "any signed-in user may do anything",
    "public": "no sign-in at all",
}
OWNED = frozenset({"owner", "private", "public-read"})

# Names the project uses already: its routes, tables and collections, and its migration records.
RESERVED = frozenset(
    {
        "users", "auth", "health", "docs", "openapi", "api", "sessions",
        "revoked_tokens", "login_failures", "alembic_version", "schema_migrations",
        "resources", "registry",
    }
)  # fmt: skip

# Schema names every project's OpenAPI document has; a resource's own must not repeat one.
SCHEMAS = frozenset(
    {
        "User", "UserPage", "UserCreate", "UserUpdate", "LoginRequest", "TokenResponse",
        "SessionResponse", "Health", "Error", "ValidationError",
    }
)  # fmt: skip
SCHEMA_SUFFIXES = ("", "Page", "Create", "Update")


class ResourceError(UsageError):
    """Raised when a resource's name, singular, access mode or fields cannot be used."""

    code = "invalid_resource"


def default_access(auth: str) -> str:
    """The access mode a resource gets when none is asked for."""
    return "public" if auth == "none" else "owner"


def singular_of(name: str) -> str | None:
    """The singular by a small English rule (``categories`` -> ``category``), or None."""
    last = name.rsplit("_", 1)[-1]
    head = name[: len(name) - len(last)]
    if last.endswith("ies") and len(last) > 3:
        return f"{head}{last[:-3]}y"
    for ending in ("sses", "shes", "ches", "xes", "zzes"):
        if last.endswith(ending):
            return f"{head}{last[:-2]}"
    if last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 1:
        return f"{head}{last[:-1]}"
    return None


def pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


@dataclass(frozen=True)
class Resource:
    """A resource, checked on its own (not yet against its project)."""

    name: str
    singular: str
    access: str
    fields: tuple[Field, ...]
    migration: str | None = None
    # Each file `add` wrote but the migration, with its SHA-256 then: `remove` deletes a file only
    # while it is unchanged. Not part of what the resource is.
    files: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def path(self) -> str:
        """Its collection's URL path."""
        return "/api/" + self.name.replace("_", "-")

    @property
    def owned(self) -> bool:
        return self.access in OWNED

    def record(self) -> dict[str, object]:
        """Its ``[[resources]]`` table."""
        data: dict[str, object] = {
            "name": self.name, "singular": self.singular, "access": self.access,
            "fields": [f.spec for f in self.fields],
        }  # fmt: skip
        if self.migration:
            data["migration"] = self.migration
        return data

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "singular": self.singular, "access": self.access,
            "path": self.path, "owned": self.owned, "fields": [f.as_dict() for f in self.fields],
            "migration": self.migration,
        }  # fmt: skip


def define(
    name: str,
    field_texts: Sequence[str],
    *,
    auth: str,
    access: str | None = None,
    singular: str | None = None,
    migration: str | None = None,
) -> Resource:
    """A resource from what a user typed; ResourceError or FieldError names what is wrong."""
    try:
        fields.check_name(name, "resource name")
    except FieldError as exc:
        raise ResourceError(str(exc)) from None
    if name in RESERVED:
        raise ResourceError(f"resource name '{name}' is reserved: the project uses it already")
    if singular is None:
        singular = singular_of(name)
        if singular is None:
            raise ResourceError(
                f"cannot tell the singular of '{name}'; give it with --singular (people: --singular person)"
            )
    else:
        try:
            fields.check_name(singular, "singular")
        except FieldError as exc:
            raise ResourceError(str(exc)) from None
    if singular == name:
        raise ResourceError(f"the singular of '{name}' must differ from it; give another with --singular")
    clash = sorted({pascal(singular) + s for s in SCHEMA_SUFFIXES} & SCHEMAS)
    if clash:
        raise ResourceError(f"singular '{singular}' would name the schema {clash[0]}, which the project has")
    chosen = access or default_access(auth)
    if chosen not in ACCESS:
        raise ResourceError(f"--access '{shown(chosen)}' is not one of {', '.join(ACCESS)}")
    if auth == "none" and chosen != "public":
        raise ResourceError(
            f"--access {chosen} needs signed-in users; this project has no auth, so only public fits"
        )
    if migration is not None and not _valid_migration_id(migration):
        raise ResourceError(
            f"--migration-id '{shown(migration)}' may hold only lower-case letters, digits and '_' "
            "(at most 32)"
        )
    return Resource(name, singular, chosen, tuple(fields.parse_all(list(field_texts))), migration)


def _valid_migration_id(text: str) -> bool:
    return 1 <= len(text) <= 32 and all(c.isdigit() or c == "_" or "a" <= c <= "z" for c in text)


def check_set(resources: Sequence[Resource]) -> None:
    """Refuse a set of resources whose names repeat, or whose references point nowhere."""
    names = [r.name for r in resources]
    for resource in resources:
        if names.count(resource.name) > 1:
            raise ResourceError(f"resource '{resource.name}' is declared twice")
        for item in resource.fields:
            if item.target is not None and item.target not in names:
                raise ResourceError(
                    f"field '{item.name}' of '{resource.name}' refers to '{item.target}', which the "
                    f"project does not have; add it first"
                )
            if item.target is not None and names.index(item.target) > names.index(resource.name):
                raise ResourceError(
                    f"field '{item.name}' of '{resource.name}' refers to '{item.target}', declared after "
                    "it; declare it first"
                )


def from_record(table: Mapping[str, Any], *, auth: str, source: str) -> Resource:
    """A resource from a ``[[resources]]`` table; UsageError names the source and the key."""
    known = {"name", "singular", "access", "fields", "migration", "files"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise UsageError(
            f"{source}: [[resources]] has an unknown key '{unknown[0]}'; known: {', '.join(sorted(known))}"
        )
    name, field_texts = table.get("name"), table.get("fields")
    if not isinstance(name, str):
        raise UsageError(f'{source}: each [[resources]] needs name = "..." (a string)')
    if not isinstance(field_texts, list) or not all(isinstance(t, str) for t in field_texts):
        raise UsageError(f"{source}: [[resources]] '{shown(name)}' needs fields = [\"title:str\", ...]")
    for key in ("singular", "access", "migration"):
        if key in table and not isinstance(table[key], str):
            raise UsageError(f"{source}: [[resources]] '{shown(name)}': '{key}' must be a string")
    files = table.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise UsageError(f"{source}: [[resources]] '{shown(name)}': 'files' must map paths to hashes")
    try:
        defined = define(
            name, field_texts, auth=auth, access=table.get("access"),
            singular=table.get("singular"), migration=table.get("migration"),
        )  # fmt: skip
    except UsageError as exc:
        raise UsageError(f"{source}: {exc}") from None
    return replace(defined, files=tuple(sorted(files.items())))


def from_text(text: str, *, auth: str) -> Resource:
    """A resource from ``new --resource "posts title:str body:text? --access owner"``: the words of
    ``add resource``, with --access and --singular the only options."""
    where = f"--resource '{text}'"
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"{where}: {exc}") from None
    if not words or words[0].startswith("-"):
        raise UsageError(f'{where}: give the name first, then its fields ("posts title:str")')
    name, field_texts, options = words[0], [], {}
    rest = iter(words[1:])
    for word in rest:
        if not word.startswith("--"):
            field_texts.append(word)
            continue
        key, given, value = word[2:].partition("=")
        if key not in ("access", "singular"):
            raise UsageError(f"{where}: unknown option '--{key}'; known: --access, --singular")
        value = value if given else next(rest, "")
        if not value:
            raise UsageError(f"{where}: --{key} needs a value")
        options[key] = value
    try:
        return define(name, field_texts, auth=auth, **options)
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None


def toml_tables(resources: Sequence[Resource]) -> str:
    """The ``[[resources]]`` tables of ``.scaffold.toml``, in the order they were added."""
    out = []
    for resource in resources:
        out.append("\n[[resources]]\n")
        for key, value in resource.record().items():
            # A JSON string is a TOML basic string (ensure_ascii=False: TOML refuses \\ud800 pairs).
            shown_value = (
                "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
                if isinstance(value, list)
                else json.dumps(value, ensure_ascii=False)
            )
            out.append(f"{key} = {shown_value}\n")
        if resource.files:
            out.append("\n[resources.files]\n")
            out.extend(f"{json.dumps(p, ensure_ascii=False)} = {json.dumps(h)}\n" for p, h in resource.files)
    return "".join(out)
