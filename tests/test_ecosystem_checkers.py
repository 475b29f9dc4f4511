"""Every stack's CI workflows and Dockerfile pass zizmor and hadolint with nothing above info."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaffold import render, stacks
from tests.helpers import build_file_tree
from tests.test_templates import ANSWERS, STACKS

BIN = Path(sys.executable).parent
# zizmor's severities run Informational < Low < Medium < High; hadolint's style < info < warning < error.
ZIZMOR_TOLERATED = {"Informational"}
HADOLINT_TOLERATED = {"info", "style"}
# A rule may be silenced only on its line, and only with a reason after the pragma.
IGNORE_PRAGMA = re.compile(
    r"#\s*(?:zizmor:\s*ignore\[[^\]]*\]|hadolint\s+(?:global\s+)?ignore=[\w,]+)(?P<reason>.*)$"
)


@dataclass(frozen=True)
class Finding:
    """One problem a checker reported, at a line of a file."""

    rule: str
    path: Path
    line: int
    level: str
    message: str

    def describe(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line} {self.rule} [{self.level}] {self.message}"


def _run(args: list[str | Path]) -> subprocess.CompletedProcess[str]:
    # Both tools also read settings from the environment (ZIZMOR_CONFIG, HADOLINT_IGNORE, ...),
    # which would let a developer's shell silence rules this test means to apply.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZIZMOR_", "HADOLINT_"))}
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, f"{args[0]} failed:\n{result.stderr}"
    return result


def zizmor_findings(*projects: Path) -> list[Finding]:
    """What zizmor reports above informational in the workflows of these project folders."""
    result = _run(
        [
            BIN / "zizmor",
            "--offline",
            # Only an inline ignore, which must give its reason, may silence a rule; no config file.
            "--no-config",
            "--persona=regular",
            # A workflow zizmor cannot parse would otherwise be skipped with a warning, and pass.
            "--strict-collection",
            # Findings come back as JSON; the exit code is then only about zizmor itself failing.
            "--no-exit-codes",
            "--no-progress",
            "--format=json",
            *projects,
        ]
    )
    findings = []
    for found in json.loads(result.stdout):
        severity = found["determinations"]["severity"]
        if found["ignored"] or severity in ZIZMOR_TOLERATED:
            continue
        locations = found["locations"]
        where = next((loc for loc in locations if loc["symbolic"]["kind"] == "Primary"), locations[0])
        annotation = where["symbolic"]["annotation"]
        findings.append(
            Finding(
                rule=found["ident"],
                path=Path(where["symbolic"]["key"]["Local"]["verbatim_path"]).resolve(),
                line=where["concrete"]["location"]["start_point"]["row"] + 1,
                level=severity,
                message=f"{found['desc']}: {annotation}" if annotation else found["desc"],
            )
        )
    return findings


def hadolint_findings(*dockerfiles: Path) -> list[Finding]:
    """What hadolint reports as a warning or an error in these Dockerfiles."""
    with tempfile.TemporaryDirectory() as folder:
        # An empty configuration, so that no .hadolint.yaml found on the way ignores a rule.
        config = Path(folder) / "hadolint.yaml"
        config.write_text("{}\n")
        result = _run([BIN / "hadolint", "--config", config, "--no-fail", "--format", "json", *dockerfiles])
    return [
        Finding(
            rule=found["code"],
            path=Path(found["file"]).resolve(),
            line=found["line"],
            level=found["level"],
            message=found["message"],
        )
        for found in json.loads(result.stdout)
        if found["level"] not in HADOLINT_TOLERATED
    ]


def unexplained_ignores(path: Path) -> list[Finding]:
    """The lines of a file that silence a checker without saying why."""
    return [
        Finding(
            rule="ignore-without-reason", path=path.resolve(), line=number, level="-", message=line.strip()
        )
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if (pragma := IGNORE_PRAGMA.search(line)) and not re.search(r"[A-Za-z]{2}", pragma["reason"])
    ]


def _checked_files(project: Path) -> list[Path]:
    return sorted(project.glob(".github/workflows/*.y*ml")) + sorted(project.glob("**/Dockerfile*"))


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every stack rendered once, each in a folder named for the stack."""
    root = tmp_path_factory.mktemp("checked").resolve()
    found = {}
    for stack in STACKS:
        files = render.render(stack.framework, {**ANSWERS, "database": stack.database, "auth": stack.auth})
        build_file_tree({f.path: f.data for f in files}, root / stack.name)
        found[stack.name] = root / stack.name
    return found


@pytest.fixture(scope="module")
def findings(projects: dict[str, Path]) -> dict[str, list[Finding]]:
    """Each stack's findings, from one run of each checker over all the stacks."""
    dockerfiles = [p for project in projects.values() for p in project.glob("**/Dockerfile*")]
    everything = zizmor_findings(*projects.values()) + hadolint_findings(*dockerfiles)
    return {
        name: [f for f in everything if f.path.is_relative_to(project)]
        + [f for path in _checked_files(project) for f in unexplained_ignores(path)]
        for name, project in projects.items()
    }


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_zizmor_and_hadolint_find_nothing_above_info(
    stack: stacks.Stack, projects: dict[str, Path], findings: dict[str, list[Finding]]
) -> None:
    project = projects[stack.name]
    checked = {p.relative_to(project).as_posix() for p in _checked_files(project)}
    assert {".github/workflows/ci.yml", "Dockerfile"} <= checked
    problems = [f.describe(project) for f in findings[stack.name]]
    assert not problems, "\n".join(problems)


def test_when_a_workflow_grants_default_permissions_and_follows_a_tag_then_zizmor_reports_both(
    tmp_path: Path,
) -> None:
    build_file_tree(
        {
            ".github/workflows/ci.yml": (
                "name: CI\n"
                "on: push\n"
                "jobs:\n"
                "  test:\n"
                "    runs-on: ubuntu-latest\n"
                "    steps:\n"
                "      - uses: actions/checkout@v4\n"
                "      - run: make test\n"
            )
        },
        tmp_path,
    )
    reported = {(f.rule, f.line) for f in zizmor_findings(tmp_path)}
    assert {("excessive-permissions", 4), ("unpinned-uses", 7), ("artipacked", 7)} <= reported


def test_when_a_dockerfile_uses_latest_and_unpinned_apt_packages_then_hadolint_reports_both(
    tmp_path: Path,
) -> None:
    build_file_tree(
        {"Dockerfile": "FROM python:latest\nRUN apt-get update && apt-get install -y curl\nUSER 10001\n"},
        tmp_path,
    )
    reported = {(f.rule, f.line) for f in hadolint_findings(tmp_path / "Dockerfile")}
    assert {("DL3007", 1), ("DL3008", 2)} <= reported


def test_when_a_line_ignores_a_rule_with_a_reason_then_the_checkers_skip_it_and_the_reason_is_accepted(
    tmp_path: Path,
) -> None:
    build_file_tree(
        {
            ".github/workflows/ci.yml": (
                "name: CI\n"
                "on: push\n"
                "permissions:\n"
                "  contents: read\n"
                "jobs:\n"
                "  test:\n"
                "    runs-on: ubuntu-latest\n"
                "    steps:\n"
                "      - uses: actions/checkout@v4"
                " # zizmor: ignore[unpinned-uses] the major tag takes fixes\n"
                "        with:\n"
                "          persist-credentials: false\n"
            ),
            "Dockerfile": (
                "FROM debian:13-slim\n"
                "# hadolint ignore=DL3008 # Debian's security updates matter more than a fixed version\n"
                "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
                "    && rm -rf /var/lib/apt/lists/*\n"
                "USER 10001\n"
            ),
        },
        tmp_path,
    )
    assert zizmor_findings(tmp_path) == []
    assert hadolint_findings(tmp_path / "Dockerfile") == []
    assert unexplained_ignores(tmp_path / ".github/workflows/ci.yml") == []
    assert unexplained_ignores(tmp_path / "Dockerfile") == []


def test_when_a_line_ignores_a_rule_without_a_reason_then_it_is_reported(tmp_path: Path) -> None:
    build_file_tree(
        {
            "ci.yml": "steps:\n  - uses: actions/checkout@v4 # zizmor: ignore[unpinned-uses]\n",
            "Dockerfile": (
                "FROM debian:13-slim\n# hadolint ignore=DL3008,DL3009 #\nRUN apt-get install -y curl\n"
            ),
        },
        tmp_path,
    )
    assert [f.line for f in unexplained_ignores(tmp_path / "ci.yml")] == [2]
    assert [f.line for f in unexplained_ignores(tmp_path / "Dockerfile")] == [2]
