"""Time to green: wall time of `scaffold new demo --stack S --verify`, package caches warm.

    python bench/bench_green.py [--runs 3] [--stacks flask-sqlite-jwt,...] [--json]

For each stack, one untimed run warms the package caches (uv's and npm's, the user's own),
then `--runs` timed runs each generate, install, lint, test and boot a fresh project. Prints
the median wall time per stack, the time of each verify step in the median run, and the
target: under 10 s for the Python stacks, under 30 s for Express. The server of the boot step
starts when the tests do, so its time (from its start to its first 200 and its stop) overlaps
theirs; `verify` is the wall time of all four steps.
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


def green(stack: str, work: Path, env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """One timed `scaffold new --verify`; its wall time and the seconds of each verify step."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "scaffold", "new", "demo", "--stack", stack, "--verify", "--json", "-y"],
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
    return wall, {"verify": verification["seconds"], **steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stacks", default=",".join(STACKS))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    figures: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-green-") as tmp:
        counter = 0
        for stack in args.stacks.split(","):
            runs: list[tuple[float, dict[str, float]]] = []
            for attempt in range(args.runs + 1):
                counter += 1
                work = Path(tmp) / str(counter)
                work.mkdir()
                timed = green(stack, work, env)
                if attempt:  # the first run only warms the caches
                    runs.append(timed)
            walls = [wall for wall, _ in runs]
            median_wall = statistics.median(walls)
            _, steps = min(runs, key=lambda run: abs(run[0] - median_wall))
            target = TARGETS[stack.split("-")[0]]
            figures[stack] = {
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
    print(f"{'stack':<20} {'median':>7} {'min':>6} {header} target")
    for stack, row in figures.items():
        steps = row["steps"]
        assert isinstance(steps, dict)
        cells = " ".join(f"{steps.get(name, 0):>{width}.1f}" for name, width in columns)
        verdict = "met" if row["met"] else "MISSED"
        print(
            f"{stack:<20} {row['median_seconds']:>6.1f}s {row['min_seconds']:>5.1f}s {cells} "
            f"<{row['target_seconds']:.0f}s {verdict}"
        )


if __name__ == "__main__":
    main()
