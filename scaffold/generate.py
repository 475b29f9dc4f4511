"""The ``scaffold new`` pipeline: validate, render, write atomically, hand off."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import NamedTuple

from scaffold import answers, naming, skeleton, stacks, tokens, vcs, writer
from scaffold.naming import ProjectName
from scaffold.stacks import Stack


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


def plan(request: ProjectRequest) -> Plan:
    """Check a request before anything is rendered or written.

    Raises a ScaffoldError subclass naming the first problem.
    """
    name = naming.validate(request.name)
    stacks.require_built(request.stack)
    target = writer.check_output_dir(request.output_dir) / name.folder
    writer.check_target(target)
    return Plan(request, name, target)


def generate(checked: Plan | ProjectRequest) -> GenerationResult:
    """Generate a project, or with ``dry_run`` only say what would be generated.

    Raises a ScaffoldError subclass on bad input or failure; nothing is then written.
    """
    checked = checked if isinstance(checked, Plan) else plan(checked)
    request, name, target = checked.request, checked.name, checked.target
    files = skeleton.render_cached(request.stack.framework, answers_for(request.stack, name))
    files.append(answers.record(request.stack, tokens=request.tokens))
    if request.tokens:
        files.append(tokens.workspace_file(target))
    written = sorted(f.path for f in files)
    listing = sorted([*written, tokens.COMPLETE_FILE]) if request.tokens else written
    commands, steps = next_steps(request.stack, name)
    result = GenerationResult(
        request.stack, name, target, listing, commands, steps, request.dry_run, request.defaults_used
    )
    if request.dry_run:
        return result

    notes: list[str] = []
    with writer.new_project(target, files) as staging:
        if request.git:
            note = vcs.git_init(staging, f"Initial commit: {request.stack.name} from scaffold")
            notes += [note] if note else []
        if request.tokens and request.completion_token:
            tokens.write_completion_token(staging, request.stack.name, written, workspace=target)
    return result._replace(notes=tuple(notes))
