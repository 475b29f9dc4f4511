"""The command line: parse options, call the core, present its result, map its errors."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from scaffold import __version__, console
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

    return [s.name for s in stacks.all_stacks() if s.name.startswith(incomplete.lower())]


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
    resource: Annotated[
        list[str] | None,
        typer.Option(
            "--resource",
            metavar='"NAME FIELD..."',
            help='Add a resource as `scaffold add resource` would, e.g. "posts title:str{120} body:text?" '
            "(repeatable; --access and --singular may follow the fields).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Create a new backend project in NAME (`.` for the current folder)."""
    from scaffold import generate

    out = console.Output(quiet=quiet or as_json)
    options = generate.NewOptions(
        name=name, stack=stack, framework=framework, database=database, auth=auth,
        output_dir=Path(output_dir), config=Path(config) if config is not None else None,
        dry_run=dry_run, tokens=not no_tokens, git=git, install=install, verify=verify,
        resources=tuple(resource or ()),
    )  # fmt: skip
    try:
        outcome = generate.create(options, reporter=out, no_input=no_input)
    except VerificationFailed as exc:
        if as_json and exc.document is not None:
            console.print_json(exc.document)
        raise
    finally:
        out.stop_live()
    if as_json:
        console.print_json(outcome.as_dict())
        return
    out.created(outcome.result)
    if outcome.checks is not None:
        out.verified(outcome.checks, outcome.verified)


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

    out = console.Output(quiet=quiet or as_json)
    try:
        result = verifying.verify(Path(path), reporter=out)
    except VerificationFailed as exc:
        if as_json:
            console.print_json(exc.result.as_dict())
        raise
    finally:
        out.stop_live()
    if as_json:
        console.print_json(result.as_dict())
        return
    out.verified(result, True)


@app.command("stacks")
def list_stacks(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List every stack; the default is marked."""
    from scaffold import stacks

    everything = stacks.all_stacks()
    if as_json:
        console.print_json([s.as_dict() for s in everything])
        return
    default = stacks.complete_with_defaults(stacks.Selection())
    for s in everything:
        sys.stdout.write(f"{s.name}  (default)\n" if s == default else f"{s.name}\n")


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
        console.print_json(advice.as_dict())
        return
    lines = [f"Recommended: {advice.stack.name}"]
    lines += [f"  - {reason}" for reason in advice.reasons]
    lines.append(f"Alternative: {advice.alternative.name}")
    lines += [f"  - {trade}" for trade in advice.trade_offs]
    lines.append("MVP considerations:")
    lines += [f"  - {note}" for note in advice.mvp]
    lines.append("Commands:")
    lines += [f"  {advice.commands['recommended']}", f"  {advice.commands['alternative']}"]
    sys.stdout.write("\n".join(lines) + "\n")


from scaffold.cli_resources import add_app, list_resources, remove_app  # noqa: E402 - they use this module's app

app.add_typer(add_app)
app.add_typer(remove_app)
app.command("resources")(list_resources)


@app.command()
def mcp(ctx: typer.Context) -> None:
    """Serve stacks, recommend, new and verify as Model Context Protocol tools on stdin and stdout.

    For MCP clients (agents, editors), which start it themselves. Nothing is ever asked:
    stdin is the protocol. Progress goes to stderr.
    """
    # The SDK loads here alone: every other command starts without it.
    from scaffold import mcp_server

    mcp_server.run(debug=bool(ctx.meta.get(_DEBUG)))


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
