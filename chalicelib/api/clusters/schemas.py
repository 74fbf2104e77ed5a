"""Wire models of the Kubernetes cluster registry (admin) and the cluster choice (customers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field

from chalicelib.api.containers.schemas import Name
from chalicelib.api.wire import Out, Strict
from chalicelib.domain.clusters.entities import ENDPOINT_PATTERN, MAX_TOKEN_LENGTH, Cluster, ClusterRequest

Endpoint = Annotated[
    str,
    Field(min_length=1, max_length=512, pattern=ENDPOINT_PATTERN, examples=["https://k8s.example.com:6443"]),
]
# PEM is ASCII; a bearer token is printable ASCII without spaces.
Pem = Annotated[str, Field(min_length=1, max_length=16384, pattern=r"^[\x20-\x7E\r\n\t]+$")]
Token = Annotated[str, Field(min_length=1, max_length=MAX_TOKEN_LENGTH, pattern=r"^[\x21-\x7E]+$")]


class ClusterIn(Strict):
    """An https endpoint needs `ca_cert`; http is accepted for 127.0.0.1 (the local sandbox) only."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"endpoint": {"pattern": "^https://"}}, "required": ["endpoint"]},
            "then": {"required": ["ca_cert"], "properties": {"ca_cert": {"type": "string"}}},
        }
    )

    name: Name
    endpoint: Endpoint
    ca_cert: Pem | None = None
    token: Token = Field(description="A service account's bearer token; stored encrypted, never returned.")

    def to_domain(self) -> ClusterRequest:
        return ClusterRequest(name=self.name, endpoint=self.endpoint, ca_cert=self.ca_cert, token=self.token)


class ClusterUpdateIn(Strict):
    """Only the fields sent change; a new endpoint, CA or token is probed before it is saved."""

    name: Name | None = None
    endpoint: Endpoint | None = None
    ca_cert: Pem | None = None
    token: Token | None = None

    def to_domain(self) -> ClusterRequest:
        return ClusterRequest(name=self.name, endpoint=self.endpoint, ca_cert=self.ca_cert, token=self.token)


class ClusterOut(Out):
    id: str
    name: str
    endpoint: str
    ca_cert: bool = Field(description="Whether a CA certificate is stored (the certificate is not returned).")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, c: Cluster) -> ClusterOut:
        return cls(
            id=c.id,
            name=c.name,
            endpoint=c.endpoint,
            ca_cert=c.has_ca,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


class ClusterListOut(Out):
    clusters: list[ClusterOut]


class ClusterChoiceOut(Out):
    id: str
    name: str


class ClusterChoicesOut(Out):
    clusters: list[ClusterChoiceOut]
