"""The resource registry: the file a new project holds is the one `scaffold.registry` renders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from scaffold import generate, naming, registry, render, stacks
from scaffold.errors import NotAProjectError
from tests.helpers import snapshot

STACKS = stacks.all_stacks()


def _answers(stack: stacks.Stack) -> dict[str, str]:
    return generate.answers_for(stack, naming.validate("shop-api"))


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_a_new_projects_registry_is_the_empty_one_the_tool_renders(stack: stacks.Stack) -> None:
    answers = _answers(stack)
    files = {f.path: f.data for f in render.render(stack.framework, answers)}

    empty = registry.render_registry(stack.framework, answers, [])

    assert files[empty.path] == empty.data
    assert b"scaffold add resource" in empty.data, "its header says whose file it is"


@pytest.mark.parametrize("framework", ["flask", "express"])
def test_the_registry_lists_resources_in_order_and_imports_them_sorted(framework: str) -> None:
    answers = _answers(stacks.parse_stack(f"{framework}-sqlite"))

    text = registry.render_registry(framework, answers, ["posts", "comments"]).data.decode()

    imported = re.findall(r"(?:resources\.|\./resources/)(\w+)", text)
    assert imported == ["comments", "posts"], text
    listed = re.search(r"(?:RESOURCES: list\[Resource\]|const resources) = \[([^\]]*)", text)
    assert listed is not None, text
    assert [name.strip() for name in listed.group(1).split(",") if name.strip()] == ["posts", "comments"]
    if framework == "flask":
        ast.parse(text)


def test_when_rebuilt_then_only_the_registry_changes(tmp_path: Path) -> None:
    stack = stacks.parse_stack("fastapi-postgres-session")
    generate.generate(generate.ProjectRequest("shop-api", stack, tmp_path, git=False))
    project = tmp_path / "shop-api"
    before = snapshot(project)

    path = registry.rebuild(project, ["notes"])

    after = snapshot(project)
    assert path == project / "src/shop_api/registry.py"
    assert [p for p in after if after[p] != before[p]] == ["src/shop_api/registry.py"]
    assert "from .resources.notes import resource as notes" in path.read_text()
    registry.rebuild(project, [])
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("name", "registry_file"),
    [("express-sqlite", "src/registry.js"), ("flask-mongodb", "src/shop_api/registry.py")],
)
def test_when_the_project_predates_the_registry_then_rebuild_refuses_and_writes_nothing(
    name: str, registry_file: str, tmp_path: Path
) -> None:
    stack = stacks.parse_stack(name)
    generate.generate(generate.ProjectRequest("shop-api", stack, tmp_path, git=False))
    project = tmp_path / "shop-api"
    (project / registry_file).unlink()
    before = snapshot(project)

    with pytest.raises(NotAProjectError, match="older scaffold"):
        registry.rebuild(project, ["notes"])
    assert snapshot(project) == before


def test_when_the_folder_is_not_a_project_then_rebuild_refuses(tmp_path: Path) -> None:
    with pytest.raises(NotAProjectError, match=r"\.scaffold\.toml"):
        registry.rebuild(tmp_path, ["notes"])
