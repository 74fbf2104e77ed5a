"""In-memory fakes of the marketplace's ports: the catalog and the container path that deploys a template.

FakeCatalog passes the same contract suite as TemplateRepository (tests/contract/marketplace)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.containers.entities import PROVISIONING, Container, ContainerRequest
from chalicelib.domain.marketplace.ports import CatalogEntry
from chalicelib.domain.shared.errors import Conflict
from chalicelib.domain.shared.principal import Principal


class FakeCatalog:
    def __init__(self, files: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.files = {slug: dict(doc) for slug, doc in (files or {}).items()}
        self.stored: dict[str, tuple[dict[str, Any], int]] = {}

    def entries(self) -> list[CatalogEntry]:
        return [e for slug in sorted(self.files.keys() | self.stored.keys()) if (e := self.entry(slug))]

    def entry(self, slug: str) -> CatalogEntry | None:
        base, stored = self.files.get(slug), self.stored.get(slug)
        if base is None and stored is None:
            return None
        changes, version = stored if stored else ({}, None)
        return CatalogEntry(slug, copy.deepcopy(base), copy.deepcopy(changes), version)

    def save(self, slug: str, changes: Mapping[str, Any], expected_version: int | None, now: datetime) -> int:
        current = self.stored.get(slug)
        if (current[1] if current else None) != expected_version:
            raise Conflict("The template changed meanwhile; reload it and try again.")
        version = (expected_version or 0) + 1
        self.stored[slug] = (copy.deepcopy(dict(changes)), version)
        return version


class FakeDeployer:
    """Records what would be created; the container comes back in provisioning, as the real path answers."""

    def __init__(self) -> None:
        self.requests: list[ContainerRequest] = []

    def create(self, p: Principal, req: ContainerRequest) -> Container:
        self.requests.append(req)
        now = datetime.now(UTC)
        return Container(
            id=f"c{len(self.requests)}",
            organization_id=p.organization_id,
            name=req.name,
            image=req.image,
            resources=req.resources,
            environment=dict(req.environment),
            ports=req.ports,
            volumes=req.volumes,
            replicas=1,
            status=PROVISIONING,
            status_reason=None,
            exit_code=None,
            host_id="h",
            engine_ids=(),
            generation=1,
            version=1,
            created_by=p.user_id,
            created_at=now,
            updated_at=now,
        )
