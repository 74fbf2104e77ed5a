"""Customers' VPS instances: buy one (the provisioning workflow does the work), list, boot, shut down,
reboot, delete; and the SSH public keys that give root access."""

from __future__ import annotations

import logging
import secrets
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import (
    Conflict,
    InsufficientFunds,
    NotFound,
    PaymentRequired,
    PermissionDenied,
    ValidationFailed,
)
from chalicelib.domain.shared.money import format_cents
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.secrets import SecretBox
from chalicelib.domain.shared.workflows import Workflows
from chalicelib.domain.vps.accounts import ProviderAccounts, for_customers, root_context
from chalicelib.domain.vps.catalog import Catalog
from chalicelib.domain.vps.entities import SshKey, Vps, VpsPolicy, VpsStatus, hold_cents
from chalicelib.domain.vps.sshkeys import MAX_KEYS_PER_USER, parse_public_key
from chalicelib.domain.vps.stores import Funds, Instances, SshKeys

log = logging.getLogger(__name__)
PROVISION_VPS = "provision-vps"  # functions/registry.py STATE_MACHINES
DELETE_VPS = "delete-vps"
SUSPENDED = (
    "This organization is suspended because its wallet ran out of money; add funds to resume it and to "
    "create or start resources."
)
STARTS = ("boot", "reboot")  # refused while the organization is suspended (as starting containers is)
PASSWORD_SYMBOLS = "-_.,:+="  # noqa: S105 - the alphabet of generated passwords, not a password
PASSWORD_LENGTH = 24
WRITE_ATTEMPTS = 3
# What each action needs the VPS to be, and what it is while the provider carries it out.
ACTIONS: dict[str, tuple[frozenset[VpsStatus], VpsStatus]] = {
    "boot": (frozenset({"stopped"}), "booting"),
    "shutdown": (frozenset({"running", "booting", "rebooting"}), "shutting_down"),
    "reboot": (frozenset({"running"}), "rebooting"),
}


@dataclass(frozen=True)
class VpsRequest:
    plan_id: str
    region: str
    label: str
    ssh_key_ids: tuple[str, ...] = ()
    project_id: str | None = None


def new_root_password() -> str:
    """A password the provider accepts (upper, lower, digits and symbols) and nobody guesses."""
    alphabet = string.ascii_letters + string.digits + PASSWORD_SYMBOLS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH))
        if (
            any(c.isupper() for c in candidate)
            and any(c.islower() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(c in PASSWORD_SYMBOLS for c in candidate)
        ):
            return candidate


def create_execution(vps: Vps) -> str:
    return f"vps-create-{vps.id}"


def delete_execution(vps: Vps) -> str:
    """One execution per delete attempt (a delete that failed can be asked for again)."""
    return f"vps-delete-{vps.id}-v{vps.version}"


class VpsService:
    """The caller's organization's VPS instances and the caller's SSH keys.

    Raises NotFound, Conflict, ValidationFailed, PaymentRequired/InsufficientFunds (402) and
    ServiceUnavailable.
    """

    def __init__(
        self,
        instances: Instances,
        keys: SshKeys,
        catalog: Catalog,
        accounts: ProviderAccounts,
        funds: Funds,
        box: SecretBox,
        workflows: Workflows,
        policy: VpsPolicy,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._instances = instances
        self._keys = keys
        self._catalog = catalog
        self._accounts = accounts
        self._funds = funds
        self._box = box
        self._workflows = workflows
        self._policy = policy
        self._clock = clock

    # ------------------------------------------------------------ SSH keys
    def add_key(self, p: Principal, name: str, public_key: str) -> SshKey:
        normalised, fingerprint = parse_public_key(public_key)
        key = SshKey(str(uuid.uuid4()), p.user_id, name, normalised, fingerprint, self._clock())
        self._keys.add(key, MAX_KEYS_PER_USER)
        return key

    def keys(self, p: Principal) -> list[SshKey]:
        return sorted(self._keys.of_user(p.user_id), key=lambda k: (k.created_at, k.id))

    def remove_key(self, p: Principal, key_id: str) -> None:
        self._keys.remove(p.user_id, key_id)

    # ------------------------------------------------------------ reads
    def page(self, p: Principal, limit: int, cursor: str | None) -> Page[Vps]:
        """A page of the organization's VPS instances; a member limited to projects sees theirs only (a page
        may come out short)."""
        page = self._instances.page(p.organization_id, limit, cursor)
        if p.project_ids is None:
            return page
        return Page([v for v in page.items if p.may_use_project(v.project_id)], page.next_cursor)

    def get(self, p: Principal, vps_id: str, *, consistent: bool = False) -> Vps:
        """The VPS; another project's is answered like a missing one for a member limited to projects."""
        vps = self._instances.get(p.organization_id, vps_id, consistent=consistent)
        if not p.may_use_project(vps.project_id):
            raise NotFound(f"VPS {vps_id} was not found.")
        return vps

    # ------------------------------------------------------------ create
    def create(self, p: Principal, req: VpsRequest) -> tuple[Vps, str]:
        """Hold the price of the configured hours in the wallet (402 when it does not cover them, before
        anything is created), store the record and start the provisioning workflow. Returns the record and
        the generated root password (shown this once)."""
        if not p.may_use_project(req.project_id):
            mine = ", ".join(sorted(p.project_ids or ())) or "none"
            raise PermissionDenied(
                f"You may only use VPS in your projects ({mine}); choose one of them as project_id.",
                details={"field": "project_id"},
            )
        plan, provider = self._catalog.plan_for_sale(req.plan_id)
        if not any(r.id == req.region and r.status == "ok" for r in provider.regions):
            raise ValidationFailed(
                f"Region {req.region!r} is not available for this plan; see GET /api/vps/regions.",
                details={"field": "region"},
            )
        authorized = self._authorized_keys(p, req.ssh_key_ids)
        if self._funds.suspended(p.organization_id):
            raise PaymentRequired(SUSPENDED)
        now = self._clock()
        vps_id = str(uuid.uuid4())
        hold = hold_cents(plan.hourly_micros, self._policy.funded_hours)
        try:
            self._funds.hold(p.organization_id, vps_id, hold, req.label, p.user_id)
        except InsufficientFunds as exc:
            raise InsufficientFunds(
                f"A VPS on plan {plan.name} needs {format_cents(hold)} in the wallet "
                f"({self._policy.funded_hours} hours at its price); add funds first.",
                details={"field": "plan_id"},
            ) from exc
        password = new_root_password()
        vps = Vps(
            id=vps_id,
            organization_id=p.organization_id,
            provider_id=provider.id,
            plan_id=plan.id,
            plan_name=plan.name,
            type_id=plan.provider_plan_id,
            label=req.label,
            region=req.region,
            status="provisioning",
            base_hourly_micros=plan.base_hourly_micros,
            hourly_micros=plan.hourly_micros,
            hold_cents=hold,
            created_by=p.user_id,
            created_at=now,
            updated_at=now,
            ssh_key_ids=tuple(k.id for k in authorized),
            root_password_encrypted=self._box.encrypt(password, root_context(vps_id)),
            project_id=req.project_id,
        )
        try:
            self._instances.create(vps)
        except Exception:
            self._funds.give_back(p.organization_id, vps_id, req.label, "the VPS was not created")
            raise
        try:
            self._workflows.start(PROVISION_VPS, create_execution(vps), self._payload(vps))
        except Exception:
            self._instances.remove(vps)
            self._funds.give_back(p.organization_id, vps_id, req.label, "the VPS was not created")
            raise
        return vps, password

    def _authorized_keys(self, p: Principal, key_ids: tuple[str, ...]) -> list[SshKey]:
        if not key_ids:
            return []
        mine = {k.id: k for k in self._keys.of_user(p.user_id)}
        unknown = [k for k in key_ids if k not in mine]
        if unknown:
            raise ValidationFailed(
                "ssh_key_ids names keys you do not have; see GET /api/users/ssh-keys.",
                details={"field": "ssh_key_ids"},
            )
        return [mine[k] for k in dict.fromkeys(key_ids)]

    # ------------------------------------------------------------ actions
    def boot(self, p: Principal, vps_id: str) -> Vps:
        return self._act(p, vps_id, "boot")

    def shutdown(self, p: Principal, vps_id: str) -> Vps:
        return self._act(p, vps_id, "shutdown")

    def reboot(self, p: Principal, vps_id: str) -> Vps:
        return self._act(p, vps_id, "reboot")

    def _act(self, p: Principal, vps_id: str, action: str) -> Vps:
        allowed, becomes = ACTIONS[action]
        vps = self.get(p, vps_id, consistent=True)
        if action in STARTS and self._funds.suspended(p.organization_id):
            raise PaymentRequired(SUSPENDED)
        if vps.status not in allowed or vps.provider_instance_id is None:
            raise Conflict(
                f"The VPS is {vps.status}; {action} needs it {' or '.join(sorted(allowed))}.",
                details={"status": vps.status},
            )
        with for_customers(vps.provider_id):
            _, cloud = self._accounts.open(vps.provider_id)
            getattr(cloud, action)(vps.provider_instance_id)
        return self._write(
            p.organization_id, vps_id, lambda v: replace(v, status=becomes, status_reason=None)
        )

    def delete(self, p: Principal, vps_id: str) -> Vps:
        """Start the delete workflow (metering stops when the provider confirms); 409 while it is created."""
        vps = self.get(p, vps_id, consistent=True)
        if vps.status == "provisioning":
            raise Conflict(
                "The VPS is still being created; delete it once it is running or has failed.",
                details={"status": vps.status},
            )
        if vps.status == "deleting":
            return vps
        deleting = self._write(
            p.organization_id, vps_id, lambda v: replace(v, status="deleting", status_reason=None)
        )
        self._workflows.start(DELETE_VPS, delete_execution(deleting), self._payload(deleting))
        return deleting

    def _payload(self, vps: Vps) -> dict[str, object]:
        """The execution input: which record, and how long its Wait states wait between checks."""
        return {
            "organization_id": vps.organization_id,
            "vps_id": vps.id,
            "poll_seconds": self._policy.poll_seconds,
        }

    def _write(self, org_id: str, vps_id: str, change: Callable[[Vps], Vps]) -> Vps:
        for _ in range(WRITE_ATTEMPTS):
            current = self._instances.get(org_id, vps_id, consistent=True)
            new = replace(change(current), version=current.version + 1, updated_at=self._clock())
            try:
                self._instances.update(current, new)
            except Conflict:
                continue
            return new
        raise Conflict("The VPS changed meanwhile; reload it and try again.")
