"""The steps of the provision-vps and delete-vps state machines (statemachines/vps/).

Every step is idempotent: it re-reads the record and acts only while the record is in the status its
workflow owns (`provisioning`, `deleting`); a retried step finds what an earlier attempt did (the instance
is tagged with our VPS id, money moves once per key). Errors propagate with their class name as the Step
Functions error: transient ones (ProviderUnavailable, StoreUnavailable, ...) are retried, the rest lead to
compensation: delete what was created, give the hold back, mark the record `error` with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import Conflict, DomainError, NotFound
from chalicelib.domain.shared.notices import NoNotifier, Notice, Notifier
from chalicelib.domain.shared.secrets import SecretBox
from chalicelib.domain.vps.accounts import ProviderAccounts, root_context
from chalicelib.domain.vps.entities import (
    OUR_TAG,
    PROVIDER_STATUS,
    Vps,
    VpsPolicy,
    VpsStatus,
    org_tag,
)
from chalicelib.domain.vps.ports import CloudProvider, NewInstance, ProviderInstance
from chalicelib.domain.vps.stores import Funds, Instances, SshKeys

log = logging.getLogger(__name__)
WRITE_ATTEMPTS = 5


class ProvisioningTimedOut(DomainError):
    """The provider did not finish in time (the workflow compensates)."""

    status = 504
    code = "provisioning_timed_out"


class InstanceVanished(DomainError):
    """The provider no longer has the instance the workflow is waiting for."""

    status = 502
    code = "instance_vanished"


def instance_label(vps: Vps) -> str:
    """The label at the provider: ours, unique, within Linode's rules (3-64 characters, no doubled '-')."""
    return f"cs-{vps.id}"


class VpsProvisioner:
    """Task handlers of the VPS workflows."""

    def __init__(
        self,
        instances: Instances,
        keys: SshKeys,
        accounts: ProviderAccounts,
        funds: Funds,
        box: SecretBox,
        policy: VpsPolicy,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self._instances = instances
        self._keys = keys
        self._accounts = accounts
        self._funds = funds
        self._box = box
        self._policy = policy
        self._clock = clock
        self.notifier: Notifier = NoNotifier()  # owners are told: running, or could not be created

    # ------------------------------------------------------------ provision-vps
    def reserve(self, org_id: str, vps_id: str) -> None:
        """The create's hold is in the wallet (the API posted it; a second post changes nothing)."""
        vps = self._current(org_id, vps_id, "provisioning")
        if vps is not None:
            self._funds.hold(org_id, vps.id, vps.hold_cents, vps.label, vps.created_by)

    def create_instance(self, org_id: str, vps_id: str) -> str | None:
        """Create the instance, tagged with our VPS id, unless an earlier attempt did: the record names it,
        or the provider lists it under the tag. Returns its id (None: the record moved on)."""
        vps = self._current(org_id, vps_id, "provisioning")
        if vps is None:
            return None
        if vps.provider_instance_id:
            return vps.provider_instance_id
        _, cloud = self._accounts.open(vps.provider_id)
        found = list(cloud.instances(tag=vps.tag))
        instance = found[0] if found else cloud.create_instance(self._spec(vps))
        self._apply(
            org_id,
            vps_id,
            "provisioning",
            lambda v: replace(
                v,
                provider_instance_id=instance.id,
                ipv4=instance.ipv4,
                ipv6=instance.ipv6,
                root_password_encrypted=None,  # the provider has it now; we never keep it
            ),
        )
        return instance.id

    def _spec(self, vps: Vps) -> NewInstance:
        if vps.root_password_encrypted is None:
            raise Conflict("The VPS lost its root password before the provider got it; create it again.")
        mine = {k.id: k.public_key for k in self._keys.of_user(vps.created_by)}
        return NewInstance(
            label=instance_label(vps),
            region=vps.region,
            type_id=vps.type_id,
            tags=(OUR_TAG, vps.tag, org_tag(vps.organization_id)),
            root_password=self._box.decrypt(vps.root_password_encrypted, root_context(vps.id)),
            authorized_keys=tuple(mine[k] for k in vps.ssh_key_ids if k in mine),
        )

    def is_running(self, org_id: str, vps_id: str) -> bool:
        """True once the provider reports the instance running; raises ProvisioningTimedOut after the
        configured wait, InstanceVanished when the provider lost it."""
        vps = self._current(org_id, vps_id, "provisioning")
        if vps is None or vps.provider_instance_id is None:
            return True  # nothing to wait for: the next step sees the record as it is
        _, cloud = self._accounts.open(vps.provider_id)
        instance = cloud.instance(vps.provider_instance_id)
        if instance is None:
            raise InstanceVanished("The provider lost the new VPS while it was starting.")
        if instance.status == "running":
            return True
        if self._clock() - vps.created_at > timedelta(seconds=self._policy.max_wait_seconds):
            minutes = max(1, self._policy.max_wait_seconds // 60)
            raise ProvisioningTimedOut(
                f"The provider did not start the VPS within {minutes} minutes (it stayed {instance.status})."
            )
        return False

    def mark_running(self, org_id: str, vps_id: str) -> None:
        """Record the addresses, start metering at the plan's price, give the hold back."""
        vps = self._get(org_id, vps_id)
        if vps is None:
            return
        if vps.status == "provisioning" and vps.provider_instance_id:
            _, cloud = self._accounts.open(vps.provider_id)
            instance = cloud.instance(vps.provider_instance_id)
            if instance is None:
                raise InstanceVanished("The provider lost the new VPS while it was starting.")
            now = self._clock()
            new = replace(
                vps,
                status="running",
                status_reason=None,
                ipv4=instance.ipv4 or vps.ipv4,
                ipv6=instance.ipv6 or vps.ipv6,
                running_since=now,
                updated_at=now,
                version=vps.version + 1,
            )
            self._instances.start_metering(vps, new)
            vps = new
            ip = f" at {new.ipv4[0]}" if new.ipv4 else ""
            self._tell(
                new, "vps.running", f"VPS {new.label} is running{ip}", "It is billed by the hour from now."
            )
        if vps.running_since is not None:  # metering took over: the hold goes back (once)
            self._funds.give_back(org_id, vps.id, vps.label, "the VPS is running and billed by the hour")

    def remove_created(self, org_id: str, vps_id: str) -> int:
        """Compensation: delete every instance tagged with this VPS (and the one the record names)."""
        vps = self._current(org_id, vps_id, "provisioning")
        if vps is None:
            return 0
        _, cloud = self._accounts.open(vps.provider_id)
        return len([i for i in self._instance_ids(cloud, vps) if cloud.delete_instance(i)])

    def fail(self, org_id: str, vps_id: str, reason: str) -> None:
        """Compensation: give the hold back and mark the record `error` with the reason."""
        vps = self._get(org_id, vps_id)
        if vps is None:
            return
        self._funds.give_back(org_id, vps.id, vps.label, "the VPS could not be created")
        self._apply(
            org_id,
            vps_id,
            "provisioning",
            lambda v: replace(v, status="error", status_reason=reason, root_password_encrypted=None),
        )
        self._tell(
            vps, "vps.failed", f"VPS {vps.label} could not be created", f"{reason} Nothing was charged."
        )

    def _tell(self, vps: Vps, kind: str, title: str, body: str) -> None:
        """The owners' in-app notification and webhook event (the notifier never raises)."""
        data = {"vps_id": vps.id, "label": vps.label, "status": kind.split(".")[1], "ipv4": list(vps.ipv4)}
        self.notifier.notify(
            Notice(vps.organization_id, kind, title, body, resource_type="vps", resource_id=vps.id, data=data)
        )

    # ------------------------------------------------------------ delete-vps
    def delete_instance(self, org_id: str, vps_id: str) -> int:
        """Ask the provider to delete the instance (and anything else tagged with the VPS)."""
        vps = self._current(org_id, vps_id, "deleting")
        if vps is None:
            return 0
        _, cloud = self._accounts.open(vps.provider_id)
        return len([i for i in self._instance_ids(cloud, vps) if cloud.delete_instance(i)])

    def is_deleted(self, org_id: str, vps_id: str) -> bool:
        """True once the provider has none of it: the meter ends and the record leaves the list."""
        vps = self._current(org_id, vps_id, "deleting")
        if vps is None:
            return True
        _, cloud = self._accounts.open(vps.provider_id)
        remaining = [i for i in self._instance_ids(cloud, vps) if cloud.instance(i) is not None]
        if not remaining:
            for _ in range(WRITE_ATTEMPTS):
                try:
                    self._instances.finish(vps, self._clock(), None)
                    return True
                except Conflict:
                    vps = self._current(org_id, vps_id, "deleting")
                    if vps is None:
                        return True
            raise Conflict(f"VPS {vps_id} kept changing; the step gives up for now.")
        if self._clock() - vps.updated_at > timedelta(seconds=self._policy.max_wait_seconds):
            raise ProvisioningTimedOut("The provider did not delete the VPS in time.")
        return False

    def delete_failed(self, org_id: str, vps_id: str, reason: str) -> None:
        """The delete gave up: the record shows what the provider reports now, and why (ask again)."""
        vps = self._current(org_id, vps_id, "deleting")
        if vps is None:
            return
        status: VpsStatus = "error"
        try:
            _, cloud = self._accounts.open(vps.provider_id)
            found = cloud.instance(vps.provider_instance_id) if vps.provider_instance_id else None
            status = PROVIDER_STATUS.get(found.status, "error") if found else "error"
        except DomainError as exc:
            log.warning("could not read VPS %s after a failed delete: %s", vps_id, exc.message)
        message = f"Deleting the VPS failed: {reason} Delete it again to retry."
        self._apply(org_id, vps_id, "deleting", lambda v: replace(v, status=status, status_reason=message))

    # ------------------------------------------------------------ helpers
    @staticmethod
    def _instance_ids(cloud: CloudProvider, vps: Vps) -> list[str]:
        tagged: list[ProviderInstance] = list(cloud.instances(tag=vps.tag))
        ids = [i.id for i in tagged]
        if vps.provider_instance_id and vps.provider_instance_id not in ids:
            ids.append(vps.provider_instance_id)
        return ids

    def _get(self, org_id: str, vps_id: str) -> Vps | None:
        try:
            return self._instances.get(org_id, vps_id, consistent=True)
        except NotFound:
            return None

    def _current(self, org_id: str, vps_id: str, status: VpsStatus) -> Vps | None:
        vps = self._get(org_id, vps_id)
        return vps if vps is not None and vps.status == status else None

    def _apply(self, org_id: str, vps_id: str, status: VpsStatus, change: Callable[[Vps], Vps]) -> Vps | None:
        """Write `change(record)` while the record is in `status`, reading it again after a race."""
        for _ in range(WRITE_ATTEMPTS):
            current = self._current(org_id, vps_id, status)
            if current is None:
                return None
            new = replace(change(current), updated_at=self._clock(), version=current.version + 1)
            try:
                self._instances.update(current, new)
            except Conflict:
                continue
            return new
        raise Conflict(f"VPS {vps_id} kept changing; the step gives up for now.")
