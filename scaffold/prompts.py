"""Prompting the user for the choices the command line left open, only where a terminal exists."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from scaffold import naming, stacks
from scaffold.errors import InputRequiredError, InvalidNameError
from scaffold.stacks import Selection

_TITLES = {
    "framework": {
        "flask": "Flask      - small, explicit, synchronous (Python)",
        "fastapi": "FastAPI    - async, typed, automatic docs (Python)",
        "express": "Express    - the Node.js standard (JavaScript)",
    },
    "database": {
        "sqlite": "SQLite     - one file, nothing to run",
        "postgres": "PostgreSQL - the relational default for production",
        "mongodb": "MongoDB    - documents",
    },
    "auth": {
        "jwt": "JWT        - bearer tokens, for mobile and service clients",
        "session": "Session    - HttpOnly cookies, for browser clients",
        "none": "None       - open API, add auth later",
    },
}


def can_prompt() -> bool:
    """True when a person can answer: input and the prompt's output are both terminals."""
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _output() -> Any:
    # Prompts go to stderr so that stdout stays clean for --json.
    from prompt_toolkit.output import create_output

    return create_output(stdout=sys.stderr)


def _ask(question: Any) -> Any:
    # unsafe_ask() lets Ctrl-C through as KeyboardInterrupt, which the CLI maps to 130.
    return question.unsafe_ask()


def ask_name() -> str:
    """Ask for the project name, validating as the user types."""
    import questionary

    def valid(text: str) -> bool | str:
        try:
            naming.validate(text)
        except InvalidNameError as exc:
            return str(exc)
        return True

    answer: str = _ask(questionary.text("Project name:", validate=valid, output=_output()))
    return answer


def ask_choices(selection: Selection) -> Selection:
    """Ask, with arrow-key menus, each choice the selection leaves open."""
    import questionary

    chosen = {kind: getattr(selection, kind) for kind in stacks.CHOICES}
    for kind in selection.missing():
        options = [
            questionary.Choice(title=_TITLES[kind][value], value=value) for value in stacks.CHOICES[kind]
        ]
        chosen[kind] = _ask(
            questionary.select(
                f"{kind.capitalize()}:",
                choices=options,
                default=stacks.DEFAULTS[kind],
                output=_output(),
            )
        )
    return Selection(**chosen)


def ask_questions(
    answers: dict[str, str | None], questions: dict[str, tuple[tuple[str, ...], str]]
) -> dict[str, str | None]:
    """Ask, with arrow-key menus, each question not answered yet."""
    import questionary

    asked = dict(answers)
    for question, (allowed, default) in questions.items():
        if asked.get(question) is None:
            asked[question] = _ask(
                questionary.select(
                    f"{question.capitalize()}:", choices=list(allowed), default=default, output=_output()
                )
            )
    return asked


def resolve(
    name: str | None,
    selection: Selection,
    *,
    no_input: bool,
    interactive: Callable[[], bool] = can_prompt,
) -> tuple[str, Selection, tuple[str, ...], bool]:
    """Fill in what the command line left open: by asking, or else by the defaults.

    Returns the name, the full selection, the choices that took their default and whether
    anything was asked.
    Raises InputRequiredError when the name is missing and nobody can be asked.
    """
    ask = not no_input and not os.environ.get("SCAFFOLD_NO_INPUT") and interactive()
    asked = ask and (name is None or bool(selection.missing()))
    if name is None:
        if not ask:
            raise InputRequiredError(
                "missing project NAME (there is no terminal to ask it in): scaffold new NAME"
            )
        name = ask_name()
    if ask:
        return name, ask_choices(selection), (), asked
    return name, selection, tuple(selection.missing()), False
