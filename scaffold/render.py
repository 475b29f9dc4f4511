"""Rendering a built-in cookiecutter template into files in memory, without cookiecutter.

The rules follow cookiecutter's own so that both give the same files for the same
answers: keys of ``cookiecutter.json`` rendered in order, a list's first item as its
default, path names and file contents rendered with Jinja2 (``StrictUndefined``,
``keep_trailing_newline``), ``_copy_without_render`` honoured, binary files copied,
file modes kept, and the post-generation hook's ``left_out()`` applied.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from scaffold.errors import GenerationError

if TYPE_CHECKING:
    import jinja2

PROJECT_DIR = "{{cookiecutter.project_slug}}"
HOOK = Path("hooks") / "post_gen_project.py"
# A template's resource files, which `add resource` renders into a project (not `new`).
RESOURCE_DIR = "resource"
# And the migration `remove resource` writes: the one that drops its table.
REMOVAL_DIR = "resource-removal"


class RenderedFile(NamedTuple):
    """One file of a project: its path relative to the project root, bytes and mode."""

    path: str
    data: bytes
    mode: int


def templates_root() -> Path:
    """The folder holding the built-in templates, installed or in a source checkout."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "templates"


def template_dir(framework: str) -> Path:
    path = templates_root() / framework
    if not (path / "cookiecutter.json").is_file():
        raise GenerationError(f"the '{framework}' template is missing from this installation")
    return path


def cache_dir() -> Path | None:
    """Where compiled templates are cached; None when no writable place exists."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "scaffold" / f"jinja-py{sys.version_info[0]}{sys.version_info[1]}"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def _environment(search_path: list[Path]) -> jinja2.Environment:
    # Imported here: jinja2 is the heaviest import on the generation path and
    # `scaffold stacks`, `--help` and every refusal get by without it.
    import jinja2

    cache = cache_dir()
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache)) if cache else None,
        auto_reload=False,
    )


def build_context(template: Path, answers: Mapping[str, str], env: jinja2.Environment) -> dict[str, Any]:
    """The ``cookiecutter`` context: answers where given, else the rendered defaults."""
    raw = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    unknown = set(answers) - set(raw)
    if unknown:
        raise GenerationError(f"template {template.name} has no variable {sorted(unknown)[0]}")
    context: dict[str, Any] = {}
    for key, default in raw.items():
        if key.startswith("_"):
            context[key] = default
        elif isinstance(default, list):
            value = answers.get(key, default[0])
            if value not in default:
                raise GenerationError(f"'{value}' is not one of {key}: {', '.join(default)}")
            context[key] = value
        elif key in answers:
            context[key] = answers[key]
        elif isinstance(default, str):
            context[key] = env.from_string(default).render(cookiecutter=context)
        else:
            context[key] = default
    return context


def _left_out(template: Path, context: Mapping[str, Any]) -> list[str]:
    """Paths the template's post-generation hook removes for these answers."""
    hook = template / HOOK
    if not hook.is_file():
        return []
    namespace: dict[str, Any] = {"__name__": "scaffold_template_hook", "__file__": str(hook)}
    exec(compile(hook.read_text(encoding="utf-8"), str(hook), "exec"), namespace)
    return [str(PurePosixPath(p)) for p in namespace["left_out"](context["database"], context["auth"])]


def _is_binary(data: bytes) -> bool:
    if b"\0" in data[:8192]:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


# What Python leaves beside a template's .py files once they are imported or compiled (pip
# compiles every .py of a wheel it installs): never part of a template.
_COMPILED_DIRS = frozenset({"__pycache__"})
_COMPILED_SUFFIXES = (".pyc", ".pyo")


def template_files(folder: Path) -> Iterator[Path]:
    """Every file of a template folder, in a stable order, without compiled Python files."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _COMPILED_DIRS)
        for name in sorted(names):
            if not name.endswith(_COMPILED_SUFFIXES):
                yield Path(root) / name


def _within(path: str, left_out: str) -> bool:
    return path == left_out or path.startswith(left_out + "/")


def _has_jinja(data: bytes) -> bool:
    return b"{{" in data or b"{%" in data or b"{#" in data


def _newline(data: bytes) -> bytes:
    """The line ending of a template file's first line, which cookiecutter keeps."""
    end = data.find(b"\n")
    return b"\r\n" if end > 0 and data[end - 1 : end] == b"\r" else b"\n"


def render(framework: str, answers: Mapping[str, str]) -> list[RenderedFile]:
    """Render the built-in template of a framework; returns the files, sorted by path."""
    return render_template(template_dir(framework), answers)


def render_template(template: Path, answers: Mapping[str, str]) -> list[RenderedFile]:
    """Render a cookiecutter template folder into files, sorted by path."""
    import jinja2

    project = template / PROJECT_DIR
    env = _environment([project, template / "templates"])
    current = "cookiecutter.json"
    try:
        context = build_context(template, answers, env)
        left_out = _left_out(template, context)
        copy_only = context.get("_copy_without_render", [])

        @functools.cache
        def render_name(part: str) -> str:
            return env.from_string(part).render(cookiecutter=context) if "{" in part else part

        files: list[RenderedFile] = []
        for source in template_files(project):
            rel = current = source.relative_to(project).as_posix()
            out = "/".join(render_name(part) for part in rel.split("/"))
            # The hook runs unrendered here, so it may name a path as the template
            # spells it (src/{{cookiecutter.package_name}}/x.py) or as rendered.
            if any(_within(rel, p) or _within(out, p) for p in left_out):
                continue
            copied = any(fnmatch.fnmatch(rel, g) for g in copy_only)
            files.append(_render_file(env, source, rel, out, context, copied))
    except jinja2.TemplateError as exc:
        raise GenerationError(f"template {template.name} failed to render in {current}: {exc}") from exc
    return sorted(files, key=lambda f: f.path)


def _render_file(
    env: jinja2.Environment, source: Path, rel: str, out: str, context: Mapping[str, Any], copied: bool
) -> RenderedFile:
    data = raw = source.read_bytes()
    # A file without Jinja syntax renders to itself; skipping Jinja for it is
    # only a shortcut, which the cookiecutter comparison test keeps honest.
    if _has_jinja(raw) and not (_is_binary(raw) or copied):
        data = env.get_template(rel).render(cookiecutter=context).encode("utf-8")
        if _newline(raw) != b"\n":
            data = data.replace(b"\n", _newline(raw))
    return RenderedFile(out, data, stat.S_IMODE(source.stat().st_mode))


def render_one(
    framework: str, rel: str, out: str, answers: Mapping[str, str], private: Mapping[str, Any]
) -> RenderedFile:
    """Render the one template file at `rel` (as the template spells it) to `out`, with the
    private keys of `private` in place of their defaults."""
    import jinja2

    template = template_dir(framework)
    env = _environment([template / PROJECT_DIR, template / "templates"])
    try:
        context = {**build_context(template, answers, env), **private}
        return _render_file(env, template / PROJECT_DIR / rel, rel, out, context, copied=False)
    except jinja2.TemplateError as exc:
        raise GenerationError(f"template {template.name} failed to render in {rel}: {exc}") from exc
