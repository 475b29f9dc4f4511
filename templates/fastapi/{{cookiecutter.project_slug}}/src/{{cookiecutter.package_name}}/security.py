"""Password hashing with Argon2id, off the event loop."""

from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool

# Argon2 keeps a core busy for each hash: more hashes at once than cores only slow
# every one of them down and starve the event loop, which then holds pooled
# connections longer.
_HASHING = threading.BoundedSemaphore(os.cpu_count() or 1)


class Passwords:
    """Hashes and checks passwords; each hash takes a worker thread, not the loop."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        # argon2-cffi's defaults: RFC 9106's low-memory profile (t=3, 64 MiB, p=4).
        # Only the tests hand in a cheaper hasher, through `create_app`.
        self._hasher = hasher or PasswordHasher()

    async def hash(self, password: str) -> str:
        return await run_in_threadpool(self._hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await run_in_threadpool(self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    async def waste_time(self, password: str) -> None:
        """Spend what a real check costs, so unknown emails cannot be timed."""
        await self.hash(password)

    def _hash(self, password: str) -> str:
        with _HASHING:
            return self._hasher.hash(password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            with _HASHING:
                return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
