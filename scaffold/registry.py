"""A project's registry of resources: the one file of a project that scaffold rewrites.

The template holds the registry, rendered from the private ``_resources`` answer (no
resources in a new project); ``render_registry`` renders that same template file with
another list, so the file ``new`` writes and the one ``add`` rewrites cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from scaffold import answers, languages, render, stacks, writer
from scaffold.errors import NotAProjectError, ScaffoldError
from scaffold.render import RenderedFile
from scaffold.stacks import FRAMEWORK_INFO

# Where each template keeps its registry, as the template spells the path.
_PYTHON_REGISTRY = "src/{{cookiecutter.package_name}}/registry.py"
REGISTRY_PATHS = {"flask": _PYTHON_REGISTRY, "fastapi": _PYTHON_REGISTRY, "express": "src/registry.js"}


def registry_path(framework: str, package: str) -> str:
    """The registry's path in a generated project."""
    return REGISTRY_PATHS[framework].replace("{{cookiecutter.package_name}}", package)


def render_registry(framework: str, answers: Mapping[str, str], resources: Sequence[str]) -> RenderedFile:
    """The registry a project with these answers has when it holds `resources`, in order."""
    out = registry_path(framework, answers.get("package_name", ""))
    return render.render_one(
        framework, REGISTRY_PATHS[framework], out, answers, {"_resources": list(resources)}
    )


def rebuild(project: Path, resources: Sequence[str]) -> Path:
    """Rewrite a generated project's registry to list `resources`; returns its path."""
    try:
        stack = stacks.parse_stack(str(answers.recorded(project)["stack"]))
    except (KeyError, ScaffoldError) as exc:
        raise NotAProjectError(f"'{project}' has no readable {answers.RECORD_FILE} naming its stack") from exc
    given = {"database": stack.database, "auth": stack.auth}
    if FRAMEWORK_INFO[stack.framework].language == languages.python.NAME:
        given["package_name"] = languages.python.package(project)
    rendered = render_registry(stack.framework, given, resources)
    target = project / rendered.path
    if not target.is_file():
        raise NotAProjectError(f"'{project}' has no {rendered.path}: it was made by an older scaffold")
    writer.write_atomic(target, rendered.data)
    return target
