"""Time to green: wall time of `scaffold new demo --stack S --verify`, package caches warm.

    python bench/bench_green.py [--runs 3] [--stacks flask-sqlite-jwt,...]
                                [--setups checkout,pip,pip-without-uv] [--json]

For each stack and setup, one untimed run warms the package caches (uv's, pip's and npm's,
the user's own), then `--runs` timed runs each generate, install, lint, test and boot a fresh
project. Prints the median wall time, the time of each verify step in the median run, and
the target: under 10 s for the Python stacks, under 30 s for Express. The server of the boot
step starts when the tests do, so its time (from its start to its first 200 and its stop)
overlaps theirs; `verify` is the wall time of all four steps.

The setups, for the Python stacks (Express installs with npm in all of them, so it runs in
the first only):
  checkout        this checkout's scaffold, with whatever the PATH holds (uv, here)
  pip             a wheel of this checkout installed by plain pip into a fresh venv, run with
                  no uv on the PATH: what a user who ran `pip install scaffold` gets
  pip-without-uv  the same, with scaffold's `uv` dependency left out: the venv + pip fallback
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACKS = ("flask-sqlite-jwt", "fastapi-sqlite-jwt", "express-sqlite-jwt")
TARGETS = {"flask": 10.0, "fastapi": 10.0, "express": 30.0}
SETUPS = ("checkout", "pip", "pip-without-uv")


def _path_without_uv() -> str:
    """The PATH minus every folder that holds a `uv`."""
    folders = os.environ.get("PATH", os.defpath).split(os.pathsep)
    return os.pathsep.join(f for f in folders if not os.access(os.path.join(f, "uv"), os.X_OK))


def _pip_venv(tmp: Path, name: str, wheel: Path, *, with_uv: bool) -> Path:
    """A fresh venv with this checkout's wheel installed by pip; without uv if asked."""
    venv = tmp / name
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if with_uv:
        subprocess.run([*pip, str(wheel)], check=True, timeout=900)
    else:
        subprocess.run([*pip, "--no-deps", str(wheel)], check=True, timeout=900)
        listing = "import importlib.metadata as m, json; print(json.dumps(m.requires('scaffold')))"
        requires = json.loads(
            subprocess.run(
                [str(venv / "bin" / "python"), "-c", listing],
                check=True, capture_output=True, text=True, timeout=60,
            ).stdout
        )  # fmt: skip
        runtime = [r for r in requires if "extra ==" not in r and not r.startswith("uv")]
        subprocess.run([*pip, *runtime], check=True, timeout=900)
    return venv


def setups(wanted: list[str], tmp: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each setup's scaffold command and environment."""
    base = {**os.environ, "NO_COLOR": "1"}
    found = {}
    if "checkout" in wanted:
        found["checkout"] = ([sys.executable, "-m", "scaffold"], {**base, "PYTHONPATH": str(ROOT)})
    pip_setups = [name for name in wanted if name != "checkout"]
    if pip_setups:
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp / "dist"), str(ROOT)],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        (wheel,) = (tmp / "dist").glob("scaffold-*.whl")
        no_uv = {**base, "PATH": _path_without_uv()}
        no_uv.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: pip compiles, imports cache
        for name in pip_setups:
            venv = _pip_venv(tmp, name, wheel, with_uv=name == "pip")
            found[name] = ([str(venv / "bin" / "scaffold")], no_uv)
    return found


def green(stack: str, work: Path, scaffold: list[str], env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """One timed `scaffold new --verify`; its wall time and the seconds of each verify step."""
    start = time.perf_counter()
    result = subprocess.run(
        [*scaffold, "new", "demo", "--stack", stack, "--verify", "--json", "-y"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=1200,
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{stack}: `scaffold new --verify` failed\n{result.stderr[-3000:]}")
    verification = json.loads(result.stdout)["verification"]
    steps = {step["name"]: step["seconds"] for step in verification["steps"]}
    installer = next(step["command"] for step in verification["steps"] if step["name"] == "install")
    return wall, {"verify": verification["seconds"], **steps, "installer": installer}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stacks", default=",".join(STACKS))
    parser.add_argument("--setups", default=",".join(SETUPS))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    figures: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-green-") as tmp:
        prepared = setups(args.setups.split(","), Path(tmp))
        counter = 0
        for stack in args.stacks.split(","):
            for setup, (scaffold, env) in prepared.items():
                if setup != "checkout" and stack.startswith("express"):
                    continue
                runs: list[tuple[float, dict[str, float]]] = []
                for attempt in range(args.runs + 1):
                    counter += 1
                    work = Path(tmp) / str(counter)
                    work.mkdir()
                    timed = green(stack, work, scaffold, env)
                    if attempt:  # the first run only warms the caches
                        runs.append(timed)
                walls = [wall for wall, _ in runs]
                median_wall = statistics.median(walls)
                _, steps = min(runs, key=lambda run: abs(run[0] - median_wall))
                target = TARGETS[stack.split("-")[0]]
                figures[f"{stack} {setup}"] = {
                    "stack": stack,
                    "setup": setup,
                    "median_seconds": round(median_wall, 2),
                    "min_seconds": round(min(walls), 2),
                    "steps": steps,
                    "target_seconds": target,
                    "met": median_wall < target,
                }
    if args.json:
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
        return
    print(f"time to green, median of {args.runs} runs after one warm-up ({os.cpu_count()} CPUs)")
    columns = (("verify", 7), ("install", 8), ("lint", 5), ("test", 5), ("boot", 5))
    header = " ".join(f"{name:>{width}}" for name, width in columns)
    print(f"{'stack':<20} {'setup':<15} {'median':>7} {'min':>6} {header} target   installer")
    for row in figures.values():
        steps = row["steps"]
        assert isinstance(steps, dict)
        cells = " ".join(f"{steps.get(name, 0):>{width}.1f}" for name, width in columns)
        verdict = "met   " if row["met"] else "MISSED"
        installer = str(steps.get("installer", "")).split(" ")[0]
        timing = f"{row['median_seconds']:>6.1f}s {row['min_seconds']:>5.1f}s"
        print(
            f"{row['stack']:<20} {row['setup']:<15} {timing} {cells} "
            f"<{row['target_seconds']:.0f}s {verdict} {installer}"
        )


if __name__ == "__main__":
    main()
