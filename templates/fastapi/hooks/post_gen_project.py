"""Removes the files that the chosen database and auth mode leave out."""

from __future__ import annotations

import secrets
from pathlib import Path

# Spelled exactly like the template's folder, so the raw file names template
# paths and the rendered one (as cookiecutter runs it) names the real ones.
PACKAGE = "src/{{cookiecutter.package_name}}"

AUTH_FILES = [
    f"{PACKAGE}/routers/auth.py",
    f"{PACKAGE}/services/auth.py",
    f"{PACKAGE}/services/login_limit.py",
    "tests/test_auth.py",
    "tests/test_login_limit.py",
]
JWT_FILES = [
    f"{PACKAGE}/services/tokens.py",
    "tests/test_tokens.py",
]
SESSION_FILES = [
    f"{PACKAGE}/services/sessions.py",
    "tests/test_sessions.py",
]
# SQLAlchemy and Alembic: MongoDB has no tables to migrate.
SQL_FILES = [
    "alembic.ini",
    f"{PACKAGE}/db.py",
    f"{PACKAGE}/models.py",
    f"{PACKAGE}/migrations/env.py",
    f"{PACKAGE}/migrations/script.py.mako",
    f"{PACKAGE}/migrations/versions/0001_initial.py",
    "tests/test_migrations.py",
]
# The MongoDB client, its documents, and the indexes that stand in for a schema.
MONGODB_FILES = [
    f"{PACKAGE}/mongo.py",
    f"{PACKAGE}/documents.py",
    "tests/test_indexes.py",
]


def left_out(database: str, auth: str) -> list[str]:
    """Paths, relative to the project root, that these choices leave out."""
    # Both SQL databases share every file; they differ inside files.
    paths = list(SQL_FILES if database == "mongodb" else MONGODB_FILES)
    if auth == "none":
        paths += AUTH_FILES
    if auth != "jwt":
        paths += JWT_FILES
    if auth != "session":
        paths += SESSION_FILES
    return paths


def _remove(root: Path, relative: str) -> None:
    path = root / relative
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
