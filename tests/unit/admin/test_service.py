"""The admin service over in-memory fakes: who may act on whom, what is recorded, how figures are summed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.domain.accounts.entities import Organization, User, UserStatus
from chalicelib.domain.admin.entities import Member, UserSearch
from chalicelib.domain.admin.ports import NoVps, Totals
from chalicelib.domain.admin.service import AdminService
from chalicelib.domain.shared.errors import Conflict, NotFound, PermissionDenied
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import PlatformRole, Principal
from tests.fakes.audit import RecordingTrail

NOW = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)
ROOT = Principal("root", "admin", "t", 0)
ANN_P = Principal("ann", "user", "t", 0)
ANN = User("ann", "ann@example.com", "Ann", "user", "org-ann", NOW, NOW)


class Users:
    def __init__(self) -> None:
        self.users = {"ann": ANN}

    def search(self, search: UserSearch, limit: int, cursor: str | None) -> Page[User]:
        return Page([u for u in self.users.values() if u.email.startswith(search.prefix)], None)

    def get(self, user_id: str) -> User:
        if user_id not in self.users:
            raise NotFound("no")
        return self.users[user_id]

    def set_status(self, user: User, status: UserStatus, now: datetime) -> User:
        self.users[user.id] = replace(user, status=status)
        return self.users[user.id]

    def set_role(self, user: User, role: PlatformRole, now: datetime) -> User:
        self.users[user.id] = replace(user, role=role)
        return self.users[user.id]


class Orgs:
    def page(self, limit: int, cursor: str | None) -> Page[Organization]:
        return Page([], None)

    def get(self, org_id: str) -> Organization:
        return Organization(org_id, "Ann's organization", "ann-1", "ann", {}, NOW, NOW)

    def members(self, org_id: str) -> list[Member]:
        return [Member("ann", "ann@example.com", "Ann", "owner")]


class Counters:
    def totals(self) -> Totals:
        return Totals(users=3, organizations=3, running_containers=-1)  # a counter that read low

    def month(self, month: str) -> dict[str, int]:
        assert month == "2026-02"
        return {"topup": 5000, "usage": -1250, "charge": -50, "refund": -100, "adjustment": 300}

    def organization_month(self, org_id: str, month: str) -> dict[str, int]:
        return {"usage": -40}


class Wallets:
    def balance(self, org_id: str) -> tuple[int, str]:
        return 260, "USD"

    def suspended_since(self, org_id: str) -> datetime | None:
        return None


def service() -> tuple[AdminService, Users, RecordingTrail]:
    users, trail = Users(), RecordingTrail()
    admin = AdminService(
        users, Orgs(), Counters(), Wallets(), NoVps(), currency="USD", audit=trail, clock=lambda: NOW
    )
    return admin, users, trail


def test_only_platform_administrators_may_use_it() -> None:
    admin, _, _ = service()
    for call in (
        lambda: admin.users(ANN_P, UserSearch(), 10, None),
        lambda: admin.suspend(ANN_P, "ann", "x"),
        lambda: admin.figures(ANN_P),
        lambda: admin.organization(ANN_P, "org-ann"),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_a_suspension_is_recorded_once_with_the_reason_and_a_repeat_changes_nothing() -> None:
    admin, _, trail = service()
    assert admin.suspend(ROOT, "ann", "fraud").status == "suspended"
    assert admin.suspend(ROOT, "ann", "again").status == "suspended"
    event = trail.only("user.suspended")
    assert (event.actor_id, event.organization_id, event.target_id) == ("root", "org-ann", "ann")
    assert (event.before, event.after) == (
        {"email": "ann@example.com", "status": "active"},
        {"status": "suspended", "reason": "fraud"},
    )
    admin.unsuspend(ROOT, "ann")
    assert trail.actions == ["user.suspended", "user.unsuspended"]


def test_an_administrator_cannot_act_on_themselves_and_unknown_users_are_404() -> None:
    admin, _, _ = service()
    with pytest.raises(Conflict):
        admin.set_role(ROOT, "root", "user")
    with pytest.raises(NotFound):
        admin.set_role(ROOT, "nobody", "admin")
    with pytest.raises(NotFound):
        admin.suspend(ROOT, "x" * 200, "long")


def test_the_figures_sum_this_months_money_by_what_moved_it() -> None:
    admin, _, _ = service()
    figures = admin.figures(ROOT)
    assert (figures.users, figures.organizations, figures.running_containers) == (3, 3, 0)
    month = figures.this_month
    assert (month.usage_cents, month.topups_cents, month.refunds_cents, month.credits_cents) == (
        1300,
        5000,
        100,
        300,
    )
    assert (figures.vps_instances, figures.provider_cost_cents) == (0, 0)
    detail = admin.organization(ROOT, "org-ann")
    assert (detail.balance_cents, detail.this_month.usage_cents, detail.package) == (260, 40, None)
