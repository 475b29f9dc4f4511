"""Removes the files that the chosen database and auth mode leave out."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import NamedTuple

# Spelled exactly like the template's folder, so the raw file names template
# paths and the rendered one (as cookiecutter runs it) names the real ones.
PACKAGE = "src/{{cookiecutter.package_name}}"
# Which template this hook serves: every template links to this one file.
# cookiecutter renders the template's private `_framework` answer into this
# literal and runs the copy from a temporary file; scaffold runs the raw file
# in its template's hooks folder.
RENDERED_FRAMEWORK = "{{ cookiecutter._framework }}"

ANY_DATABASE = ("sqlite", "postgres", "mongodb")
SQL = ("sqlite", "postgres")
ANY_AUTH = ("jwt", "session", "none")
SIGNED_IN = ("jwt", "session")


class Needed(NamedTuple):
    """Files that only some choices keep: these databases and these auth modes."""

    files: tuple[str, ...]
    databases: tuple[str, ...] = ANY_DATABASE
    auths: tuple[str, ...] = ANY_AUTH


# Flask and FastAPI share their layout but for the routes and the data layer.
PYTHON = [
    Needed(
        (
            f"{PACKAGE}/services/auth.py",
            f"{PACKAGE}/services/credentials.py",
            f"{PACKAGE}/services/login_limit.py",
            "tests/test_auth.py",
            "tests/test_login_limit.py",
            "tests/test_login_window.py",
        ),
        auths=SIGNED_IN,
    ),
    Needed(
        (
            f"{PACKAGE}/services/tokens.py",
            "tests/test_tokens.py",
            "tests/test_revoked_tokens.py",
        ),
        auths=("jwt",),
    ),
    Needed(
        (
            f"{PACKAGE}/services/sessions.py",
            "tests/test_sessions.py",
            "tests/test_stored_sessions.py",
        ),
        auths=("session",),
    ),
    # SQLAlchemy and Alembic: MongoDB has no tables to migrate, only indexes.
    Needed(
        (
            "alembic.ini",
            f"{PACKAGE}/models.py",
            f"{PACKAGE}/connections.py",
            f"{PACKAGE}/migrations",
            "tests/test_migrations.py",
        ),
        databases=SQL,
    ),
    Needed((f"{PACKAGE}/documents.py", "tests/test_indexes.py"), databases=("mongodb",)),
]
NEEDED = {
    "flask": [
        *PYTHON,
        Needed((f"{PACKAGE}/api/auth.py", f"{PACKAGE}/api/guards.py"), auths=SIGNED_IN),
    ],
    "fastapi": [
        *PYTHON,
        Needed((f"{PACKAGE}/routers/auth.py",), auths=SIGNED_IN),
        # One module per data layer: db.py for SQL, mongo.py for the MongoDB client.
        Needed((f"{PACKAGE}/db.py",), databases=SQL),
        Needed((f"{PACKAGE}/mongo.py",), databases=("mongodb",)),
    ],
    "express": [
        # Each project ships the driver of its own database only.
        Needed(("src/db/sqlite.js",), databases=("sqlite",)),
        Needed(("src/db/postgres.js",), databases=("postgres",)),
        Needed(
            ("src/db/mongodb.js", "src/db/collections.js", "tests/collections.test.js"),
            databases=("mongodb",),
        ),
        Needed(("tests/prepare-database.js",), databases=("postgres", "mongodb")),
        # MongoDB has no SQL schema: its indexes are made at start (src/db/collections.js).
        Needed(
            (
                "migrations/0001_initial.sql",
                "src/db/migrate.js",
                "src/resources/table.js",
                "tests/migrations.test.js",
            ),
            databases=SQL,
        ),
        Needed(
            (
                "src/http/authenticate.js",
                "src/routes/auth.js",
                "src/services/auth.js",
                "src/services/login-limit.js",
                "src/repositories/login-failures.js",
                "tests/auth.test.js",
                "tests/login-limit.test.js",
            ),
            auths=SIGNED_IN,
        ),
        Needed(
            (
                "src/services/tokens.js",
                "src/repositories/revoked-tokens.js",
                "tests/tokens.test.js",
            ),
            auths=("jwt",),
        ),
        Needed(
            (
                "src/services/sessions.js",
                "src/repositories/sessions.js",
                "tests/sessions.test.js",
            ),
            auths=("session",),
        ),
    ],
}


def template() -> str:
    """The name of the template folder: flask, fastapi or express."""
    if RENDERED_FRAMEWORK.startswith("{"):
        return Path(__file__).parents[1].name
    return RENDERED_FRAMEWORK


def left_out(database: str, auth: str) -> list[str]:
    """Paths, relative to the project root, that these choices leave out."""
    return [
        path
        for needed in NEEDED[template()]
        if database not in needed.databases or auth not in needed.auths
        for path in needed.files
    ]


def _remove(root: Path, relative: str) -> None:
    path = root / relative
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    # Drop folders that the removal left empty, up to the project root.
    for parent in path.parents:
        if parent == root or not parent.is_dir() or any(parent.iterdir()):
            break
        parent.rmdir()


def _fill_secret(env_file: Path) -> None:
    lines = env_file.read_text(encoding="utf-8").splitlines(keepends=True)
    secret = f"SECRET_KEY={secrets.token_urlsafe(48)}\n"
    filled = [secret if line.strip() == "SECRET_KEY=" else line for line in lines]
    env_file.write_text("".join(filled), encoding="utf-8")


def main() -> None:
    root = Path.cwd()
    for relative in left_out("{{ cookiecutter.database }}", "{{ cookiecutter.auth }}"):
        _remove(root, relative)
    if not "{{ cookiecutter.secret_key }}":
        _fill_secret(root / ".env")


if __name__ == "__main__":
    main()
