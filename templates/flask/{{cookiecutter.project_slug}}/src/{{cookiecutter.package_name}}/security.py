"""Password hashing with Argon2id, bound to the app like any extension."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app


class Passwords:
    """Hashes and checks passwords with the app's Argon2id parameters."""

    def init_app(self, app: Flask, hasher: PasswordHasher | None = None) -> None:
        # argon2-cffi's defaults are RFC 9106's low-memory profile (t=3, 64 MiB, p=4).
        # Only the project's own tests pass a cheaper hasher, through create_app.
        app.extensions["passwords"] = hasher or PasswordHasher()

    @staticmethod
    def _hasher() -> PasswordHasher:
        hasher: PasswordHasher = current_app.extensions["passwords"]
        return hasher

    def hash(self, password: str) -> str:
        return self._hasher().hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher().verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher().check_needs_rehash(password_hash)

    def waste_time(self, password: str) -> None:
        """Spend what a real check costs, so unknown emails cannot be timed."""
        self.hash(password)


passwords = Passwords()
