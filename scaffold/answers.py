"""The answers a project was generated with: recorded in ``.scaffold.toml``, replayed with ``--config``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from scaffold import __version__, resources, stacks
from scaffold.errors import ScaffoldError, UsageError
from scaffold.render import RenderedFile
from scaffold.stacks import Selection, Stack

if TYPE_CHECKING:
    from scaffold.resources import Resource

RECORD_FILE = ".scaffold.toml"

# Every key a config file may hold, and the type its value must have.
KEYS: dict[str, type] = {
    "stack": str,
    "framework": str,
    "database": str,
    "auth": str,
    "tokens": bool,
    "scaffold_version": str,
    # Written by `scaffold add resource`: the resources, and the registry they were built into.
    "registry_sha256": str,
    "resources": list,
}


class Replay(NamedTuple):
    """The choices read from a config file; None where the file is silent."""

    selection: Selection
    tokens: bool | None
    # The [[resources]] tables, checked once the stack (and so its auth mode) is known.
    resources: tuple[Mapping[str, Any], ...] = ()


def record(stack: Stack, *, tokens: bool) -> RenderedFile:
    """The ``.scaffold.toml`` of a new project."""
    text = (
        "# The answers this project was generated with. Replay them with\n"
        f"#   scaffold new OTHER --config {RECORD_FILE}\n"
        f'scaffold_version = "{__version__}"\n'
        f'stack = "{stack.name}"\n'
        f'framework = "{stack.framework}"\n'
        f'database = "{stack.database}"\n'
        f'auth = "{stack.auth}"\n'
        f"tokens = {'true' if tokens else 'false'}\n"
    )
    return RenderedFile(RECORD_FILE, text.encode(), 0o644)


def with_resources(text: str, every: Sequence[Resource], registry_sha256: str) -> str:
    """A ``.scaffold.toml``'s text with its ``[[resources]]`` and registry hash replaced."""
    head = text.split("\n[[resources]]", 1)[0].rstrip("\n") + "\n"
    lines = [line for line in head.splitlines(True) if not line.startswith("registry_sha256 =")]
    lines.append(f'registry_sha256 = "{registry_sha256}"\n')
    return "".join(lines) + resources.toml_tables(every)


def recorded(project: Path) -> dict[str, object]:
    """The answers in a generated project's ``.scaffold.toml``; empty when it has none to read."""
    import tomllib

    try:
        return tomllib.loads((project / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _parse(path: Path) -> Any:
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8")
    if suffix == ".toml":
        import tomllib

        return tomllib.loads(text)
    if suffix == ".json":
        return json.loads(text)
    if suffix in (".yaml", ".yml"):
        import yaml  # cookiecutter's own dependency, so always installed with scaffold

        return yaml.safe_load(text)
    raise UsageError(f"config file '{path}' must end in .toml, .json, .yaml or .yml")


def load(path: Path) -> Replay:
    """Read and check a config file; raise UsageError naming the file and the key."""
    if path.is_dir():
        raise UsageError(f"config file '{path}' is a folder; give the path of a .scaffold.toml")
    if not path.is_file():
        raise UsageError(f"config file '{path}' does not exist")
    try:
        data = _parse(path)
    except UsageError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read config file '{path}': {exc}") from exc
    except Exception as exc:  # each format has its own error type; all mean the same here
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"config file '{path}' is not valid {path.suffix[1:].upper()}: {first}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"config file '{path}' must hold a table of keys, such as stack = \"flask-sqlite\"")
    for key, value in data.items():
        if key not in KEYS:
            raise UsageError(f"{path}: unknown key '{key}'; known keys: {', '.join(KEYS)}")
        if not isinstance(value, KEYS[key]):
            kind = "true or false" if KEYS[key] is bool else "a string"
            raise UsageError(f"{path}: '{key}' must be {kind}, not {value!r}")
    tables = data.get("resources", [])
    if not all(isinstance(table, dict) for table in tables):
        raise UsageError(f'{path}: each of resources must be a table, such as name = "posts"')
    try:
        selection = stacks.select(
            data.get("stack"), data.get("framework"), data.get("database"), data.get("auth")
        )
    except ScaffoldError as exc:
        raise UsageError(f"{path}: {exc}") from exc
    return Replay(selection, data.get("tokens"), tuple(tables))


def merge(flags: Selection, replay: Selection, source: Path) -> Selection:
    """The command line's choices over a config file's; a disagreement is an error."""
    merged = {}
    for kind in stacks.CHOICES:
        flag, recorded = getattr(flags, kind), getattr(replay, kind)
        if flag is not None and recorded is not None and flag != recorded:
            raise UsageError(f"--{kind} says '{flag}' but {source} says '{recorded}'")
        merged[kind] = flag if flag is not None else recorded
    return Selection(**merged)
