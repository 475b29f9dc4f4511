"""The command line: parse options, call the core, present its result, map its errors."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from scaffold import __version__
from scaffold.errors import ScaffoldError, VerificationFailed

_DEBUG = "--debug"


def _error(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")


class _Commands(TyperGroup):
    """The command group: `--debug` anywhere on the line, and every command's errors mapped once.

    ScaffoldError subclasses carry their code (2 bad input, 1 failure); Ctrl-C is 130 (in
    `main`); anything unexpected is one line pointing to --debug, or with it the traceback.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Global like pip's: `scaffold --debug new x` and `scaffold new x --debug` alike.
        end = args.index("--") if "--" in args else len(args)
        if _DEBUG in args[:end]:
            ctx.meta[_DEBUG] = True
            args = [arg for i, arg in enumerate(args) if i >= end or arg != _DEBUG]
        return list(super().parse_args(ctx, args))

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ScaffoldError as exc:
            _error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except (KeyboardInterrupt, typer.Exit, typer.Abort, SystemExit, ClickException):
            raise
        except BrokenPipeError:
            # The reader went away (`scaffold stacks | head`): stop quietly, as cat does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as exc:
            if ctx.meta.get(_DEBUG):
                raise
            _error(f"unexpected {type(exc).__name__}: {exc} (run again with --debug for details)")
            raise typer.Exit(1) from None


app = typer.Typer(
    name="scaffold",
    cls=_Commands,
    help="Generate ready-to-run backend projects: Flask, FastAPI or Express; "
    "SQLite, PostgreSQL or MongoDB; JWT, session or no auth.",
    no_args_is_help=True,
    # --install-completion / --show-completion; the completion machinery loads with Typer anyway.
    add_completion=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _complete_stack(incomplete: str) -> list[str]:
    from scaffold import stacks

    return [s.name for s in stacks.all_stacks() if s.built and s.name.startswith(incomplete.lower())]


def _completer(kind: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        from scaffold import stacks

        return [choice for choice in stacks.CHOICES[kind] if choice.startswith(incomplete.lower())]

    return complete


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"scaffold {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            _DEBUG, help="Show the traceback of an unexpected error; accepted anywhere on the line."
        ),
    ] = False,
) -> None:
    """Generate ready-to-run backend projects."""


@app.command()
def new(
    name: Annotated[
        str | None, typer.Argument(metavar="NAME", help="Folder to create; the package name derives from it.")
    ] = None,
    stack: Annotated[
        str | None,
        typer.Option(
            "--stack",
            "-s",
            help="framework-database[-auth], e.g. flask-sqlite-jwt.",
            autocompletion=_complete_stack,
        ),
    ] = None,
    framework: Annotated[
        str | None, typer.Option(help="flask, fastapi or express.", autocompletion=_completer("framework"))
    ] = None,
    database: Annotated[
        str | None, typer.Option(help="sqlite, postgres or mongodb.", autocompletion=_completer("database"))
    ] = None,
    auth: Annotated[
        str | None, typer.Option(help="jwt, session or none.", autocompletion=_completer("auth"))
    ] = None,
    output_dir: Annotated[str, typer.Option("--output-dir", "-o", help="Where to create the project.")] = ".",
    no_input: Annotated[
        bool, typer.Option("--no-input", "-y", help="Never prompt; open choices take the defaults.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List the files, write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
    no_tokens: Annotated[bool, typer.Option("--no-tokens", help="Leave out .agent-tokens/.")] = False,
    git: Annotated[
        bool, typer.Option("--git/--no-git", help="Make a git repository with a first commit.")
    ] = True,
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Replay the answers of a .scaffold.toml (or a TOML, JSON or YAML file of its keys).",
        ),
    ] = None,
    install: Annotated[
        bool, typer.Option("--install", help="Install the dependencies into the project after generating it.")
    ] = False,
    verify: Annotated[
        bool | None,
        typer.Option(
            "--verify/--no-verify",
            help="Run `scaffold verify` on the project after generating it (install, lint, test, boot); "
            "the completion token is then written only if that passes. The default in an agent "
            "workspace (a folder above holds .agent-tokens/workspace-path.txt).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Create a new backend project in NAME (`.` for the current folder)."""
    from scaffold import generate

    out = _Output(quiet=quiet or as_json)
    options = generate.NewOptions(
        name=name, stack=stack, framework=framework, database=database, auth=auth,
        output_dir=Path(output_dir), config=Path(config) if config is not None else None,
        dry_run=dry_run, tokens=not no_tokens, git=git, install=install, verify=verify,
    )  # fmt: skip
    try:
        outcome = generate.create(options, reporter=out, no_input=no_input)
    except VerificationFailed as exc:
        if as_json and exc.document is not None:
            _print_json(exc.document)
        raise
    finally:
        out.stop_live()
    if as_json:
        _print_json(outcome.as_dict())
        return
    out.created(outcome.result)
    if outcome.checks is not None:
        out.verified(outcome.checks, outcome.verified)


def _print_json(document: object) -> None:
    sys.stdout.write(json.dumps(document, indent=2) + "\n")


@app.command("verify")
def verify_project(
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="The project folder; the current folder by default.")
    ] = ".",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as one JSON document (also on failure).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Install, lint, test and boot a generated project; mark it complete only if all of it passes.

    \b
    In PATH, which must be the folder its .agent-tokens/workspace-path.txt names:
      install  Python: a .venv in the project (uv when available, else venv + pip);
               Express: npm ci (npm install without a package-lock.json)
      lint     ruff check . / npm run lint
      test     pytest / npm test
      boot     the documented run command on a free port on 127.0.0.1 (PORT, HOST)
               until GET /health answers 200; then SIGTERM, SIGKILL if it lingers
    Only then is .agent-tokens/backend-complete.token written anew, with what ran.
    A failure removes that token, names the failed step, shows the end of its
    output and exits with 1. Every step has a time limit and no stdin.

    \b
    PostgreSQL and MongoDB projects need a running server. Your environment is
    passed through: TEST_DATABASE_URL (for the tests) and DATABASE_URL (for the
    boot) set there win over the project's .env; otherwise the .env applies.
    """
    from scaffold import verify as verifying

    out = _Output(quiet=quiet or as_json)
    try:
        result = verifying.verify(Path(path), reporter=out)
    except VerificationFailed as exc:
        if as_json:
            _print_json(exc.result.as_dict())
        raise
    finally:
        out.stop_live()
    if as_json:
        _print_json(result.as_dict())
        return
    out.verified(result, True)


@app.command("stacks")
def list_stacks(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List every stack and whether it is built yet."""
    from scaffold import stacks

    everything = stacks.all_stacks()
    if as_json:
        sys.stdout.write(json.dumps([s.as_dict() for s in everything], indent=2) + "\n")
        return
    default = stacks.complete_with_defaults(stacks.Selection())
    width = max(len(s.name) for s in everything)
    for s in everything:
        state = "built" if s.built else "not built yet"
        mark = "  (default)" if s == default else ""
        sys.stdout.write(f"{s.name:<{width}}  {state}{mark}\n")


@app.command()
def recommend(
    language: Annotated[str | None, typer.Option(help="python or javascript.")] = None,
    is_async: Annotated[
        str | None, typer.Option("--async", help="yes or no: many slow I/O calls at once?")
    ] = None,
    docs: Annotated[str | None, typer.Option(help="yes or no: generated API docs wanted?")] = None,
    data: Annotated[str | None, typer.Option(help="relational or documents.")] = None,
    stage: Annotated[str | None, typer.Option(help="prototype or production.")] = None,
    clients: Annotated[str | None, typer.Option(help="browser, mobile or service.")] = None,
    no_input: Annotated[bool, typer.Option("--no-input", "-y", help="Never ask; take the defaults.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the advice as one JSON document.")] = False,
) -> None:
    """Recommend a stack for a project, with the reasons and an alternative."""
    from scaffold import prompts
    from scaffold import recommend as advice_for

    given: dict[str, str | None] = {
        "language": language, "async": is_async, "docs": docs,
        "data": data, "stage": stage, "clients": clients,
    }  # fmt: skip
    advice_for.check(given)  # a bad flag is an error before any question is asked
    if not no_input and not as_json and prompts.can_prompt():
        given = prompts.ask_questions(given, advice_for.QUESTIONS)
    advice = advice_for.advise(given)
    if as_json:
        sys.stdout.write(json.dumps(advice.as_dict(), indent=2) + "\n")
        return
    lines = [f"Recommended: {advice.stack.name}" + ("" if advice.stack.built else "  (not built yet)")]
    lines += [f"  - {reason}" for reason in advice.reasons]
    lines.append(
        f"Alternative: {advice.alternative.name}" + ("" if advice.alternative.built else "  (not built yet)")
    )
    lines += [f"  - {trade}" for trade in advice.trade_offs]
    lines.append("MVP considerations:")
    lines += [f"  - {note}" for note in advice.mvp]
    lines.append("Commands:")
    lines += [f"  {advice.commands['recommended']}", f"  {advice.commands['alternative']}"]
    sys.stdout.write("\n".join(lines) + "\n")


@app.command()
def mcp(ctx: typer.Context) -> None:
    """Serve stacks, recommend, new and verify as Model Context Protocol tools on stdin and stdout.

    For MCP clients (agents, editors), which start it themselves. Nothing is ever asked:
    stdin is the protocol. Progress goes to stderr.
    """
    # The SDK loads here alone: every other command starts without it.
    from scaffold import mcp_server

    mcp_server.run(debug=bool(ctx.meta.get(_DEBUG)))


class _Output:
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


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C does, so the staging folder is removed on the way out.
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the CLI; usage errors from the parser become one line, like every other error."""
    # The parser's exception types live in Typer's vendored Click.
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = app(prog_name="scaffold", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        sys.stderr.write(exc.format_message() + "\n")
        code = exc.exit_code
    except UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "scaffold"
        _error(f"{exc.format_message()} (see '{command} --help')")
        code = exc.exit_code
    except ClickException as exc:
        _error(exc.format_message())
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        # Ctrl-C inside a command arrives as Abort; while Typer still builds the commands, as itself.
        code = 130
    sys.exit(code if isinstance(code, int) else 0)
