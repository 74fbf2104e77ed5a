"""Marketplace templates: ready-made apps (image, environment form, ports, volumes, resources) and the price
of their resources, rated exactly as the billing run rates a container's meter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from chalicelib.domain.billing.entities import HOURS_PER_MONTH, MICROS_PER_CENT, MeterUsage, Pricing
from chalicelib.domain.containers.entities import Resources
from chalicelib.domain.hosts.engine import PortBinding, VolumeMount
from chalicelib.domain.shared.errors import Conflict

TemplateSource = Literal["local", "registry"]
Origin = Literal["repository", "admin"]
LOCAL: TemplateSource = "local"  # the image is built by the local stack (and kept on the hosts): no registry
REGISTRY: TemplateSource = "registry"  # a public registry image: hosts must have it, nothing is ever pulled
SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$"
CATEGORY_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$"
# An icon's name (the web app draws globe, database, server, key, bolt and box; others are drawn as a box).
ICON_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$"
MAX_ENV_FIELDS = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class EnvField:
    """One environment variable of the template's deploy form."""

    name: str
    label: str
    description: str = ""
    default: str | None = None
    required: bool = False
    secret: bool = False  # shown as a password field


@dataclass(frozen=True)
class Template:
    slug: str
    name: str
    description: str
    icon: str
    category: str
    version: str
    image: str
    source: TemplateSource
    environment: tuple[EnvField, ...]
    ports: tuple[PortBinding, ...]
    volumes: tuple[VolumeMount, ...]
    resources: Resources
    enabled: bool = True
    origin: Origin = "repository"
    customized: bool = False  # an operator changed the repository's definition
    build: str | None = None  # the local stack's build context (chalicelib/marketplace/images/<build>)
    version_stamp: int | None = None  # the stored changes' version (None: the file as it is)


@dataclass(frozen=True)
class Price:
    """What a template's resources cost while they run, in the organization's prices."""

    hourly_micros: int
    monthly_cents: int
    currency: str


def price_of(resources: Resources, pricing: Pricing) -> Price:
    """The billing run's rating of one hour of these resources (one replica), and 730 such hours."""
    hourly = pricing.hourly_micros(
        MeterUsage(
            at=_EPOCH,
            cpu_millis=resources.cpu_millis,
            memory_bytes=resources.memory_bytes,
            storage_bytes=resources.storage_bytes or 0,
        )
    )
    monthly = (hourly * HOURS_PER_MONTH + MICROS_PER_CENT // 2) // MICROS_PER_CENT
    return Price(hourly_micros=hourly, monthly_cents=monthly, currency=pricing.currency)


@dataclass(frozen=True)
class TemplateView:
    """A template as a customer sees it: with its price, and whether this platform can deploy it."""

    template: Template
    price: Price
    deployable: bool
    why_not: str | None = None


class NeedsRegistry(Conflict):
    """The template's image comes from a public registry, which this deployment does not use."""

    code = "registry_image_unavailable"


def registry_refusal(t: Template) -> str:
    return (
        f"{t.name} runs the public registry image {t.image}, and this stack never pulls images from a "
        "registry (the local stack runs offline), so it cannot deploy it here. Deploy one of the templates "
        "marked offline instead, or deploy it where the operator keeps registry images on the hosts."
    )
