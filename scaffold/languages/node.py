"""Node projects: `npm` installs into node_modules, `node --test` runs the tests (TAP or spec output)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

NAME = "javascript"
MANIFEST = "package.json"
TOOLS = "node_modules/.bin"


def documented_install() -> str:
    return "npm install"


def in_fresh_shell(command: str) -> str:
    """A command as a fresh shell in the project folder runs it: npm, on the PATH, finds the rest."""
    return command


def environment(project: Path, base: Mapping[str, str]) -> dict[str, str]:
    env = dict(base)
    env["PATH"] = f"{project / TOOLS}{os.pathsep}{env.get('PATH', os.defpath)}"
    for key in ("npm_config_update_notifier", "npm_config_fund", "npm_config_audit"):
        env.setdefault(key, "false")
    return env


def install_commands(project: Path) -> list[list[str]]:
    """`npm ci` where the lock file is, else `npm install`, from npm's cache where it can."""
    verb = "ci" if (project / "package-lock.json").is_file() else "install"
    return [["npm", verb, "--no-audit", "--no-fund", "--prefer-offline"]]


def install_attempts(project: Path) -> list[list[list[str]]]:
    return [install_commands(project)]


# node --test's closing counts: `# pass 12` from the TAP reporter, or the same after an
# information sign (U+2139) from the spec reporter.
_COUNT = re.compile(r"^\s*(?:#|\u2139)\s+(tests|pass|fail|cancelled|skipped|todo)\s+(\d+)\s*$", re.MULTILINE)
# A cancelled test (a file that crashed, a timeout) counts as an error.
_WORDS = {"tests": "tests", "pass": "passed", "fail": "failed", "cancelled": "errors", "skipped": "skipped"}


def test_counts(output: str) -> dict[str, int]:
    """From node --test's closing lines (`# tests 30`, `# pass 30`, `# fail 0`, ...); the last wins."""
    counts: dict[str, int] = {}
    for word, number in _COUNT.findall(output):
        counts[_WORDS.get(word, word)] = int(number)
    return counts


def failure_excerpt(output: str, lines: int) -> str:
    """TAP's `not ok` entries with their details, then the tail: TAP reports failures where they
    happen, so in a long run the tail alone shows only the counts."""
    every = output.rstrip().splitlines()
    picked: list[str] = []
    inside = False
    for line in every[:-lines]:
        if line.lstrip().startswith("not ok "):
            inside = True
        if inside:
            picked.append(line)
            inside = line.strip() != "..."
    if len(picked) > lines:
        picked = [*picked[:lines], "  ..."]
    return "\n".join([*picked, *(["..."] if picked else []), *every[-lines:]])


def format_sources(project: Path, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The templates write JavaScript already laid out as the project's ESLint wants it."""
    return dict(files)
