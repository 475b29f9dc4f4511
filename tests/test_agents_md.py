"""Every stack's AGENTS.md and CLAUDE.md: scaffold's commands, paths that exist, the hand-off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scaffold import naming, stacks
from tests.helpers import agents_commands

# Every stack generated once through the CLI, as test_templates.py checks it.
from tests.test_templates import STACKS, generated

__all__ = ["generated"]  # the fixture, for pytest to find in this module

PACKAGE = naming.package_name("shop-api")  # the project that `generated` makes
SECTIONS = ["Commands", "Layout", "Conventions", "Hand-off files"]


def sections(text: str) -> dict[str, str]:
    """Each `## ` section's body by its title, in order."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def agents_md(project: Path) -> str:
    return (project / "AGENTS.md").read_text(encoding="utf-8")


TABLE = "| purpose | command |\n| --- | --- |\n| test | `pytest` |\n"


def test_when_a_commands_table_is_read_then_each_row_gives_its_command() -> None:
    assert agents_commands(f"## Commands\n\n{TABLE}\nEach runs here.\n") == {"test": "pytest"}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (TABLE + "| lint | ruff check . |\n", "not a '| purpose | `command` |' row"),
        (TABLE + "| test | `pytest -x` |\n", "listed twice"),
        (TABLE.replace("| --- | --- |\n", ""), "not followed by"),
        ("no table at all\n", "found 0"),
        (TABLE + "\n" + TABLE, "found 2"),
    ],
    ids=["no backticks", "a purpose twice", "no separator", "no table", "two tables"],
)
def test_when_a_commands_table_is_malformed_then_parsing_refuses_it(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        agents_commands(text)


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_agents_md_has_its_sections_in_order_and_stays_short(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    text = agents_md(generated[stack.name])
    assert list(sections(text)) == SECTIONS
    assert len(text.splitlines()) <= 120


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_the_commands_table_is_exactly_the_project_commands(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    table = agents_commands(sections(agents_md(generated[stack.name]))["Commands"])
    expected = stacks.FRAMEWORK_INFO[stack.framework].project_commands(PACKAGE)
    # Same purposes, same order, same characters.
    assert list(table.items()) == list(expected.items())


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_every_path_the_layout_names_exists(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    project = generated[stack.name]
    layout = sections(agents_md(project))["Layout"]
    quoted = re.findall(r"`([^`]+)`", layout)
    paths = [q for q in quoted if "/" in q or q.endswith((".py", ".js"))]
    # A layout that names next to nothing would pass the loop below for the wrong reason.
    assert len(paths) >= 10, paths
    for path in paths:
        found = project / path
        assert found.is_dir() if path.endswith("/") else found.exists(), path


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_claude_md_imports_agents_md(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    project = generated[stack.name]
    claude = project / "CLAUDE.md"
    assert claude.is_file()
    assert not claude.is_symlink()
    # Claude Code imports a file named on a line of its own after "@".
    assert "@AGENTS.md" in claude.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_the_hand_off_section_names_its_files_and_verify(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    hand_off = sections(agents_md(generated[stack.name]))["Hand-off files"]
    for named in (".agent-tokens/workspace-path.txt", "backend-complete.token", "scaffold verify"):
        assert named in hand_off, named
