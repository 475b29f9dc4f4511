"""One driver per language of the generated projects: how to install one, where its tools are,
and how to read its test runner's output. `verify` and the e2e tests drive projects through them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from scaffold.languages import node, python


class Language(Protocol):
    """What a driver module provides."""

    NAME: str
    MANIFEST: str  # the file that marks a project of the language
    TOOLS: str  # where the project's own tools are installed, relative to it

    def documented_install(self) -> str:
        """The install command a project's README and AGENTS.md show, for a fresh shell."""
        ...

    def in_fresh_shell(self, command: str) -> str:
        """A command of the project (`pytest`, `npm test`) as it runs from the project folder in a
        fresh shell, with no environment activated."""
        ...

    def environment(self, project: Path, base: Mapping[str, str]) -> dict[str, str]:
        """`base` made right for running the project's own tools: they come first on PATH."""
        ...

    def install_attempts(self, project: Path) -> list[list[list[str]]]:
        """The ways to install the project's dependencies, dev tools included, fastest first:
        each is a list of commands, and the next is tried only when one exits non-zero."""
        ...

    def test_counts(self, output: str) -> dict[str, int]:
        """The closing counts of the test runner's output: passed, failed, errors, skipped, ...;
        empty when there are none."""
        ...

    def failure_excerpt(self, output: str, lines: int) -> str:
        """What of a failed command's output to show: its last `lines`, and what it reported earlier."""
        ...

    def format_sources(self, project: Path, files: Mapping[str, bytes]) -> dict[str, bytes]:
        """Generated files (path: bytes) laid out as the project's own formatter and linter want."""
        ...


DRIVERS: dict[str, Language] = {python.NAME: python, node.NAME: node}


def driver(language: str) -> Language:
    return DRIVERS[language]


def detect(path: Path) -> Language | None:
    """The language of the project in `path` by its manifest file, or None."""
    return next((found for found in DRIVERS.values() if (path / found.MANIFEST).is_file()), None)
