"""Time scaffold against cookiecutter on the same template, side by side in one run.

    python bench/bench_cli.py [--runs 9]

Prints the median wall time of each command and the ratio scaffold / cookiecutter for
``--help`` and for generating the largest Flask stack, and the time `scaffold add resource`
takes to add a resource of every field type to that project (target: 0.5 s). Both tools are installed the
way a user gets them, into one fresh virtualenv (scaffold as a wheel, cookiecutter as
its dependency, bytecode compiled as pip does), and runs alternate so that machine
noise hits both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scaffold import generate, naming, render, stacks  # noqa: E402

# A resource of every field type but the reference, as `add resource` is timed with it.
RESOURCE = [
    "posts", "title:str{120}:unique", "body:text?", "views:int=0", "ratio:float?",
    "price:decimal{10,2}=0", "draft:bool=true", "due:date?", "published_at:datetime?:index",
    "uid:uuid?", "contact:email?", "site:url?", "status:enum{draft,published}=draft", "meta:json?",
]  # fmt: skip


def install(venv: Path) -> Path:
    """Install scaffold (and so cookiecutter) into a fresh virtualenv; returns its bin folder."""
    quiet = {"check": True, "capture_output": True}
    if shutil.which("uv"):
        subprocess.run(["uv", "venv", "-q", "-p", sys.executable, str(venv)], **quiet)
        python = str(venv / "bin" / "python")
        subprocess.run(["uv", "pip", "install", "-q", "--compile-bytecode", "-p", python, str(ROOT)], **quiet)
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], **quiet)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], **quiet)
    return venv / "bin"


def largest_flask_stack() -> tuple[stacks.Stack, int]:
    name = naming.validate("bench-app")
    sizes = {
        s: len(render.render("flask", generate.answers_for(s, name)))
        for s in stacks.all_stacks()
        if s.framework == "flask"
    }
    stack = max(sizes, key=lambda s: (sizes[s], s.name))
    return stack, sizes[stack]


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    stack, file_count = largest_flask_stack()
    template = str(render.template_dir("flask"))
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        # A private HOME: both tools start with no cache of their own from earlier runs.
        env = {**os.environ, "NO_COLOR": "1", "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
        env.pop("CI", None)
        bin_dir = install(Path(tmp) / "venv")
        scaffold, cookiecutter = str(bin_dir / "scaffold"), str(bin_dir / "cookiecutter")
        work = Path(tmp) / "work"
        work.mkdir()
        counter = iter(range(10**6))

        def scaffold_new() -> list[str]:
            # --no-git: cookiecutter makes no repository, so neither does scaffold here.
            return [scaffold, "new", f"s{next(counter)}", "--stack", stack.name, "-y", "-q", "--no-git"]

        def cookiecutter_new() -> list[str]:
            return [
                cookiecutter, "--no-input", template, f"project_slug=c{next(counter)}",
                f"database={stack.database}", f"auth={stack.auth}",
            ]  # fmt: skip

        base = work / "base"
        subprocess.run(
            [scaffold, "new", "base", "--stack", stack.name, "-y", "-q", "--no-git"],
            cwd=work, env=env, check=True, capture_output=True,
        )  # fmt: skip

        def scaffold_add() -> list[str]:
            # A fresh copy each time (untimed: the command is built before the clock starts).
            project = work / f"a{next(counter)}"
            shutil.copytree(base, project, symlinks=True)
            return [scaffold, "add", "resource", *RESOURCE, "--path", str(project)]

        def cold_cache() -> dict[str, str]:
            # A first run: no compiled templates and no cached render yet.
            return {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(dir=tmp)}

        cases: dict[str, tuple[Callable[[], list[str]], Callable[[], dict[str, str]]]] = {
            "scaffold --help": (lambda: [scaffold, "--help"], lambda: env),
            "cookiecutter --help": (lambda: [cookiecutter, "--help"], lambda: env),
            "scaffold new": (scaffold_new, lambda: env),
            "cookiecutter (same template)": (cookiecutter_new, lambda: env),
            "scaffold new, first run": (scaffold_new, cold_cache),
            "scaffold add resource": (scaffold_add, lambda: env),
        }
        # One untimed round warms the OS file cache and each tool's own caches.
        for make, environment in cases.values():
            timed(make(), work, environment())
        samples: dict[str, list[float]] = {case: [] for case in cases}
        for _ in range(args.runs):
            for case, (make, environment) in cases.items():
                samples[case].append(timed(make(), work, environment()))

    median = {case: statistics.median(times) for case, times in samples.items()}
    ratios = {
        "help": median["scaffold --help"] / median["cookiecutter --help"],
        "new": median["scaffold new"] / median["cookiecutter (same template)"],
        "new, first run": median["scaffold new, first run"] / median["cookiecutter (same template)"],
    }
    report = {
        "stack": stack.name,
        "files": file_count,
        "runs": args.runs,
        "median_seconds": {case: round(t, 4) for case, t in median.items()},
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        "targets": {"help": 0.5, "new": 0.25, "add resource seconds": 0.5},
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{stack.name}: {file_count} files, median of {args.runs} runs each\n")
    for case, t in median.items():
        print(f"  {case:<30} {t * 1000:8.0f} ms")
    print()
    print(f"  --help  scaffold/cookiecutter = {ratios['help']:.2f}  (target <= 0.50)")
    print(f"  new     scaffold/cookiecutter = {ratios['new']:.2f}  (target <= 0.25)")
    print(f"  first-run new / cookiecutter  = {ratios['new, first run']:.2f}  (no target; once per install)")
    print(f"  add resource                  = {median['scaffold add resource']:.2f} s  (target <= 0.50 s)")


if __name__ == "__main__":
    main()
