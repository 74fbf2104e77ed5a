"""The secret-box port: small secrets encrypted at rest (KMS in AWS, moto's KMS locally)."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.shared.errors import DomainError


class SecretBox(Protocol):
    """Encrypts small secrets. Raises ServiceUnavailable when the key service does not answer."""

    def encrypt(self, plaintext: str, context: dict[str, str] | None = None) -> str:
        """Ciphertext as text; `context` must be given again to decrypt."""
        ...

    def decrypt(self, ciphertext: str, context: dict[str, str] | None = None) -> str: ...


class SecretUnreadable(DomainError):
    """The ciphertext does not open: another encryption context, another key, or tampered with."""

    code = "secret_unreadable"
