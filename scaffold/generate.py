"""The ``scaffold new`` pipeline: validate, render, write atomically, hand off."""

from __future__ import annotations

import base64
import os
import shlex
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from scaffold import add as adding
from scaffold import answers, naming, resources, skeleton, stacks, tokens, vcs, writer
from scaffold.errors import ConflictingOptionsError, InvalidNameError, VerificationFailed
from scaffold.naming import ProjectName
from scaffold.render import RenderedFile
from scaffold.resources import Resource
from scaffold.stacks import Stack

if TYPE_CHECKING:
    from scaffold.results import Verification

# `scaffold new .`: generate into the output folder itself.
HERE = "."


class ProjectRequest(NamedTuple):
    """Everything ``scaffold new`` needs once the choices are made."""

    name: str
    stack: Stack
    output_dir: Path = Path(".")
    dry_run: bool = False
    tokens: bool = True
    defaults_used: tuple[str, ...] = ()
    git: bool = True
    # False leaves backend-complete.token to a later `scaffold verify` (`new --verify`): a project
    # never carries a completion token that a verification did not stand behind.
    completion_token: bool = True
    # Added as `scaffold add resource` would, before the first commit: checked already.
    resources: tuple[Resource, ...] = ()


class GenerationResult(NamedTuple):
    """What was (or, with a dry run, would be) generated, and what to do next."""

    stack: Stack
    name: ProjectName
    path: Path
    files: list[str]
    commands: dict[str, str]
    next_steps: list[str]
    dry_run: bool
    defaults_used: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    workspace: tokens.Workspace | None = None  # the agent workspace the project was generated into

    def as_dict(self) -> dict[str, object]:
        return {
            "stack": self.stack.name,
            "framework": self.stack.framework,
            "database": self.stack.database,
            "auth": self.stack.auth,
            "name": self.name.folder,
            "package": self.name.package,
            "path": str(self.path),
            "files": self.files,
            "commands": self.commands,
            "next_steps": self.next_steps,
            "defaults_used": list(self.defaults_used),
            "dry_run": self.dry_run,
            "notes": list(self.notes),
            "workspace": str(self.workspace.root) if self.workspace else None,
        }


# The compose service each server database's project starts before its tests and app.
_DATABASE_SERVICES = {
    "postgres": "docker compose up -d db   # PostgreSQL for the app and its tests",
    "mongodb": "docker compose up -d mongo   # MongoDB for the app and its tests",
}


def next_steps(stack: Stack, name: ProjectName) -> tuple[dict[str, str], list[str]]:
    """The documented commands of a new project and the steps to run them, in order."""
    info = stacks.FRAMEWORK_INFO[stack.framework]
    commands = info.commands(name.package)
    steps = [f"cd {name.folder}", *info.install]
    if stack.database in _DATABASE_SERVICES:
        steps.append(_DATABASE_SERVICES[stack.database])
    steps += [commands["test"], f"{commands['dev']}   # a development server that reloads on changes"]
    return commands, steps


def answers_for(stack: Stack, name: ProjectName) -> dict[str, str]:
    """The template answers for a stack and name, with a fresh random secret."""
    found = {
        "project_slug": name.folder,
        "package_name": name.package,
        "database": stack.database,
        "auth": stack.auth,
        # secrets.token_urlsafe(48), without importing secrets' hmac and OpenSSL on start-up.
        "secret_key": base64.urlsafe_b64encode(os.urandom(48)).rstrip(b"=").decode(),
    }
    if stacks.FRAMEWORK_INFO[stack.framework].language == "javascript":
        found["npm_name"] = name.npm
    return found


class Plan(NamedTuple):
    """A checked request: the name is valid, the stack built and the target free."""

    request: ProjectRequest
    name: ProjectName
    target: Path
    in_place: bool = False  # `new .`: into the existing output folder
    # Set when the target lies in an agent workspace (a folder above it, or the target itself,
    # holds .agent-tokens/workspace-path.txt): the hand-off files are then the workspace's.
    workspace: tokens.Workspace | None = None


def plan(request: ProjectRequest) -> Plan:
    """Check a request before anything is rendered or written.

    Raises a ScaffoldError subclass naming the first problem.
    """
    output = writer.check_output_dir(request.output_dir)
    in_place = request.name == HERE
    if in_place:
        try:
            name = naming.validate(output.name)
        except InvalidNameError as exc:
            raise InvalidNameError(f"`scaffold new .` takes the name of the folder: {exc}") from None
        target = output
    else:
        name = naming.validate(request.name)
        target = output / name.folder
    workspace = None
    if request.tokens:
        root = tokens.find_workspace(output)
        if root is not None:
            tokens.check_workspace(root)
            workspace = tokens.Workspace(root, target)
    if in_place:
        writer.check_in_place(target)
    else:
        writer.check_target(target)
    return Plan(request, name, target, in_place, workspace)


def _resource_files(files: list[RenderedFile], wanted: tuple[Resource, ...]) -> list[str]:
    """The files the resources would add to these (a dry run): added to a copy in a temp folder."""
    if not wanted:
        return []
    with tempfile.TemporaryDirectory(prefix="scaffold-resources-") as folder:
        root = Path(folder)
        for file in files:
            (root / file.path).parent.mkdir(parents=True, exist_ok=True)
            (root / file.path).write_bytes(file.data)
        return adding.into_new_project(root, wanted)


def _repository_around(folder: Path) -> Path | None:
    """The git work tree `folder` lies in (it or an ancestor holds .git), or None."""
    return next((f for f in (folder, *folder.parents) if (f / ".git").exists()), None)


def generate(checked: Plan | ProjectRequest) -> GenerationResult:
    """Generate a project, or with ``dry_run`` only say what would be generated.

    Raises a ScaffoldError subclass on bad input or failure; nothing is then written.
    """
    checked = checked if isinstance(checked, Plan) else plan(checked)
    request, name, target, workspace = checked.request, checked.name, checked.target, checked.workspace
    files = skeleton.render_cached(request.stack.framework, answers_for(request.stack, name))
    files.append(answers.record(request.stack, tokens=request.tokens))
    # In a workspace the project gets no .agent-tokens/ of its own: the workspace's is the one.
    own_tokens = request.tokens and workspace is None
    if own_tokens:
        files.append(tokens.workspace_file(target))
    written = sorted(f.path for f in files)
    if request.dry_run:
        written = sorted([*written, *_resource_files(files, request.resources)])
    token_now = own_tokens and request.completion_token
    listing = sorted([*written, tokens.COMPLETE_FILE]) if token_now else written
    commands, steps = next_steps(request.stack, name)
    if checked.in_place:
        steps = steps[1:]  # already there: no `cd`
    result = GenerationResult(
        request.stack, name, target, listing, commands, steps, request.dry_run, request.defaults_used,
        workspace=workspace,
    )  # fmt: skip
    if request.dry_run:
        return result

    notes: list[str] = []
    # A project inside an existing repository (a workspace, a folder with .git) joins it.
    repository = _repository_around(target if checked.in_place else target.parent)
    place = writer.into_folder if checked.in_place else writer.new_project
    with place(target, files) as staging:
        written = sorted([*written, *adding.into_new_project(staging, request.resources)])
        listing = sorted([*written, tokens.COMPLETE_FILE]) if token_now else written
        if request.git and repository is not None:
            notes.append(f"'{target}' is inside the git repository {repository}, so no repository was made")
        elif request.git:
            note = vcs.git_init(staging, f"Initial commit: {request.stack.name} from scaffold")
            notes += [note] if note else []
        if token_now:
            tokens.write_completion_token(
                tokens.Workspace(target, target), request.stack.name, written, staging=staging
            )
    return result._replace(files=listing, notes=tuple(notes))


class NewOptions(NamedTuple):
    """`scaffold new` as the command line, a config file or an MCP client asks for it."""

    name: str | None = None
    stack: str | None = None
    framework: str | None = None
    database: str | None = None
    auth: str | None = None
    output_dir: Path = Path(".")
    config: Path | None = None
    dry_run: bool = False
    tokens: bool = True
    git: bool = True
    install: bool = False
    verify: bool | None = None  # None: verify in an agent workspace, not elsewhere
    resources: tuple[str, ...] = ()  # each as `--resource "posts title:str"`


class Reporter(Protocol):
    """Whoever shows progress (the verification steps' reporter, and a few lines more)."""

    def note(self, text: str) -> None: ...

    def status(self, verb: str, text: str) -> None: ...

    def step_started(self, name: str, command: str) -> None: ...

    def step_finished(self, step: Any) -> None: ...


class NewOutcome(NamedTuple):
    """A finished `scaffold new`: what was generated and, when asked for, how it was checked."""

    result: GenerationResult
    checks: Verification | None = None
    verified: bool = False  # the checks were a whole verification, not only the install
    equivalent: str = ""  # the one-line command that gives the same project

    def as_dict(self) -> dict[str, object]:
        """The `scaffold new --json` document."""
        steps = {step.name: step.as_dict() for step in self.checks.steps} if self.checks else {}
        return {
            **self.result.as_dict(),
            "equivalent_command": self.equivalent,
            "install": steps.get("install"),
            "verification": self.checks.as_dict() if self.checks is not None and self.verified else None,
            "token_written": bool(self.checks and self.checks.token_written),
        }


def equivalent_command(name: str, stack: Stack, options: NewOptions, verify: bool) -> str:
    """The flags that give this project without a question: for CI, or to hand to an agent."""
    words = ["scaffold", "new", name, "--stack", stack.name]
    if options.output_dir != Path("."):
        words += ["--output-dir", str(options.output_dir)]
    words += [flag for flag, on in (("--no-git", not options.git), ("--no-tokens", not options.tokens)) if on]
    words += ["--install"] if options.install and not verify else []
    words += [word for text in options.resources for word in ("--resource", text)]
    if options.verify is not None:
        words.append("--verify" if options.verify else "--no-verify")
    return shlex.join(words)


def create(options: NewOptions, *, reporter: Reporter | None = None, no_input: bool = True) -> NewOutcome:
    """The whole of `scaffold new`: choose (asking only when `no_input` is False and a terminal
    is there), plan, generate, then install or verify as asked.

    Raises ScaffoldError subclasses; a failed verification raises VerificationFailed with the
    full document of the run as its `document`.
    """
    from scaffold import prompts

    if options.dry_run and (options.install or options.verify):
        raise ConflictingOptionsError(
            "--dry-run writes nothing, so there is nothing to --install or --verify"
        )
    selection = stacks.select(options.stack, options.framework, options.database, options.auth)
    use_tokens = options.tokens
    tables: tuple[Mapping[str, Any], ...] = ()
    if options.config is not None:
        replay = answers.load(options.config)
        tables = replay.resources
        selection = answers.merge(selection, replay.selection, options.config)
        use_tokens = use_tokens and replay.tokens is not False
    # A replay asks nothing: what the file leaves open takes the defaults.
    name, selection, defaulted, asked = prompts.resolve(
        options.name, selection, no_input=no_input or options.config is not None
    )
    chosen = stacks.complete_with_defaults(selection)
    wanted = _wanted_resources(chosen, tables, options)
    checked = plan(
        ProjectRequest(
            name=name, stack=chosen, output_dir=options.output_dir, dry_run=options.dry_run,
            tokens=use_tokens, defaults_used=defaulted, git=options.git,
            # A workspace's token, and one asked for with --verify, wait for the verification.
            completion_token=not options.verify, resources=wanted,
        )
    )  # fmt: skip
    verify = (checked.workspace is not None) if options.verify is None else options.verify
    verify = verify and not options.dry_run
    equivalent = equivalent_command(name, chosen, options._replace(tokens=use_tokens), verify)
    say = reporter or _Silent()
    if asked:
        say.status("same as", equivalent)
    if defaulted:
        say.note(
            "using defaults for "
            + ", ".join(f"{kind} ({getattr(chosen, kind)})" for kind in defaulted)
            + "; pass --stack to choose"
        )
    if checked.workspace is not None:
        say.status("workspace", str(checked.workspace.root))
    say.status("render", f"{chosen.name} into {checked.target}")
    result = generate(checked)
    for note in result.notes:
        say.note(note)
    outcome = NewOutcome(result, equivalent=equivalent)
    if checked.workspace is not None and not verify and not options.dry_run:
        say.note(
            "no completion token was written (--no-verify): run `scaffold verify` in "
            f"{checked.target} when the backend is done"
        )
    if not (options.install or verify):
        return outcome
    from scaffold import verify as verifying

    try:
        checks = verifying.verify(
            result.path,
            steps=verifying.STEPS if verify else ("install",),
            # --install alone keeps the token generation wrote; a verification writes it if all passes.
            write_token=verify and use_tokens,
            check_workspace=use_tokens,
            reporter=reporter,
        )
    except VerificationFailed as exc:
        exc.document = outcome._replace(checks=exc.result, verified=verify).as_dict()
        raise
    return outcome._replace(checks=checks, verified=verify)


def _wanted_resources(
    stack: Stack, tables: tuple[Mapping[str, Any], ...], options: NewOptions
) -> tuple[Resource, ...]:
    """The resources a replay and `--resource` declare, checked as a set before anything is written."""
    if not tables and not options.resources:
        return ()
    adding.check_available(stack)
    wanted = [resources.from_record(t, auth=stack.auth, source=str(options.config)) for t in tables]
    wanted += [resources.from_text(text, auth=stack.auth) for text in options.resources]
    resources.check_set(wanted)
    return tuple(wanted)


def run_new(options: NewOptions, *, reporter: Reporter | None = None) -> dict[str, object]:
    """`create` without questions, as its `--json` document: what a program calls."""
    return create(options, reporter=reporter).as_dict()


class _Silent:
    """A reporter that shows nothing."""

    def note(self, text: str) -> None:
        pass

    def status(self, verb: str, text: str) -> None:
        pass

    def step_started(self, name: str, command: str) -> None:
        pass

    def step_finished(self, step: Any) -> None:
        pass
