"""KmsSecretBox: small secrets encrypted with a KMS key and an encryption context."""

from __future__ import annotations

import base64

from chalicelib.adapters.aws.clients import client, is_transient
from chalicelib.domain.shared.errors import ServiceUnavailable, ValidationFailed

MAX_PLAINTEXT_BYTES = 4096  # KMS Encrypt's limit


class KmsSecretBox:
    """Implements the SecretBox port; ciphertext is base64 text. Raises ServiceUnavailable when KMS
    does not answer; decrypting with another context fails (botocore InvalidCiphertextException)."""

    def __init__(self, key_id: str, region: str) -> None:
        self._key_id = key_id
        self._region = region

    def encrypt(self, plaintext: str, context: dict[str, str] | None = None) -> str:
        data = plaintext.encode()
        if len(data) > MAX_PLAINTEXT_BYTES:
            raise ValidationFailed(f"A secret may be at most {MAX_PLAINTEXT_BYTES} bytes.")
        try:
            blob = client("kms", self._region).encrypt(
                KeyId=self._key_id, Plaintext=data, EncryptionContext=context or {}
            )
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable("The key service did not answer; try again.") from exc
            raise
        return base64.b64encode(blob["CiphertextBlob"]).decode()

    def decrypt(self, ciphertext: str, context: dict[str, str] | None = None) -> str:
        try:
            blob = client("kms", self._region).decrypt(
                CiphertextBlob=base64.b64decode(ciphertext), EncryptionContext=context or {}
            )
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable("The key service did not answer; try again.") from exc
            raise
        return bytes(blob["Plaintext"]).decode()
