"""The records a verification makes: each step that ran, and the whole run."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Step(NamedTuple):
    """One step of a verification: what ran, for how long, and how it ended."""

    name: str
    command: str
    passed: bool
    seconds: float
    detail: str = ""
    tests_passed: int | None = None
    output: str = ""  # the tail of the command's output, kept when the step failed

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "name": self.name,
            "command": self.command,
            "passed": self.passed,
            "seconds": round(self.seconds, 2),
            "detail": self.detail,
        }
        if self.tests_passed is not None:
            found["tests_passed"] = self.tests_passed
        if not self.passed:
            found["output"] = self.output
        return found


class Verification(NamedTuple):
    """The outcome of verifying a project: each step run, in order, and whether all passed."""

    path: Path
    stack: str | None
    steps: list[Step]
    passed: bool
    token_written: bool = False
    seconds: float = 0.0  # wall time: the boot overlaps the tests, so less than the steps' sum

    @property
    def failed(self) -> Step | None:
        return next((step for step in self.steps if not step.passed), None)

    @property
    def tests_passed(self) -> int | None:
        return next((step.tests_passed for step in self.steps if step.tests_passed is not None), None)

    def as_dict(self) -> dict[str, object]:
        failed = self.failed
        return {
            "path": str(self.path),
            "stack": self.stack,
            "passed": self.passed,
            "failed_step": failed.name if failed else None,
            "tests_passed": self.tests_passed,
            "seconds": round(self.seconds, 2),
            "steps": [step.as_dict() for step in self.steps],
            "token_written": self.token_written,
        }
