"""Usernames derived from emails: one rule for every database."""

from __future__ import annotations

from collections.abc import Collection

USERNAME_MIN, USERNAME_MAX = 3, 80


def username_base(email: str) -> str:
    """The email's local part, cleaned and padded to 3, with room for a number."""
    local = email.split("@", 1)[0]
    base = "".join(c for c in local if c.isascii() and (c.isalnum() or c in "_.-"))
    # Keep room for a numeric suffix within the 80-character limit.
    return base[: USERNAME_MAX - 8].ljust(USERNAME_MIN, "_")


def first_free(base: str, taken: Collection[str]) -> str:
    """`base` itself, else the first of base2, base3, ... that is not taken."""
    if base not in taken:
        return base
    suffix = 2
    while f"{base}{suffix}" in taken:
        suffix += 1
    return f"{base}{suffix}"
