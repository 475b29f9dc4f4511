"""Figures the reliability tests measure, gathered over a run and written as JSON for docs/reliability.md.

Tests add what they tried and saw (`FIGURES.add("tool.kills", 1)`); the outcome of every test is
counted per file by the hooks in conftest.py. When SCAFFOLD_FIGURES names a file, the session
writes everything there at its end; `scripts/reliability_report.py` turns that into Markdown.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any


class Figures:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.values: dict[str, Any] = {}
        self.outcomes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        # Seconds spent, by test file (`files.tests/...`), by stack (`stacks.flask-sqlite-jwt`),
        # and on generating and installing each stack's project (`install.flask-sqlite-jwt`).
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.started = time.time()

    def add(self, key: str, amount: int = 1) -> None:
        """Count `amount` more of something tried or seen (inputs, kills, requests)."""
        self.counts[key] += amount

    def put(self, key: str, value: Any) -> None:
        """Record one measured value (a rate, a latency), replacing an earlier one."""
        self.values[key] = value

    def spend(self, key: str, seconds: float) -> None:
        """Add `seconds` to the time spent on `key`."""
        self.seconds[key] += seconds

    def outcome(self, path: str, outcome: str) -> None:
        self.outcomes[path][outcome] += 1

    def merge(self, other: dict[str, Any]) -> None:
        """Add the figures of another process (an xdist worker's `as_dict`) to these."""
        self.counts.update(other.get("counts", {}))
        self.values.update(other.get("values", {}))
        for path, counter in other.get("outcomes", {}).items():
            self.outcomes[path].update(counter)
        for key, seconds in other.get("seconds", {}).items():
            self.seconds[key] += seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "duration_s": round(time.time() - self.started),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "system": platform.system(),
            },
            "counts": dict(sorted(self.counts.items())),
            "values": dict(sorted(self.values.items())),
            "outcomes": {name: dict(counter) for name, counter in sorted(self.outcomes.items())},
            "seconds": {key: round(value, 1) for key, value in sorted(self.seconds.items())},
        }

    def write(self, path: Path) -> None:
        document = self.as_dict()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


FIGURES = Figures()
