"""The stack catalogue: the frameworks, databases and auth modes, and how each framework's projects run."""

from __future__ import annotations

from itertools import product
from typing import NamedTuple

from scaffold.errors import ConflictingOptionsError, UnknownChoiceError
from scaffold.naming import shown

FRAMEWORKS = ("flask", "fastapi", "express")
DATABASES = ("sqlite", "postgres", "mongodb")
AUTH_MODES = ("jwt", "session", "none")

DEFAULT_FRAMEWORK = "flask"
DEFAULT_DATABASE = "sqlite"
DEFAULT_AUTH = "jwt"
DEFAULTS = {"framework": DEFAULT_FRAMEWORK, "database": DEFAULT_DATABASE, "auth": DEFAULT_AUTH}

_ALIASES = {"postgresql": "postgres", "mongo": "mongodb"}


class Framework(NamedTuple):
    """What scaffold knows about a framework: its language and how its projects are driven."""

    name: str
    language: str
    install: tuple[str, ...]
    test: str
    run: str
    # The development server, which reloads on every change to the source, and the
    # environment variables it takes its host and port from (its own CLI's, for Python).
    dev: str
    dev_address: tuple[str, str]
    lint: str
    # Applies pending migrations and exits; None where the database has none.
    migrate: str | None

    def commands(self, package: str) -> dict[str, str]:
        """The documented install, test, run and dev commands of a project, for one package name."""
        return {
            "install": " && ".join(self.install),
            "test": self.test,
            "run": self.run.format(package=package),
            "dev": self.dev.format(package=package),
        }

    def project_commands(self, package: str) -> dict[str, str]:
        """Every command of a project, each runnable from its folder in a fresh shell, in the order
        AGENTS.md lists them: install, dev, test, lint, run, migrate, verify."""
        from scaffold import languages

        driver = languages.driver(self.language)
        found = {"install": driver.documented_install()}
        for key in ("dev", "test", "lint", "run", "migrate"):
            template = getattr(self, key)
            if template is None:
                continue
            found[key] = " && ".join(
                driver.in_fresh_shell(part.strip()) for part in template.format(package=package).split("&&")
            )
        found["verify"] = "scaffold verify"
        return found


_PYTHON_INSTALL = ("python -m venv .venv", ". .venv/bin/activate", 'pip install -e ".[dev]"')
_RUFF = "ruff check . && ruff format --check ."

FRAMEWORK_INFO = {
    "flask": Framework(
        "flask", "python", _PYTHON_INSTALL, "pytest", "python -m {package}",
        "flask --app {package} run --debug", ("FLASK_RUN_HOST", "FLASK_RUN_PORT"),
        _RUFF, "python -m {package} migrate",
    ),
    "fastapi": Framework(
        "fastapi", "python", _PYTHON_INSTALL, "pytest", "python -m {package}",
        "uvicorn {package}:create_app --factory --reload --reload-dir src --no-proxy-headers",
        ("UVICORN_HOST", "UVICORN_PORT"), _RUFF, "python -m {package} migrate",
    ),
    "express": Framework(
        "express", "javascript", ("npm install",), "npm test", "npm start",
        "npm run dev", ("HOST", "PORT"), "npm run lint", "npm run migrate",
    ),
}  # fmt: skip


class Stack(NamedTuple):
    """One framework, database and auth mode."""

    framework: str
    database: str
    auth: str

    @property
    def name(self) -> str:
        return f"{self.framework}-{self.database}-{self.auth}"

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "framework": self.framework,
            "database": self.database,
            "auth": self.auth,
        }


def all_stacks() -> list[Stack]:
    """Every stack, in catalogue order."""
    return [Stack(f, d, a) for f, d, a in product(FRAMEWORKS, DATABASES, AUTH_MODES)]


CHOICES = {"framework": FRAMEWORKS, "database": DATABASES, "auth": AUTH_MODES}
_KIND_WORDS = {"framework": "framework", "database": "database", "auth": "auth mode"}


def canonical(kind: str, value: str) -> str:
    """Return the canonical spelling of a framework, database or auth choice.

    Raises UnknownChoiceError with a "did you mean" when the value is close to a known one.
    """
    known = CHOICES[kind]
    key = value.strip().lower()
    key = _ALIASES.get(key, key)
    if key in known:
        return key
    import difflib  # only on this error path: it is a slow import for the start-up path

    candidates = list(known) + [alias for alias, target in _ALIASES.items() if target in known]
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; choose one of: {', '.join(known)}"
    raise UnknownChoiceError(f"unknown {_KIND_WORDS[kind]} '{shown(value)}'{hint}")


def parse_stack(text: str) -> Stack:
    """Parse ``framework-database[-auth]``; auth defaults to jwt."""
    parts = text.strip().lower().split("-")
    if len(parts) not in (2, 3) or not all(parts):
        raise UnknownChoiceError(
            f"stack '{shown(text)}' is not framework-database[-auth], "
            "e.g. flask-sqlite or fastapi-postgres-session"
        )
    return Stack(
        canonical("framework", parts[0]),
        canonical("database", parts[1]),
        canonical("auth", parts[2]) if len(parts) == 3 else DEFAULT_AUTH,
    )


class Selection(NamedTuple):
    """The choices given on the command line; None where a choice is still open."""

    framework: str | None = None
    database: str | None = None
    auth: str | None = None

    def missing(self) -> list[str]:
        return [kind for kind in CHOICES if getattr(self, kind) is None]


def select(
    stack: str | None = None,
    framework: str | None = None,
    database: str | None = None,
    auth: str | None = None,
) -> Selection:
    """Merge --stack with --framework/--database/--auth, refusing contradictions."""
    given = {"framework": framework, "database": database, "auth": auth}
    chosen = Selection(
        **{kind: canonical(kind, value) if value is not None else None for kind, value in given.items()}
    )
    if stack is None:
        return chosen
    parsed = parse_stack(stack)
    for kind in CHOICES:
        flag = getattr(chosen, kind)
        if flag is not None and flag != getattr(parsed, kind):
            raise ConflictingOptionsError(
                f"--stack {shown(stack)} means {kind} '{getattr(parsed, kind)}' but --{kind} says '{flag}'"
            )
    return Selection(parsed.framework, parsed.database, parsed.auth)


def complete_with_defaults(selection: Selection) -> Stack:
    """The stack a selection names once its open choices take the defaults."""
    return Stack(**{kind: getattr(selection, kind) or DEFAULTS[kind] for kind in CHOICES})
