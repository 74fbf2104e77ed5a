"""The admin area: find users and suspend them or change their role, look at organizations, read the
platform's figures. Platform administrators only; every change is recorded in the audit trail."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.accounts.entities import ACTIVE, SUSPENDED, Organization, User, UserStatus
from chalicelib.domain.admin.entities import (
    MAX_ID_LENGTH,
    MonthMoney,
    OrganizationDetail,
    PlatformFigures,
    UserSearch,
)
from chalicelib.domain.admin.ports import Counters, OrganizationDirectory, UserDirectory, VpsFigures, Wallets
from chalicelib.domain.billing.ports import Ledger, StateStore
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound, PermissionDenied
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import PlatformRole, Principal
from chalicelib.domain.shared.tenancy import tenant_scope


class AdminService:
    """Raises PermissionDenied (not a platform admin), NotFound, Conflict (acting on oneself, or the user
    changed meanwhile) and ValidationFailed (a cursor not made by the list)."""

    def __init__(
        self,
        users: UserDirectory,
        organizations: OrganizationDirectory,
        counters: Counters,
        wallets: Wallets,
        vps: VpsFigures,
        *,
        currency: str,
        audit: AuditTrail | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self._users = users
        self._organizations = organizations
        self._counters = counters
        self._wallets = wallets
        self._vps = vps
        self._currency = currency
        self._audit = audit or NoAudit()
        self._clock = clock

    # ------------------------------------------------------------ users
    def users(self, p: Principal, search: UserSearch, limit: int, cursor: str | None) -> Page[User]:
        _require_admin(p)
        return self._users.search(search, limit, cursor)

    def suspend(self, p: Principal, user_id: str, reason: str) -> User:
        """The user can no longer sign in, and every token they hold stops working at once."""
        return self._set_status(p, user_id, SUSPENDED, reason)

    def unsuspend(self, p: Principal, user_id: str) -> User:
        """The user may sign in again (tokens from before the suspension stay void)."""
        return self._set_status(p, user_id, ACTIVE, None)

    def _set_status(self, p: Principal, user_id: str, status: UserStatus, reason: str | None) -> User:
        user = self._target(p, user_id, "suspend or unsuspend")
        if user.status == status:
            return user
        updated = self._users.set_status(user, status, self._clock())
        after: dict[str, object] = {"status": status, **({"reason": reason} if reason else {})}
        action = "user.suspended" if status == SUSPENDED else "user.unsuspended"
        self._record(p, action, updated, {"status": user.status}, after)
        return updated

    def set_role(self, p: Principal, user_id: str, role: PlatformRole) -> User:
        """The new role applies from the user's next sign-in: every token they hold (carrying the old role)
        stops working."""
        user = self._target(p, user_id, "change the role of")
        if user.role == role:
            return user
        updated = self._users.set_role(user, role, self._clock())
        self._record(p, "user.role_changed", updated, {"role": user.role}, {"role": role})
        return updated

    def _target(self, p: Principal, user_id: str, doing: str) -> User:
        _require_admin(p)
        if len(user_id) > MAX_ID_LENGTH:
            raise NotFound(f"User {user_id[:MAX_ID_LENGTH]}… was not found.")
        if user_id == p.user_id:  # an administrator cannot lock themselves out (another one can)
            raise Conflict(f"You cannot {doing} your own account; ask another administrator.")
        return self._users.get(user_id)

    def _record(
        self, p: Principal, action: str, user: User, before: dict[str, object], after: dict[str, object]
    ) -> None:
        self._audit.record(
            AuditEvent(
                action=action,
                actor_id=p.user_id,
                organization_id=user.default_org_id,  # the account's own organization sees it too
                target_type="user",
                target_id=user.id,
                before={"email": user.email, **before},
                after=after,
            )
        )

    # ------------------------------------------------------------ organizations
    def organizations(self, p: Principal, limit: int, cursor: str | None) -> Page[Organization]:
        _require_admin(p)
        return self._organizations.page(limit, cursor)

    def organization(self, p: Principal, org_id: str) -> OrganizationDetail:
        """The organization with its balance, this month's money, members and billing standing."""
        _require_admin(p)
        if len(org_id) > MAX_ID_LENGTH:
            raise NotFound("The organization was not found.")
        org = self._organizations.get(org_id)
        balance, currency = self._wallets.balance(org_id)
        month = self._month()
        return OrganizationDetail(
            organization=org,
            balance_cents=balance,
            currency=currency,
            this_month=MonthMoney.of(month, self._counters.organization_month(org_id, month)),
            members=self._organizations.members(org_id),
            suspended_at=self._wallets.suspended_since(org_id),
        )

    # ------------------------------------------------------------ figures
    def figures(self, p: Principal) -> PlatformFigures:
        """Two counter Queries and the VPS figures: cheap enough to load with every dashboard view."""
        _require_admin(p)
        totals = self._counters.totals()
        month = self._month()
        return PlatformFigures(
            users=totals.users,
            organizations=totals.organizations,
            running_containers=max(0, totals.running_containers),
            vps_instances=self._vps.instances(),
            this_month=MonthMoney.of(month, self._counters.month(month)),
            provider_cost_cents=self._vps.provider_cost_cents(month),
            currency=self._currency,
        )

    def _month(self) -> str:
        return self._clock().strftime("%Y-%m")


class BillingWallets:
    """Wallets through billing's own ports: the ledger's wallet and the billing state."""

    def __init__(self, ledger: Ledger, states: StateStore) -> None:
        self._ledger = ledger
        self._states = states

    def balance(self, org_id: str) -> tuple[int, str]:
        with tenant_scope(org_id):  # an admin request acts in no organization: enter this one's
            wallet = self._ledger.wallet(org_id)
        return wallet.balance_cents, wallet.currency

    def suspended_since(self, org_id: str) -> datetime | None:
        with tenant_scope(org_id):
            return self._states.get(org_id).suspended_at


def _require_admin(p: Principal) -> None:
    if not p.is_admin:
        raise PermissionDenied("Only platform administrators may do this.")
