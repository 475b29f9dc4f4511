"""Human-facing output on stderr: status lines, verification steps, the tree of created files."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any


class Output:
    """Human-facing output on stderr: Rich in a colour terminal, plain lines otherwise."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.rich = not quiet and sys.stderr.isatty() and not os.environ.get("NO_COLOR")
        self._console: Any = None
        self._live: Any = None
        if self.rich:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False)

    def _line(self, text: str, style: str = "") -> None:
        if self.quiet:
            return
        if self._console is not None:
            self._console.print(text, style=style, markup=False)
        else:
            sys.stderr.write(text + "\n")

    def note(self, text: str) -> None:
        self._line(f"note: {text}", "yellow")

    def status(self, verb: str, text: str) -> None:
        self._line(f"{verb:>8}  {text}", "bold green")

    def step_started(self, name: str, command: str) -> None:
        """A verification step began: a spinner in a terminal, a `run` line otherwise."""
        if self.quiet:
            return
        if self._console is not None:
            self._live = self._console.status(f"{name}: {command}", spinner="dots")
            self._live.start()
        else:
            self.status("run", f"{name}: {command}")

    def step_finished(self, step: Any) -> None:
        self.stop_live()
        counted = f", {step.tests_passed} tests passed" if step.tests_passed is not None else ""
        text = f"{step.name} in {step.seconds:.1f}s{counted}"
        if step.passed:
            self.status("ok", text + (f" ({step.detail})" if step.name == "boot" else ""))
        else:
            self._line(f"{'failed':>8}  {text}: {step.detail}", "bold red")

    def stop_live(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def verified(self, result: Any, full: bool) -> None:
        if not full:
            self.status("done", f"dependencies installed in {result.path}")
            return
        token = "; completion token written" if result.token_written else ""
        self.status("verified", f"{result.stack or result.path} in {result.seconds:.1f}s{token}")

    def planned(self, plan: Any, dry_run: bool) -> None:
        """What `add resource` did, or would do: each file with its action."""
        if plan.identical:
            self.status("same", f"resource '{plan.resource.name}' is there already; nothing to do")
            return
        for change in plan.changes:
            self.status(change.action, change.path)
        verb = "would add" if dry_run else "added"
        self.status("dry run" if dry_run else "done", f"{verb} {plan.resource.name} at {plan.resource.path}")

    def removed(self, removal: Any, dry_run: bool) -> None:
        """What `remove resource` did, or would do: each file with its action, then what is left."""
        for change in removal.changes:
            self.status(change.action, change.path)
        for path in removal.kept:
            self.status("keep", f"{path} (changed since it was added; --force deletes it)")
        verb = "would remove" if dry_run else "removed"
        shown = f"{verb} {removal.resource.name} ({removal.resource.path})"
        self.status("dry run" if dry_run else "done", shown)
        self._line("")
        self._line("Next steps:", "bold")
        for step in removal.next_steps():
            self._line(f"  {step}")

    def created(self, result: Any) -> None:
        if self.quiet:
            return
        verb = "would create" if result.dry_run else "created"
        self.status(
            "done" if not result.dry_run else "dry run", f"{verb} {len(result.files)} files in {result.path}"
        )
        if self._console is not None:
            self._console.print(_rich_tree(result.name.folder, result.files))
        else:
            sys.stderr.write("\n".join(_plain_tree(result.name.folder, result.files)) + "\n")
        if result.dry_run:
            self._line("nothing was written (--dry-run)")
            return
        self._line("")
        self._line("Next steps:", "bold")
        for step in result.next_steps:
            self._line(f"  {step}")


def _nest(files: list[str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in files:
        node = tree
        for part in path.split("/"):
            node = node.setdefault(part, {})
    return tree


def _plain_tree(root: str, files: list[str]) -> list[str]:
    lines = [f"{root}/"]

    def walk(node: dict[str, Any], prefix: str) -> None:
        items = sorted(node.items(), key=lambda kv: (not kv[1], kv[0]))
        for index, (name, child) in enumerate(items):
            last = index == len(items) - 1
            lines.append(f"{prefix}{'└── ' if last else '├── '}{name}{'/' if child else ''}")
            walk(child, prefix + ("    " if last else "│   "))

    walk(_nest(files), "")
    return lines


def _rich_tree(root: str, files: list[str]) -> Any:
    from rich.text import Text
    from rich.tree import Tree

    tree = Tree(Text(f"{root}/", style="bold"))

    def walk(node: dict[str, Any], branch: Any) -> None:
        for name, child in sorted(node.items(), key=lambda kv: (not kv[1], kv[0])):
            if child:
                walk(child, branch.add(Text(f"{name}/", style="bold blue")))
            else:
                branch.add(Text(name))

    walk(_nest(files), tree)
    return tree


def types_table(kinds: Sequence[Any]) -> str:
    """The field vocabulary of `scaffold add resource --types`, as aligned columns."""
    rows = [("type", "JSON value", "filters", "rules")]
    for kind in kinds:
        shown = kind.name + ("{" + kind.args.split("}")[0].lstrip("{") + "}" if kind.args else "")
        rows.append((shown, kind.json, " ".join(kind.operators) or "-", kind.rules))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + f"  {row[3]}\n" for row in rows
    )


def print_json(document: object) -> None:
    """A command's `--json` result: one document on stdout."""
    import json

    sys.stdout.write(json.dumps(document, indent=2) + "\n")
