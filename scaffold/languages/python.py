"""Python projects: a `.venv` in the project, installed with uv (or venv and pip), tested with pytest."""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from scaffold.errors import NotAProjectError

NAME = "python"
MANIFEST = "pyproject.toml"
TOOLS = ".venv/bin"

# Interpreter variables of the caller's shell that would point a project's own tools at
# another interpreter or its packages.
_FOREIGN = ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH", "__PYVENV_LAUNCHER__")
# Relative paths run from the project folder (Popen looks them up from `cwd`) and read well.
_PYTHON = ".venv/bin/python"


def documented_install() -> str:
    return f'python3 -m venv .venv && {TOOLS}/pip install -e ".[dev]"'


def in_fresh_shell(command: str) -> str:
    """A command as a fresh shell in the project folder runs it: the tool from the `.venv`."""
    return f"{TOOLS}/{command}"


def environment(project: Path, base: Mapping[str, str]) -> dict[str, str]:
    env = {key: value for key, value in base.items() if key not in _FOREIGN}
    env["PATH"] = f"{project / TOOLS}{os.pathsep}{env.get('PATH', os.defpath)}"
    env["VIRTUAL_ENV"] = str(project / ".venv")
    return env


def uv_executable() -> str | None:
    """uv, which installs Python projects many times faster than pip: the one on the PATH, else
    the binary that scaffold's own `uv` dependency ships (a pip or pipx install of scaffold has
    it without putting it on the PATH); None leaves the install to venv and pip."""
    if shutil.which("uv"):
        return "uv"
    try:
        from uv import find_uv_bin
    except ImportError:
        return None
    try:
        return str(find_uv_bin())
    except OSError:  # the package is there, its binary is not (uv's UvNotFound)
        return None


def install_commands(project: Path, *, offline: bool = False, create: bool | None = None) -> list[list[str]]:
    """The commands that install the project editable with its dev extra into its `.venv`.

    `offline` (with uv only) installs from uv's cache alone, never asking the package index;
    `create` makes the `.venv` first (by default, when there is none).
    """
    if create is None:
        create = not (project / _PYTHON).exists()
    uv = uv_executable()
    if uv is None:
        pip = [_PYTHON, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", ".[dev]"]
        return [*([[sys.executable, "-m", "venv", ".venv"]] if create else []), pip]
    install = [uv, "pip", "install", "-q", *(["--offline"] if offline else []), "-p", _PYTHON, "-e", ".[dev]"]
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        # Imports will not cache bytecode, so the tests and the boot would each compile every
        # module again: compile once here, as pip does (uv does not by default).
        install.insert(3, "--compile-bytecode")
    return [*([[uv, "venv", "-q", "-p", sys.executable, ".venv"]] if create else []), install]


def install_attempts(project: Path) -> list[list[list[str]]]:
    """With uv, from its cache first, as npm's --prefer-offline: asking the index about every
    package costs seconds even when the cache has them all. Whatever the cache lacks sends the
    install to the index, into the `.venv` the first attempt made."""
    if uv_executable() is None:
        return [install_commands(project)]
    return [install_commands(project, offline=True), install_commands(project, create=False)]


_SUMMARY_LINE = re.compile(r"\b(passed|failed|errors?|no tests ran)\b.* in [\d.]+s")
_SUMMARY_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?)")


def test_counts(output: str) -> dict[str, int]:
    """From pytest's final summary line (`== 12 passed, 1 skipped in 0.5s ==`)."""
    lines = [line for line in output.splitlines() if _SUMMARY_LINE.search(line)]
    counts: dict[str, int] = {}
    for number, word in _SUMMARY_COUNT.findall(lines[-1] if lines else ""):
        counts[{"error": "errors", "warning": "warnings"}.get(word, word)] = int(number)
    return counts


def failure_excerpt(output: str, lines: int) -> str:
    """pytest ends with the failures and the short summary: its tail says what failed."""
    return "\n".join(output.rstrip().splitlines()[-lines:])


def package(project: Path) -> str:
    """The Python package that `python -m` runs: the one under src/ with a __main__.py."""
    found = sorted(main.parent.name for main in project.glob("src/*/__main__.py"))
    if len(found) != 1:
        raise NotAProjectError(
            f"'{project}' should hold one package with a __main__.py under src/ to run; found "
            f"{', '.join(found) or 'none'}"
        )
    return found[0]


def format_sources(project: Path, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Python sources laid out as the project's own `ruff check` and `ruff format` want them
    (its pyproject.toml's settings): imports sorted, lines wrapped. Other files unchanged."""
    import subprocess
    import tempfile

    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    sources = {path: data for path, data in files.items() if path.endswith(".py")}
    if not sources:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="scaffold-format-") as folder:
        root = Path(folder)
        if (project / MANIFEST).is_file():
            shutil.copyfile(project / MANIFEST, root / MANIFEST)
        # Empty stand-ins for the project's own modules, so that imports of them sort as
        # first-party, as they do in the project.
        for module in [*project.glob("src/*/__init__.py"), *project.glob("tests/*.py")]:
            stand_in = root / module.relative_to(project)
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.touch()
        for path, data in sources.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(data)
        ruff = os.fsdecode(find_ruff_bin())
        for command in (["check", "--fix", "--select", "I", "--quiet"], ["format", "--quiet"]):
            subprocess.run([ruff, *command, *sources], cwd=root, check=False, capture_output=True, timeout=60)
        return {path: (root / path).read_bytes() if path in sources else data for path, data in files.items()}
