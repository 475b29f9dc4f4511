"""Packaging: the wheel carries the templates, and the installed tool can use them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers import ROOT


def test_when_the_wheel_is_built_then_it_ships_every_template_file(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("scaffold-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    templates = ROOT / "templates"
    expected = {
        f"scaffold/templates/{p.relative_to(templates).as_posix()}"
        for p in templates.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected, "no template files found"
    assert expected <= names, sorted(expected - names)[:5]
    for module in ("cli", "generate", "render", "stacks", "naming", "prompts", "tokens", "writer", "errors"):
        assert f"scaffold/{module}.py" in names
    assert not any(n.startswith("tests/") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)


def test_when_the_wheel_is_installed_then_scaffold_new_uses_the_packaged_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("scaffold-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    installer = (
        ["uv", "pip", "install", "-q", "-p", str(python)]
        if shutil.which("uv")
        else [str(python), "-m", "pip", "install", "-q"]
    )
    if not shutil.which("uv"):
        subprocess.run([str(python), "-m", "ensurepip", "-q"], check=True, timeout=300)
    subprocess.run([*installer, str(wheel)], check=True, timeout=600)

    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [str(venv / "bin" / "scaffold"), "new", "demo", "-y", "--json"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "demo" / "pyproject.toml").is_file()
    packaged = subprocess.run(
        [str(python), "-c", "import scaffold.render as r; print(r.templates_root())"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert packaged.startswith(str(venv)), packaged
