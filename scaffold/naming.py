"""Project names: what a NAME may be, and the package names derived from it."""

from __future__ import annotations

import keyword
import re
from typing import NamedTuple

from scaffold.errors import InvalidNameError

MAX_LENGTH = 64

_ALLOWED = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")

# Package names a generated project imports, or that tools resolve before the project:
# a project named after one of them would shadow it.
SHADOWED = frozenset(
    {
        "alembic", "app", "argon2", "asyncpg", "bcrypt", "bson", "click", "conftest",
        "cors", "dotenv", "email_validator", "express", "fastapi", "flask", "gunicorn",
        "helmet", "httpx", "jest", "jinja2", "jsonwebtoken", "jwt", "mongodb", "mongoose",
        "node_modules", "pg", "pino", "psycopg", "psycopg2", "pydantic", "pydantic_settings",
        "pymongo", "pytest", "requests", "ruff", "scaffold", "site", "sqlalchemy",
        "sqlite3", "starlette", "supertest", "test", "tests", "typing", "uvicorn",
        "werkzeug", "zod",
    }
)  # fmt: skip


# What npm refuses as the name of a new package besides its character rules: Node's built-in
# modules (`require('module').builtinModules`, Node 24) and its own two reserved names.
NPM_RESERVED = frozenset(
    {
        "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants",
        "crypto", "dgram", "diagnostics_channel", "dns", "domain", "events", "fs", "http",
        "http2", "https", "inspector", "module", "net", "os", "path", "perf_hooks", "process",
        "punycode", "querystring", "readline", "repl", "stream", "string_decoder", "sys",
        "timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm", "wasi",
        "worker_threads", "zlib", "node_modules", "favicon.ico",
    }
)  # fmt: skip


class ProjectName(NamedTuple):
    """A validated project name and the identifiers derived from it."""

    folder: str
    package: str

    @property
    def npm(self) -> str:
        return npm_name(self.folder)


def package_name(folder: str) -> str:
    """The Python package name for a folder name (``my-app`` -> ``my_app``)."""
    return folder.lower().replace("-", "_").replace(".", "_")


def npm_name(folder: str) -> str:
    """The npm package name for a folder name, valid for publishing (``My.Proj`` -> ``my.proj``).

    npm wants lower case, no leading ``.``, ``_`` or ``-``, and no built-in module's name; a valid
    folder name holds nothing else npm refuses.
    """
    name = folder.lower().lstrip("._-") or "app"
    return f"{name}-app" if name in NPM_RESERVED else name


def shown(text: str, limit: int = 40) -> str:
    """User input as an error message may quote it: on one line, printable, and not too long."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def validate(name: str) -> ProjectName:
    """Return the ProjectName for NAME, or raise InvalidNameError with a one-line reason."""
    if not name or not name.strip():
        raise InvalidNameError("project name is empty")
    shown_name = shown(name)
    if "/" in name or "\\" in name or ".." in name:
        raise InvalidNameError(f"project name '{shown_name}' must be a plain folder name, not a path")
    if len(name) > MAX_LENGTH:
        raise InvalidNameError(f"project name is {len(name)} characters long; at most {MAX_LENGTH}")
    if name[0].isdigit():
        raise InvalidNameError(f"project name '{shown_name}' starts with a digit; start with a letter")
    if name[0] == "-":
        raise InvalidNameError(f"project name '{shown_name}' starts with '-'; start with a letter")
    if not _ALLOWED.fullmatch(name):
        raise InvalidNameError(
            f"project name '{shown_name}' may hold only letters, digits, '_', '-' and '.', "
            "and start with a letter"
        )
    package = package_name(name)
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        raise InvalidNameError(f"project name '{shown_name}' is a Python keyword; choose another")
    if package in SHADOWED:
        raise InvalidNameError(
            f"project name '{shown_name}' would shadow the '{package}' package; try '{package}-app'"
        )
    return ProjectName(folder=name, package=package)
