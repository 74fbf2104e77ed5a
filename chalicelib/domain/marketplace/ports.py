"""What the marketplace needs: the catalog (the repository's files and the operator's stored changes) and the
container path that deploys a template."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from chalicelib.domain.containers.entities import Container, ContainerRequest
from chalicelib.domain.shared.principal import Principal


@dataclass(frozen=True)
class CatalogEntry:
    """One slug of the catalog: the repository's document and/or an operator's stored changes to it."""

    slug: str
    base: Mapping[str, Any] | None  # the repository's file; None: the operator added the template
    changes: Mapping[str, Any] = field(default_factory=dict)  # the operator's fields, over `base`
    version: int | None = None  # the stored changes' version; None: nothing stored


class Catalog(Protocol):
    def entries(self) -> list[CatalogEntry]:
        """Every template: the repository's files and the stored changes and additions (one Query)."""
        ...

    def entry(self, slug: str) -> CatalogEntry | None: ...

    def save(self, slug: str, changes: Mapping[str, Any], expected_version: int | None, now: datetime) -> int:
        """Store the operator's `changes` for `slug` if what is stored is still at `expected_version` (None:
        nothing is stored yet); returns the new version. Raises Conflict otherwise."""
        ...


class Deployer(Protocol):
    """The normal container path (ContainerService)."""

    def create(self, p: Principal, req: ContainerRequest) -> Container: ...
