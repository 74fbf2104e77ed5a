"""AWS adapters: Step Functions (workflows), KMS (secret box), Secrets Manager (signing key).

boto3 is imported inside the adapters so that `import app` stays cheap.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from chalicelib.domain.errors import ServiceUnavailable


@lru_cache(maxsize=8)
def _client(service: str, region: str) -> Any:
    import boto3

    return boto3.session.Session().client(service, region_name=region)  # type: ignore[call-overload]


def _is_transport_error(exc: Exception) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, BotoCoreError):
        return True
    return (
        isinstance(exc, ClientError)
        and exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
    )


class StepFunctionsWorkflows:
    """Starts provisioning executions with deterministic names (a repeated name is a no-op)."""

    def __init__(self, provision_container_arn: str, region: str) -> None:
        self._provision_container_arn = provision_container_arn
        self._region = region

    def start_provision_container(self, execution_name: str, payload: Mapping[str, object]) -> str:
        client = _client("stepfunctions", self._region)
        try:
            response = client.start_execution(
                stateMachineArn=self._provision_container_arn, name=execution_name, input=json.dumps(payload)
            )
        except client.exceptions.ExecutionAlreadyExists:
            return (
                f"{self._provision_container_arn.replace(':stateMachine:', ':execution:')}:{execution_name}"
            )
        except Exception as exc:
            if _is_transport_error(exc):
                raise ServiceUnavailable("The workflow service did not answer; try again.") from exc
            raise
        return str(response["executionArn"])


class KmsSecretBox:
    """Encrypts small secrets with a KMS key; ciphertext is base64 text."""

    def __init__(self, key_id: str, region: str) -> None:
        self._key_id = key_id
        self._region = region

    def encrypt(self, plaintext: str) -> str:
        try:
            blob = _client("kms", self._region).encrypt(KeyId=self._key_id, Plaintext=plaintext.encode())
        except Exception as exc:
            if _is_transport_error(exc):
                raise ServiceUnavailable("The key service did not answer; try again.") from exc
            raise
        return base64.b64encode(blob["CiphertextBlob"]).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            blob = _client("kms", self._region).decrypt(CiphertextBlob=base64.b64decode(ciphertext))
        except Exception as exc:
            if _is_transport_error(exc):
                raise ServiceUnavailable("The key service did not answer; try again.") from exc
            raise
        return bytes(blob["Plaintext"]).decode()


def fetch_secret(secret_arn: str, region: str) -> bytes:
    """The signing key stored in Secrets Manager (SecretString)."""
    value = _client("secretsmanager", region).get_secret_value(SecretId=secret_arn)
    return str(value["SecretString"]).encode()
