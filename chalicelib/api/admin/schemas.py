"""Wire models of the admin area: users, organizations, platform figures."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.billing.schemas import Money
from chalicelib.api.wire import Cursor, NextCursor, Out, Strict
from chalicelib.domain.accounts.entities import MAX_EMAIL_LENGTH, Organization, User, UserStatus
from chalicelib.domain.admin.entities import Member, MonthMoney, OrganizationDetail, PlatformFigures
from chalicelib.domain.shared.money import format_cents
from chalicelib.domain.shared.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from chalicelib.domain.shared.principal import PlatformRole

Limit = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]


class UserSearchIn(Strict):
    q: Annotated[str, Field(max_length=MAX_EMAIL_LENGTH)] = Field(
        default="", description="The start of the email address (or of the name, with by=name); any case"
    )
    by: Literal["email", "name"] = "email"
    limit: Limit = DEFAULT_PAGE_SIZE
    cursor: Cursor | None = None


class AdminUserOut(Out):
    id: str
    email: str
    name: str
    role: PlatformRole
    status: UserStatus
    default_organization_id: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, u: User) -> AdminUserOut:
        return cls(
            id=u.id,
            email=u.email,
            name=u.name,
            role=u.role,
            status=u.status,
            default_organization_id=u.default_org_id,
            created_at=u.created_at,
            updated_at=u.updated_at,
        )


class AdminUserListOut(Out):
    users: list[AdminUserOut]
    next_cursor: NextCursor


class SuspendIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=500, pattern=r"\S")] = Field(
        description="Why (kept in the audit trail)"
    )


class RoleIn(Strict):
    role: PlatformRole


class AdminOrganizationOut(Out):
    id: str
    name: str
    slug: str
    owner_id: str
    created_at: datetime

    @classmethod
    def of(cls, o: Organization) -> AdminOrganizationOut:
        return cls(id=o.id, name=o.name, slug=o.slug, owner_id=o.owner_id, created_at=o.created_at)


class AdminOrganizationListOut(Out):
    organizations: list[AdminOrganizationOut]
    next_cursor: NextCursor


class MonthMoneyOut(Out):
    month: str = Field(examples=["2026-01"])
    usage: Money = Field(description="Usage and other charges debited (revenue)")
    topups: Money = Field(description="Paid in through PayPal")
    refunds: Money = Field(description="Paid back through PayPal")
    credits: Money = Field(description="Manual credits minus manual debits by administrators")

    @classmethod
    def of(cls, m: MonthMoney) -> MonthMoneyOut:
        return cls(
            month=m.month,
            usage=format_cents(m.usage_cents),
            topups=format_cents(m.topups_cents),
            refunds=format_cents(m.refunds_cents),
            credits=format_cents(m.credits_cents),
        )


class AdminMemberOut(Out):
    user_id: str
    email: str
    name: str
    role: str

    @classmethod
    def of(cls, m: Member) -> AdminMemberOut:
        return cls(user_id=m.user_id, email=m.email, name=m.name, role=m.role)


class AdminOrganizationDetailOut(AdminOrganizationOut):
    balance: Money
    currency: str
    this_month: MonthMoneyOut
    members: list[AdminMemberOut]
    suspended_at: datetime | None = Field(
        description="Suspended for non-payment since (null: in good standing)"
    )
    package: str | None = Field(description="The organization's package (packages are not offered yet: null)")

    @classmethod
    def of_detail(cls, d: OrganizationDetail) -> AdminOrganizationDetailOut:
        return cls(
            **AdminOrganizationOut.of(d.organization).model_dump(),
            balance=format_cents(d.balance_cents),
            currency=d.currency,
            this_month=MonthMoneyOut.of(d.this_month),
            members=[AdminMemberOut.of(m) for m in d.members],
            suspended_at=d.suspended_at,
            package=d.package,
        )


class PlatformStatsOut(Out):
    users: int
    organizations: int
    running_containers: int
    vps_instances: int
    this_month: MonthMoneyOut
    provider_cost: Money = Field(description="What the VPS providers charge this month")
    currency: str

    @classmethod
    def of(cls, f: PlatformFigures) -> PlatformStatsOut:
        return cls(
            users=f.users,
            organizations=f.organizations,
            running_containers=f.running_containers,
            vps_instances=f.vps_instances,
            this_month=MonthMoneyOut.of(f.this_month),
            provider_cost=format_cents(f.provider_cost_cents),
            currency=f.currency,
        )
