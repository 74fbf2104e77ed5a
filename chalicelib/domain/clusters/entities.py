"""Kubernetes clusters: the registry record and what an administrator sends to register one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.shared.errors import ValidationFailed

# https://host[:port][/path], or plain http to the loopback address only (the local sandbox stub).
ENDPOINT_PATTERN = (
    r"^(https://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/-]*)?"
    r"|http://(127\.0\.0\.1|localhost)(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?)$"
)
_ENDPOINT = re.compile(ENDPOINT_PATTERN)
MAX_TOKEN_LENGTH = 4096  # KMS encrypts at most 4096 bytes; service-account tokens are ~1 KiB


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    endpoint: str
    has_ca: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ClusterRequest:
    """A new cluster, or (on update) the fields sent: `None` keeps what is stored."""

    name: str | None = None
    endpoint: str | None = None
    ca_cert: str | None = None
    token: str | None = None


@dataclass(frozen=True)
class ClusterSecret:
    """What the store keeps beside the record: the CA in clear (it is public) and the token encrypted."""

    ca_cert: str | None
    token_encrypted: str


@dataclass(frozen=True)
class ClusterCredentials:
    """What a connector needs to reach a cluster's API server (the token in clear, in memory only)."""

    endpoint: str
    ca_cert: str | None
    token: str


def check_endpoint(endpoint: str, ca_cert: str | None) -> None:
    """Raises ValidationFailed: https with its CA, or http to 127.0.0.1 (the sandbox) only."""
    if not _ENDPOINT.match(endpoint):
        raise ValidationFailed(
            "endpoint must be https://host[:port] (or http://127.0.0.1:port for the local sandbox).",
            details={"field": "endpoint"},
        )
    if endpoint.startswith("https://") and not ca_cert:
        raise ValidationFailed(
            "An https endpoint needs the cluster's CA certificate (ca_cert, PEM).",
            details={"field": "ca_cert"},
        )


def token_context(cluster_id: str) -> dict[str, str]:
    """KMS encryption context of a cluster's token: the ciphertext only opens for that cluster."""
    return {"purpose": "kubernetes-token", "cluster_id": cluster_id}
