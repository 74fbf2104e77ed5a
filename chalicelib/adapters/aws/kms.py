"""KMS secret boxes: small secrets encrypted directly (KmsSecretBox) or by envelope (KmsEnvelopeBox)."""

from __future__ import annotations

import base64

from chalicelib.adapters.aws.clients import client, is_transient
from chalicelib.domain.shared.errors import ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.secrets import SecretUnreadable

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


ENVELOPE_VERSION = "env1"


class KmsEnvelopeBox:
    """Implements the SecretBox port with envelope encryption: a fresh AES-256 data key per secret from KMS
    GenerateDataKey (bound to the encryption context), the secret sealed with AES-GCM under it (the context
    is the GCM associated data too), the data key stored only as KMS ciphertext beside it.

    Ciphertext: "env1.<encrypted data key>.<nonce>.<sealed secret>", each part base64. Raises
    ServiceUnavailable when KMS does not answer, SecretUnreadable when the ciphertext does not open (another
    context, another key, tampered with)."""

    def __init__(self, key_id: str, region: str) -> None:
        self._key_id = key_id
        self._region = region

    def encrypt(self, plaintext: str, context: dict[str, str] | None = None) -> str:
        import os

        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        data = plaintext.encode()
        if len(data) > MAX_PLAINTEXT_BYTES:
            raise ValidationFailed(f"A secret may be at most {MAX_PLAINTEXT_BYTES} bytes.")
        try:
            key = client("kms", self._region).generate_data_key(
                KeyId=self._key_id, KeySpec="AES_256", EncryptionContext=context or {}
            )
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable("The key service did not answer; try again.") from exc
            raise
        nonce = os.urandom(12)
        sealed = AESGCM(bytes(key["Plaintext"])).encrypt(nonce, data, _associated(context))
        parts = (bytes(key["CiphertextBlob"]), nonce, sealed)
        return ".".join([ENVELOPE_VERSION, *(base64.b64encode(p).decode() for p in parts)])

    def decrypt(self, ciphertext: str, context: dict[str, str] | None = None) -> str:
        from botocore.exceptions import ClientError
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        version, _, rest = ciphertext.partition(".")
        try:
            wrapped, nonce, sealed = (base64.b64decode(p, validate=True) for p in rest.split("."))
        except ValueError as exc:
            raise SecretUnreadable("The stored secret is not an envelope this service made.") from exc
        if version != ENVELOPE_VERSION:
            raise SecretUnreadable("The stored secret is not an envelope this service made.")
        try:
            key = client("kms", self._region).decrypt(CiphertextBlob=wrapped, EncryptionContext=context or {})
        except ClientError as exc:
            if is_transient(exc):
                raise ServiceUnavailable("The key service did not answer; try again.") from exc
            raise SecretUnreadable("The stored secret does not open with this encryption context.") from exc
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable("The key service did not answer; try again.") from exc
            raise
        try:
            return AESGCM(bytes(key["Plaintext"])).decrypt(nonce, sealed, _associated(context)).decode()
        except (InvalidTag, ValueError) as exc:
            raise SecretUnreadable("The stored secret was tampered with.") from exc


def _associated(context: dict[str, str] | None) -> bytes:
    import json

    return json.dumps(context or {}, sort_keys=True, separators=(",", ":")).encode()
