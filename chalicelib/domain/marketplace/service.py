"""The marketplace: browse templates with the price of their resources, deploy one as a container through the
normal container path, and (operators) add, change and disable templates over the repository's files."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from chalicelib.domain.billing.entities import Pricing
from chalicelib.domain.containers.entities import MAX_NAME_LENGTH, Container, ContainerRequest
from chalicelib.domain.hosts.engine import VolumeMount
from chalicelib.domain.marketplace.documents import FIELDS, document_of, parse_template
from chalicelib.domain.marketplace.entities import (
    REGISTRY,
    NeedsRegistry,
    Template,
    TemplateView,
    price_of,
    registry_refusal,
)
from chalicelib.domain.marketplace.ports import Catalog, CatalogEntry, Deployer
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal

PricesFor = Callable[[str], Pricing]  # an organization's container prices (billing's, its package's)


def _key(t: Template) -> str:
    return f"{t.name.lower()}\x1f{t.slug}"


def _cursor(t: Template) -> str:
    return base64.urlsafe_b64encode(_key(t).encode()).decode().rstrip("=")


def _after(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        key = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"}) from exc
    if "\x1f" not in key:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
    return key


def _template(entry: CatalogEntry) -> Template:
    doc = {**(entry.base or {}), **entry.changes, "slug": entry.slug}
    return parse_template(
        doc,
        origin="repository" if entry.base is not None else "admin",
        customized=entry.base is not None and bool(entry.changes),
        stamp=entry.version,
    )


class MarketplaceService:
    """Raises NotFound (unknown or disabled template), ValidationFailed (required environment, name),
    NeedsRegistry (a registry image where none is used), Conflict, and the container path's errors."""

    def __init__(
        self,
        catalog: Catalog,
        deployer: Deployer,
        prices_for: PricesFor,
        *,
        registry_images: bool,
        audit: AuditTrail | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._catalog = catalog
        self._deployer = deployer
        self._prices_for = prices_for
        self._registry_images = registry_images
        self._audit = audit or NoAudit()
        self._clock = clock

    # ------------------------------------------------------------ customers
    def search(
        self, p: Principal, text: str | None, category: str | None, limit: int, cursor: str | None
    ) -> tuple[Page[TemplateView], list[str]]:
        """Enabled templates matching `text` (name, description, category, slug) and `category`, by name;
        and every category of enabled templates."""
        after = _after(cursor)
        enabled = sorted((t for t in self._templates() if t.enabled), key=_key)
        categories = sorted({t.category for t in enabled})
        needle = (text or "").strip().lower()
        found = [
            t
            for t in enabled
            if (not category or t.category == category)
            and (not needle or any(needle in s.lower() for s in (t.name, t.description, t.category, t.slug)))
            and (after is None or _key(t) > after)
        ]
        pricing = self._prices_for(p.organization_id)
        page = [self._view(t, pricing) for t in found[:limit]]
        more = len(found) > limit
        return Page(page, _cursor(found[limit - 1]) if more else None), categories

    def get(self, p: Principal, slug: str) -> TemplateView:
        return self._view(self._enabled(slug), self._prices_for(p.organization_id))

    def deploy(self, p: Principal, slug: str, name: str, environment: Mapping[str, str]) -> Container:
        """A container made from the template: its image, ports, resources, its volumes named after the
        container, and its environment's defaults overlaid with `environment` (extra variables are kept)."""
        t = self._enabled(slug)
        if t.source == REGISTRY and not self._registry_images:
            raise NeedsRegistry(registry_refusal(t), details={"image": t.image})
        env = {f.name: f.default for f in t.environment if f.default is not None} | dict(environment)
        missing = [f.name for f in t.environment if f.required and not env.get(f.name, "").strip()]
        if missing:
            raise ValidationFailed(
                f"{t.name} needs {', '.join(missing)}.",
                details=[{"field": f"environment.{n}", "message": "is required"} for n in missing],
            )
        longest = max((len(v.name) for v in t.volumes), default=0)
        if t.volumes and len(name) + 1 + longest > MAX_NAME_LENGTH:
            raise ValidationFailed(
                f"name: at most {MAX_NAME_LENGTH - 1 - longest} characters for this app (its volumes are "
                "named after it).",
                details={"field": "name"},
            )
        volumes = tuple(VolumeMount(f"{name}-{v.name}", v.path, v.read_only) for v in t.volumes)
        container = self._deployer.create(
            p, ContainerRequest(name, t.image, t.resources, env, t.ports, volumes)
        )
        self._audit.record(
            AuditEvent(
                action="marketplace.deployed",
                actor_id=p.user_id,
                organization_id=p.organization_id,
                target_type="container",
                target_id=container.id,
                after={"template": t.slug, "version": t.version, "image": t.image},
            )
        )
        return container

    # ------------------------------------------------------------ operators
    def all(self) -> list[Template]:
        """Every template, disabled ones included, by name."""
        return sorted(self._templates(), key=_key)

    def add(self, admin: Principal, slug: str, doc: Mapping[str, Any]) -> Template:
        if self._catalog.entry(slug) is not None:
            raise Conflict(f"A template named {slug!r} exists already.", details={"field": "slug"})
        changes = {k: v for k, v in doc.items() if k in FIELDS}
        parse_template(
            {**changes, "slug": slug}, origin="admin"
        )  # ValidationFailed before anything is stored
        self._catalog.save(slug, changes, None, self._clock())
        return self._recorded(admin, "marketplace.template_added", slug)

    def change(self, admin: Principal, slug: str, changes: Mapping[str, Any]) -> Template:
        """Change some fields of a template (of the repository's: stored over its file)."""
        entry = self._entry(slug)
        stored = {**entry.changes, **{k: v for k, v in changes.items() if k in FIELDS}}
        _template(replace(entry, changes=stored))  # ValidationFailed before anything is stored
        self._catalog.save(slug, stored, entry.version, self._clock())
        return self._recorded(admin, "marketplace.template_changed", slug)

    def disable(self, admin: Principal, slug: str) -> None:
        """Customers no longer see or deploy it (`change` with enabled true brings it back)."""
        self.change(admin, slug, {"enabled": False})

    # ------------------------------------------------------------ helpers
    def _templates(self) -> list[Template]:
        return [_template(e) for e in self._catalog.entries()]

    def _entry(self, slug: str) -> CatalogEntry:
        entry = self._catalog.entry(slug)
        if entry is None:
            raise NotFound(f"Template {slug} was not found.")
        return entry

    def _enabled(self, slug: str) -> Template:
        t = _template(self._entry(slug))
        if not t.enabled:
            raise NotFound(f"Template {slug} was not found.")
        return t

    def _view(self, t: Template, pricing: Pricing) -> TemplateView:
        blocked = t.source == REGISTRY and not self._registry_images
        return TemplateView(
            t, price_of(t.resources, pricing), not blocked, registry_refusal(t) if blocked else None
        )

    def _recorded(self, admin: Principal, action: str, slug: str) -> Template:
        t = _template(self._entry(slug))
        self._audit.record(
            AuditEvent(
                action=action,
                actor_id=admin.user_id,
                target_type="template",
                target_id=slug,
                after=document_of(t),
            )
        )
        return t
