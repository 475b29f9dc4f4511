"""Removes the files that the chosen database and auth mode leave out."""

from __future__ import annotations

import secrets
from pathlib import Path

DATABASE_FILES = {
    "sqlite": ["src/db/sqlite.js"],
    "postgres": ["src/db/postgres.js"],
    "mongodb": ["src/db/mongodb.js", "src/db/collections.js", "tests/collections.test.js"],
}
# Files that more than one database needs, each with the databases that keep it.
SHARED_FILES = {
    "tests/prepare-database.js": ("postgres", "mongodb"),
}
# MongoDB has no SQL schema: its indexes are made at start (src/db/collections.js).
SQL_FILES = [
    "migrations/0001_initial.sql",
    "src/db/migrate.js",
    "tests/migrations.test.js",
]
AUTH_FILES = [
    "src/http/authenticate.js",
    "src/routes/auth.js",
    "src/services/auth.js",
    "src/services/login-limit.js",
    "src/repositories/login-failures.js",
    "tests/auth.test.js",
    "tests/login-limit.test.js",
]
JWT_FILES = [
    "src/services/tokens.js",
    "src/repositories/revoked-tokens.js",
    "tests/tokens.test.js",
]
SESSION_FILES = [
    "src/services/sessions.js",
    "src/repositories/sessions.js",
    "tests/sessions.test.js",
]


def left_out(database: str, auth: str) -> list[str]:
    """Paths, relative to the project root, that these choices leave out."""
    # Each project ships the driver of its own database only.
    paths = [path for name, files in DATABASE_FILES.items() if name != database for path in files]
    paths += [path for path, databases in SHARED_FILES.items() if database not in databases]
    if database == "mongodb":
        paths += SQL_FILES
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
