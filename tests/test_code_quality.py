"""The tool's own code passes its linters and strict type checking."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

CHECKS = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "--no-cache", "scaffold", "tests", "bench"],
    "ruff format": [
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--check",
        "--no-cache",
        "scaffold",
        "tests",
        "bench",
    ],
    "mypy --strict": [sys.executable, "-m", "mypy", "--no-incremental"],
}


@pytest.mark.parametrize("name", CHECKS)
def test_when_the_tool_is_checked_then_it_is_clean(name: str) -> None:
    result = subprocess.run(CHECKS[name], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}"


MAX_MODULE_LINES = 400


def _modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for path in sorted((ROOT / "scaffold").rglob("*.py"))
    }


def test_when_the_tool_is_read_then_no_module_is_over_400_lines() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}
    assert {name: size for name, size in sizes.items() if size > MAX_MODULE_LINES} == {}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The scaffold modules `name` imports anywhere: at the top, in a function, or for type checking."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return {module for module in found if module in known and module != name}


def test_when_the_tool_is_read_then_its_modules_import_each_other_without_a_circle() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    circles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            circles.append([*trail[trail.index(name) :], name])
            return
        for imported in sorted(graph[name]):
            visit(imported, [*trail, name])

    for name in graph:
        visit(name, [])
    # A package importing its own modules (scaffold.languages -> .python) is no circle.
    circles = [c for c in circles if not all(m == c[0] or m.startswith(c[0] + ".") for m in c)]
    assert circles == []
