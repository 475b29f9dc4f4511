"""Password hashing with Argon2id, bound to the app like any extension."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

from .config import Settings


class Passwords:
    """Hashes and checks passwords with the app's Argon2id parameters."""

    def init_app(self, app: Flask, settings: Settings) -> None:
        # Tests hash hundreds of passwords; the cheapest profile keeps them fast.
        hasher = (
            PasswordHasher.from_parameters(profiles.CHEAPEST)
            if settings.app_env == "test"
            else PasswordHasher()
        )
        app.extensions["passwords"] = hasher

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
