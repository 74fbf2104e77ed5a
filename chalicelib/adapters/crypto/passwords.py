"""Argon2PasswordHasher: argon2id password hashes (argon2-cffi, imported on first use)."""

from __future__ import annotations

import secrets

# OWASP's minimum for argon2id: m=19 MiB, t=2, p=1.
ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PARALLELISM = 1


class Argon2PasswordHasher:
    """argon2id hashes; verify() is constant-time and also runs (against a decoy) for unknown users."""

    def __init__(self) -> None:
        from argon2 import PasswordHasher as Argon2Hasher
        from argon2 import Type

        self._hasher = Argon2Hasher(
            time_cost=ARGON2_TIME_COST,
            memory_cost=ARGON2_MEMORY_KIB,
            parallelism=ARGON2_PARALLELISM,
            type=Type.ID,
        )
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; a None hash is checked against a decoy (same cost)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return (
                bool(self._hasher.verify(password_hash or self._decoy, password))
                and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False
