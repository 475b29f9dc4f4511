"""Every stack's template: same files as cookiecutter, and the files a project needs."""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold import naming, render, stacks
from scaffold.cli import app
from tests.helpers import tree

STACKS = stacks.all_stacks()
PYTHON = [s for s in STACKS if stacks.FRAMEWORK_INFO[s.framework].language == "python"]
ANSWERS = {"project_slug": "shop-api", "package_name": "shop_api", "secret_key": "s" * 64}


def cookiecutter_bin() -> str:
    found = shutil.which("cookiecutter") or str(Path(sys.executable).parent / "cookiecutter")
    assert os.access(found, os.X_OK), "cookiecutter is a test dependency; install '.[test]'"
    return found


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_rendered_by_scaffold_and_by_cookiecutter_then_the_files_are_identical(
    stack: stacks.Stack, tmp_path: Path
) -> None:
    answers = {**ANSWERS, "database": stack.database, "auth": stack.auth}
    subprocess.run(
        [
            cookiecutter_bin(),
            "--no-input",
            str(render.template_dir(stack.framework)),
            "-o",
            str(tmp_path),
            *(f"{k}={v}" for k, v in answers.items()),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    theirs = tmp_path / "shop-api"
    ours = {f.path: f for f in render.render(stack.framework, answers)}
    assert sorted(ours) == tree(theirs)
    for path, file in ours.items():
        on_disk = theirs / path
        assert file.data == on_disk.read_bytes(), path
        assert file.mode == stat.S_IMODE(on_disk.stat().st_mode), path


def test_when_cookiecutter_runs_without_a_secret_then_its_hook_writes_a_fresh_one(tmp_path: Path) -> None:
    for run in ("a", "b"):
        subprocess.run(
            [cookiecutter_bin(), "--no-input", str(render.template_dir("flask")), "-o", str(tmp_path / run)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    secrets = [_secret(next((tmp_path / run).iterdir()) / ".env") for run in ("a", "b")]
    assert all(len(s) >= 32 for s in secrets)
    assert secrets[0] != secrets[1]


def _secret(env_file: Path) -> str:
    match = re.search(r"^SECRET_KEY=(\S*)$", env_file.read_text(), re.MULTILINE)
    assert match, f"no SECRET_KEY line in {env_file}"
    return match.group(1)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every stack generated once through the CLI."""
    root = tmp_path_factory.mktemp("stacks")
    projects = {}
    for stack in STACKS:
        out = root / stack.name
        out.mkdir()
        result = CliRunner().invoke(app, ["new", "shop-api", "--stack", stack.name, "-o", str(out), "-q"])
        assert result.exit_code == 0, result.stderr
        projects[stack.name] = out / "shop-api"
    return projects


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_the_project_has_the_files_a_backend_needs(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    project = generated[stack.name]
    files = set(tree(project))
    for required in (
        "README.md",
        "AGENTS.md",
        "CLAUDE.md",
        "Dockerfile",
        "docker-compose.yml",
        ".env",
        ".env.example",
        ".gitignore",
        ".dockerignore",
        ".github/workflows/ci.yml",
        ".agent-tokens/workspace-path.txt",
        ".agent-tokens/backend-complete.token",
    ):
        assert required in files, required
    assert not any("cookiecutter" in path for path in files)
    for path in files:
        text = (project / path).read_bytes().decode("utf-8", errors="replace")
        assert "cookiecutter." not in text, f"unrendered variable in {path}"


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_the_secret_is_fresh_strong_and_ignored(
    stack: stacks.Stack, generated: dict[str, Path], tmp_path: Path
) -> None:
    project = generated[stack.name]
    secret = _secret(project / ".env")
    assert len(secret) >= 32
    assert secret not in (project / ".env.example").read_text()
    again = CliRunner().invoke(app, ["new", "again", "--stack", stack.name, "-o", str(tmp_path), "-q"])
    assert again.exit_code == 0
    assert _secret(tmp_path / "again" / ".env") != secret
    ignored = (project / ".gitignore").read_text().splitlines()
    assert ".env" in ignored
    assert ".agent-tokens/" in ignored


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_the_container_runs_as_a_non_root_user(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    dockerfile = (generated[stack.name] / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users, "the image must switch away from root"
    assert users[-1] not in ("root", "0")
    compose = (generated[stack.name] / "docker-compose.yml").read_text()
    assert ("postgres:" in compose) == (stack.database == "postgres")


@pytest.mark.parametrize("stack", PYTHON, ids=lambda s: s.name)
def test_when_generated_then_every_python_file_parses_and_the_package_is_named_for_the_project(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    project = generated[stack.name]
    python_files = [p for p in tree(project) if p.endswith(".py")]
    assert python_files
    for path in python_files:
        ast.parse((project / path).read_text(), filename=path)
    assert (project / "src" / "shop_api" / "__main__.py").is_file()
    assert 'name = "shop-api"' in (project / "pyproject.toml").read_text()


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_auth_is_none_then_no_auth_code_ships(stack: stacks.Stack, generated: dict[str, Path]) -> None:
    files = tree(generated[stack.name])
    auth_files = [p for p in files if re.search(r"(^|/)(test_)?auth\.(py|js)$", p)]
    if stack.auth == "none":
        assert auth_files == []
    else:
        assert auth_files


@pytest.mark.parametrize("name", ["My.Proj", "_Shop", "http"])
def test_when_an_express_project_is_named_then_package_json_carries_npms_form_of_the_name(
    name: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app, ["new", name, "--stack", "express-sqlite-none", "-o", str(tmp_path), "-q", "--no-git"]
    )
    assert result.exit_code == 0, result.stderr
    package = json.loads((tmp_path / name / "package.json").read_text())
    assert package["name"] == naming.npm_name(name)
    assert package["name"] == package["name"].lower()


def test_when_docs_pin_swagger_ui_then_each_integrity_hash_is_that_of_the_published_file(
    tmp_path: Path,
) -> None:
    page = (render.templates_root() / "_shared" / "docs" / "docs.html").read_text()
    pinned = re.findall(
        r'(?:src|href)="https://cdn\.jsdelivr\.net/npm/([a-z0-9-]+)@([\d.]+)/([\w.-]+)"\s+integrity="([^"]+)"',
        page,
    )
    assert len(pinned) == 2, page
    assert len({(package, version) for package, version, _, _ in pinned}) == 1, pinned
    package, version = pinned[0][:2]
    # jsDelivr's /npm/ files are the package's files as npm publishes them.
    subprocess.run(
        ["npm", "pack", "--silent", f"{package}@{version}"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    (tarball,) = tmp_path.glob("*.tgz")
    with tarfile.open(tarball) as archive:
        for _, _, name, integrity in pinned:
            member = archive.extractfile(f"package/{name}")
            assert member is not None, name
            digest = base64.b64encode(hashlib.sha384(member.read()).digest()).decode()
            assert integrity == f"sha384-{digest}", name


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
def test_when_generated_then_the_readme_gives_the_commands_scaffold_reports(
    stack: stacks.Stack, generated: dict[str, Path]
) -> None:
    readme = (generated[stack.name] / "README.md").read_text()
    commands = stacks.FRAMEWORK_INFO[stack.framework].commands("shop_api")
    for name in ("test", "run", "dev"):
        assert commands[name] in readme, (name, commands[name])
