"""TemplateRepository: the repository's template files (read once per process) with the operator's stored
changes and additions over them (one Query of the MARKETPLACE partition)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.domain.marketplace.ports import CatalogEntry
from chalicelib.domain.shared.errors import Conflict
from chalicelib.store import keys
from chalicelib.store.marketplace.models import TemplateItem
from chalicelib.store.table import Item, is_condition_failure, store_call

# chalicelib/marketplace/templates/*.json: shipped with the code (the API's package holds chalicelib/).
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "marketplace" / "templates"


@lru_cache(maxsize=4)
def repository_templates(directory: Path = TEMPLATES_DIR) -> dict[str, dict[str, Any]]:
    """The template files by slug (each file's `slug`, else its name without .json)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        found[str(doc.get("slug") or path.stem)] = doc
    return found


class TemplateRepository:
    """Implements the marketplace's Catalog port."""

    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self._directory = directory

    @store_call
    def entries(self) -> list[CatalogEntry]:
        files = repository_templates(self._directory)
        stored = {
            item.slug: item
            for item in TemplateItem.query(
                keys.MARKETPLACE_PK, TemplateItem.sk.startswith(keys.TEMPLATE_PREFIX)
            )
            if isinstance(item, TemplateItem)
        }
        slugs = sorted(files.keys() | stored.keys())
        return [self._entry(slug, files.get(slug), stored.get(slug)) for slug in slugs]

    @store_call
    def entry(self, slug: str) -> CatalogEntry | None:
        base = repository_templates(self._directory).get(slug)
        try:
            item: TemplateItem | None = TemplateItem.get(keys.MARKETPLACE_PK, keys.template_sk(slug))
        except (DoesNotExist, ValueError):
            item = None
        if base is None and item is None:
            return None
        return self._entry(slug, base, item)

    @store_call
    def save(self, slug: str, changes: Mapping[str, Any], expected_version: int | None, now: datetime) -> int:
        version = (expected_version or 0) + 1
        condition = (
            Item.pk.does_not_exist()
            if expected_version is None
            else Item.pk.exists() & (TemplateItem.version == expected_version)
        )
        try:
            TemplateItem(
                keys.MARKETPLACE_PK,
                keys.template_sk(slug),
                slug=slug,
                changes=dict(changes),
                version=version,
                created_at=now,
                updated_at=now,
            ).save(condition=condition)
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("The template changed meanwhile; reload it and try again.") from exc
            raise
        return version

    @staticmethod
    def _entry(slug: str, base: dict[str, Any] | None, item: TemplateItem | None) -> CatalogEntry:
        return CatalogEntry(
            slug=slug,
            base=base,
            changes=dict(item.changes or {}) if item is not None else {},
            version=int(item.version) if item is not None else None,
        )
