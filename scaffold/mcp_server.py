"""The `scaffold mcp` server: stacks, recommend, new and verify as Model Context Protocol tools on stdio."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import anyio
import anyio.from_thread
import anyio.to_thread
import mcp.types as types
from mcp.server import Server, ServerRequestContext
from mcp.server.stdio import stdio_server

from scaffold import __version__, recommend, stacks
from scaffold.errors import ScaffoldError, UsageError, VerificationFailed

_log = logging.getLogger("scaffold.mcp")

_INSTRUCTIONS = (
    "Generate ready-to-run backend projects (Flask, FastAPI or Express on SQLite, PostgreSQL or "
    "MongoDB, with JWT, session or no auth) and prove them. `recommend` picks a stack, `new` "
    "generates it, `verify` installs, lints, tests and boots a project. Every tool returns the "
    "JSON document its command prints with --json; a failure is a tool error whose content is "
    '{"error": {"code": ..., "message": ...}}.'
)

_RELATIVE = "A relative path is taken from the folder the server was started in."


class _Tool(NamedTuple):
    """A command as a tool: its published input schema and the call that returns its --json document."""

    name: str
    title: str
    description: str
    properties: dict[str, dict[str, Any]]
    required: tuple[str, ...]
    run: Callable[[Mapping[str, Any], _Progress], object]
    annotations: types.ToolAnnotations

    @property
    def input_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": self.properties,
            "additionalProperties": False,
        }
        if self.required:
            schema["required"] = list(self.required)
        return schema


class _Progress:
    """Progress of the tool running in a worker thread: a line on stderr (stdout is the protocol)
    and a progress notification, which the SDK sends only when the client asked for them."""

    def __init__(self, ctx: ServerRequestContext[Any]) -> None:
        self._ctx = ctx
        self._count = 0

    def _send(self, text: str) -> None:
        sys.stderr.write(text + "\n")
        self._count += 1
        anyio.from_thread.run(self._ctx.session.report_progress, self._count, None, text)

    def note(self, text: str) -> None:
        self._send(f"note: {text}")

    def status(self, verb: str, text: str) -> None:
        self._send(f"{verb}: {text}")

    def step_started(self, name: str, command: str) -> None:
        self._send(f"run: {name}: {command}")

    def step_finished(self, step: Any) -> None:
        outcome = "ok" if step.passed else "failed"
        self._send(f"{outcome}: {step.name} in {step.seconds:.1f}s {step.detail}".rstrip())


# --------------------------------------------------------------------------- the tools


def _stacks(arguments: Mapping[str, Any], progress: _Progress) -> object:
    return [s.as_dict() for s in stacks.all_stacks()]


def _recommend(arguments: Mapping[str, Any], progress: _Progress) -> object:
    given: dict[str, str | None] = {question: arguments.get(question) for question in recommend.QUESTIONS}
    return recommend.advise(given).as_dict()


def _new(arguments: Mapping[str, Any], progress: _Progress) -> object:
    from scaffold import generate

    config = arguments.get("config")
    options = generate.NewOptions(
        name=arguments["name"],
        stack=arguments.get("stack"),
        framework=arguments.get("framework"),
        database=arguments.get("database"),
        auth=arguments.get("auth"),
        output_dir=Path(arguments.get("output_dir", ".")),
        config=Path(config) if config is not None else None,
        dry_run=arguments.get("dry_run", False),
        tokens=arguments.get("tokens", True),
        git=arguments.get("git", True),
        install=arguments.get("install", False),
        verify=arguments.get("verify"),
    )
    return generate.run_new(options, reporter=progress)


def _verify(arguments: Mapping[str, Any], progress: _Progress) -> object:
    from scaffold import verify

    return verify.verify(Path(arguments["path"]), reporter=progress).as_dict()


def _text(description: str, choices: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "description": description}
    if choices:
        schema["enum"] = list(choices)
    return schema


def _flag(description: str, default: bool) -> dict[str, Any]:
    return {"type": "boolean", "description": description, "default": default}


# What each recommend question asks; the answers allowed and the default come from recommend.QUESTIONS.
_QUESTION_HINTS = {
    "language": "The language the team writes",
    "async": "Many slow I/O calls at once, such as other APIs or websockets",
    "docs": "API docs generated from the code wanted",
    "data": "The shape of the data",
    "stage": "How far the project is",
    "clients": "Who calls the API",
}


def _question(question: str) -> dict[str, Any]:
    allowed, default = recommend.QUESTIONS[question]
    return _text(f"{_QUESTION_HINTS[question]}: {' or '.join(allowed)}; {default} when left out.", allowed)


TOOLS: tuple[_Tool, ...] = (
    _Tool(
        "stacks",
        "List stacks",
        "Every stack (framework-database-auth), as `scaffold stacks --json` prints it. The "
        "structured content holds the list under `result`.",
        {},
        (),
        _stacks,
        types.ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False),
    ),
    _Tool(
        "recommend",
        "Recommend a stack",
        "Recommend a stack with the reasons, an alternative with its trade-offs, MVP notes and the "
        "`scaffold new` commands, as `scaffold recommend --json` prints it. Every answer is optional.",
        {question: _question(question) for question in recommend.QUESTIONS},
        (),
        _recommend,
        types.ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False),
    ),
    _Tool(
        "new",
        "Generate a project",
        "Generate a backend project, as `scaffold new NAME --no-input --json` does, and return its JSON "
        "document (files, commands, next steps; `install` and `verification` when asked for). Choose "
        "the stack with `stack` or with framework, database and auth; what is left open takes the "
        "defaults (flask, sqlite, jwt), listed in `defaults_used`. Never asks anything.",
        {
            "name": _text(
                "The folder to create in output_dir; the package name derives from it. `.` generates "
                "into output_dir itself, named after it."
            ),
            "stack": _text("framework-database[-auth], e.g. flask-sqlite-jwt; auth defaults to jwt."),
            "framework": _text("The web framework.", stacks.CHOICES["framework"]),
            "database": _text("The database.", stacks.CHOICES["database"]),
            "auth": _text("How clients authenticate.", stacks.CHOICES["auth"]),
            "output_dir": {
                **_text(f"The folder to create the project in; it must exist. {_RELATIVE}"),
                "default": ".",
            },
            "config": _text(
                "A .scaffold.toml (or a TOML, JSON or YAML file of its keys) whose answers to replay. "
                + _RELATIVE
            ),
            "dry_run": _flag("List the files that would be generated and write nothing.", False),
            "git": _flag("Make a git repository with a first commit (not inside an existing one).", True),
            "tokens": _flag("Include .agent-tokens/, the hand-off files for agents.", True),
            "install": _flag("Install the dependencies into the project after generating it.", False),
            "verify": {
                "type": ["boolean", "null"],
                "description": "Run `verify` on the project after generating it (install, lint, test, "
                "boot; tens of seconds). null: verify when the project lies in an agent workspace.",
                "default": None,
            },
        },
        ("name",),
        _new,
        types.ToolAnnotations(
            read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False
        ),
    ),
    _Tool(
        "verify",
        "Verify a project",
        "Install, lint, test and boot a generated project, then write its completion token, as "
        "`scaffold verify PATH --json` does; returns each step with its duration. Takes tens of "
        "seconds to minutes. PostgreSQL and MongoDB projects need their database running.",
        {"path": _text(f"The project folder. {_RELATIVE}")},
        ("path",),
        _verify,
        # It writes .venv/ (or node_modules/) and the token, and installs from the package index.
        types.ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True),
    ),
)

_BY_NAME = {tool.name: tool for tool in TOOLS}


# --------------------------------------------------------------------------- results and errors


def _document(document: object, *, is_error: bool = False) -> types.CallToolResult:
    """A JSON document as both a text block and the structured content (which must be an object)."""
    structured = document if isinstance(document, dict) else {"result": document}
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=json.dumps(document, indent=2))],
        structured_content=structured,
        is_error=is_error,
    )


def _error(code: str, message: str, result: object = None) -> types.CallToolResult:
    document: dict[str, object] = {"error": {"code": code, "message": message}}
    if result is not None:
        document["result"] = result  # the --json document of the run that failed
    return _document(document, is_error=True)


def _check_arguments(tool: _Tool, arguments: Mapping[str, Any]) -> None:
    """Hold the arguments to the tool's published schema; raise UsageError for the first mismatch.

    The allowed values of framework, database, auth and the recommend answers are left to
    scaffold's own checks, which accept what the command line accepts (`postgresql`, `Python`)
    and refuse the rest with the command line's error (`unknown_choice` with a "did you mean").
    """
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

    validator = Draft202012Validator(tool.input_schema)
    first = best_match(e for e in validator.iter_errors(dict(arguments)) if e.validator != "enum")
    if first is not None:
        where = "".join(f"{part}: " for part in first.absolute_path)
        raise UsageError(f"{tool.name}: {where}{first.message}")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"unexpected {type(exc).__name__}" + (f": {text}" if text else "")


def call(
    name: str, arguments: Mapping[str, Any], progress: _Progress, *, debug: bool = False
) -> types.CallToolResult:
    """Run a tool to its result; every failure is a tool error, never an exception out of here."""
    tool = _BY_NAME.get(name)
    if tool is None:
        return _error("unknown_tool", f"no tool '{name}'; the tools are {', '.join(_BY_NAME)}")
    try:
        _check_arguments(tool, arguments)
        return _document(tool.run(arguments, progress))
    except VerificationFailed as exc:
        failed = exc.document if exc.document is not None else exc.result.as_dict()
        return _error(exc.code, str(exc), failed)
    except ScaffoldError as exc:
        return _error(exc.code, str(exc))
    except Exception as exc:
        message = _one_line(exc)
        # As on the command line: one line, and the traceback (on stderr) only with --debug.
        _log.error("%s: %s", name, message, exc_info=debug)
        hint = "" if debug else " (start the server with `scaffold --debug mcp` for the traceback on stderr)"
        return _error("internal", message + hint)


# --------------------------------------------------------------------------- the server


def build(*, debug: bool = False) -> Server[Any]:
    """The server, its handlers bound; `run` serves it on stdio."""

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(
            tools=[
                types.Tool(
                    name=tool.name,
                    title=tool.title,
                    description=tool.description,
                    input_schema=tool.input_schema,
                    annotations=tool.annotations,
                )
                for tool in TOOLS
            ]
        )

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        # A worker thread, so that the server keeps answering (pings, cancellations, other calls)
        # through a verification that takes minutes.
        progress = _Progress(ctx)
        return await anyio.to_thread.run_sync(
            lambda: call(params.name, params.arguments or {}, progress, debug=debug)
        )

    return Server(
        "scaffold",
        version=__version__,
        title="scaffold",
        instructions=_INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def run(*, debug: bool = False) -> None:
    """Serve on stdin and stdout until the client closes stdin."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="scaffold mcp: %(message)s")
    server = build(debug=debug)

    async def serve() -> None:
        # stdio_server points file descriptors 0 and 1 at /dev/null and stderr for as long as it
        # serves: nothing a child process or a library writes can break into the protocol.
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(serve)
