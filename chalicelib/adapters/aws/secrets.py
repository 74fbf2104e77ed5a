"""Secrets Manager: read a secret's value (the token signing key in AWS)."""

from __future__ import annotations

from chalicelib.adapters.aws.clients import client


def fetch_secret(secret_arn: str, region: str) -> bytes:
    """The SecretString of `secret_arn`."""
    value = client("secretsmanager", region).get_secret_value(SecretId=secret_arn)
    return str(value["SecretString"]).encode()
