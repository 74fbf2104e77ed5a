"""Wire models of the marketplace. Prices: hourly in USD with six decimals (as metered), monthly (730 hours)
as money with two decimals; both in the organization's own container prices."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from chalicelib.api.billing.schemas import Money, Rate, rate
from chalicelib.api.containers.schemas import (
    ENV_KEY_PATTERN,
    Environment,
    ImageRef,
    Name,
    ResourcesIn,
    ResourcesOut,
    VolumeIn,
    _env,
)
from chalicelib.api.wire import NextCursor, Out, PageQuery, Strict
from chalicelib.domain.containers.entities import MAX_PORTS, MAX_VOLUMES
from chalicelib.domain.hosts.engine import NetProtocol
from chalicelib.domain.marketplace.entities import (
    CATEGORY_PATTERN,
    ICON_PATTERN,
    MAX_ENV_FIELDS,
    SLUG_PATTERN,
    Price,
    Template,
    TemplateSource,
    TemplateView,
)
from chalicelib.domain.shared.money import format_cents

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=48, examples=["static-site"])]
Category = Annotated[str, Field(pattern=CATEGORY_PATTERN, max_length=32, examples=["web"])]
Text = Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")]


class MarketplaceQuery(PageQuery):
    q: Annotated[str, Field(max_length=100)] | None = Field(
        default=None, description="Words in the name, description, category or slug"
    )
    category: Category | None = None


class EnvFieldOut(Out):
    name: str
    label: str
    description: str
    default: str | None
    required: bool
    secret: bool


class TemplatePortOut(Out):
    container: int
    protocol: NetProtocol


class TemplateVolumeOut(Out):
    name: str
    path: str
    read_only: bool


class PriceOut(Out):
    currency: str
    hourly: Rate = Field(description="What one hour of its resources costs (as billed per minute)")
    monthly: Money = Field(description="730 hours")

    @classmethod
    def of(cls, p: Price) -> PriceOut:
        return cls(currency=p.currency, hourly=rate(p.hourly_micros), monthly=format_cents(p.monthly_cents))


class TemplateBase(Out):
    slug: str
    name: str
    description: str
    icon: str = Field(description="An icon's name: globe, database, server, key, bolt, box")
    category: str
    version: str
    image: str
    source: TemplateSource = Field(description="local: built by the stack itself (offline); registry: public")
    environment: list[EnvFieldOut]
    ports: list[TemplatePortOut]
    volumes: list[TemplateVolumeOut]
    resources: ResourcesOut

    @staticmethod
    def fields_of(t: Template) -> dict[str, Any]:
        return {
            "slug": t.slug,
            "name": t.name,
            "description": t.description,
            "icon": t.icon,
            "category": t.category,
            "version": t.version,
            "image": t.image,
            "source": t.source,
            "environment": [
                EnvFieldOut(
                    name=f.name,
                    label=f.label,
                    description=f.description,
                    default=None if f.secret else f.default,
                    required=f.required,
                    secret=f.secret,
                )
                for f in t.environment
            ],
            "ports": [TemplatePortOut(container=p.container, protocol=p.protocol) for p in t.ports],
            "volumes": [
                TemplateVolumeOut(name=v.name, path=v.path, read_only=v.read_only) for v in t.volumes
            ],
            "resources": ResourcesOut.of(t.resources),
        }


class TemplateOut(TemplateBase):
    price: PriceOut
    deployable: bool = Field(description="False where this stack cannot run it (see why_not)")
    why_not: str | None

    @classmethod
    def of(cls, v: TemplateView) -> TemplateOut:
        return cls(
            **cls.fields_of(v.template),
            price=PriceOut.of(v.price),
            deployable=v.deployable,
            why_not=v.why_not,
        )


class TemplateListOut(Out):
    templates: list[TemplateOut]
    categories: list[str] = Field(description="Every category of the catalog")
    next_cursor: NextCursor


class DeployIn(Strict):
    name: Name
    environment: Environment = Field(
        default={}, description="Values for the template's fields (defaults fill the rest); more are kept"
    )

    def env(self) -> dict[str, str]:
        return _env(self.environment)


# ------------------------------------------------------------ operators
class EnvFieldIn(Strict):
    label: Annotated[str, Field(max_length=100)] = ""
    description: Annotated[str, Field(max_length=500)] = ""
    default: Annotated[str, Field(max_length=32768)] | None = None
    required: bool = False
    secret: bool = False


EnvForm = Annotated[
    dict[Annotated[str, Field(max_length=256, pattern=ENV_KEY_PATTERN)], EnvFieldIn],
    Field(
        max_length=MAX_ENV_FIELDS,
        description="The deploy form: variable name -> its field, in form order",
        json_schema_extra={"additionalProperties": False},
    ),
]


class TemplatePortIn(Strict):
    container: Annotated[int, Field(ge=1, le=65535)]
    protocol: NetProtocol = "tcp"


class TemplateChangesIn(Strict):
    """Only the fields sent change (of a repository template: stored over its file)."""

    name: Text | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None
    icon: Annotated[str, Field(pattern=ICON_PATTERN, max_length=32, examples=["globe"])] | None = None
    category: Category | None = None
    version: Annotated[str, Field(min_length=1, max_length=32, pattern=r"\S")] | None = None
    image: ImageRef | None = None
    source: TemplateSource | None = None
    environment: EnvForm | None = None
    ports: Annotated[list[TemplatePortIn], Field(max_length=MAX_PORTS)] | None = None
    volumes: Annotated[list[VolumeIn], Field(max_length=MAX_VOLUMES)] | None = None
    resources: ResourcesIn | None = None
    enabled: bool | None = None

    def document(self) -> dict[str, Any]:
        """The fields sent, as the template files write them."""
        return {k: v for k, v in self.model_dump(mode="json", exclude_unset=True).items() if v is not None}


class TemplateIn(TemplateChangesIn):
    slug: Slug
    name: Text
    category: Category
    version: Annotated[str, Field(min_length=1, max_length=32, pattern=r"\S")]
    image: ImageRef
    source: TemplateSource = "local"
    resources: ResourcesIn

    def document(self) -> dict[str, Any]:
        doc = self.model_dump(mode="json", exclude={"slug"})
        return {k: v for k, v in doc.items() if v is not None}


class AdminTemplateOut(TemplateBase):
    enabled: bool
    origin: Literal["repository", "admin"]
    customized: bool = Field(description="An operator changed the repository's definition")

    @classmethod
    def of(cls, t: Template) -> AdminTemplateOut:
        return cls(**cls.fields_of(t), enabled=t.enabled, origin=t.origin, customized=t.customized)


class AdminTemplateListOut(Out):
    templates: list[AdminTemplateOut]
