"""The organization's workloads as billing sees them: what runs, stop (suspend), start (resume), remove.
Containers here; other kinds (VPS) bring their own and join them behind CompositeWorkloads."""

from __future__ import annotations

from chalicelib.domain.accounts.ports import Accounts
from chalicelib.domain.billing.entities import Party
from chalicelib.domain.billing.ports import Workloads
from chalicelib.domain.containers.entities import RUNNING
from chalicelib.domain.containers.service import ContainerService
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.principal import Principal

BILLING_ACTOR = "system:billing"


def _acting_in(org_id: str) -> Principal:
    """Billing acting inside the organization (the container service checks nothing else of it)."""
    return Principal(
        user_id=BILLING_ACTOR,
        role="user",
        token_id="",
        token_expires=0,
        organization_id=org_id,
        organization_role="owner",
    )


class ContainerWorkloads:
    """Implements the Workloads port with the container service's own engine calls."""

    def __init__(self, containers: ContainerService) -> None:
        self._containers = containers

    def running(self, org_id: str) -> list[str]:
        found: list[str] = []
        cursor: str | None = None
        while True:
            page = self._containers.page(_acting_in(org_id), 100, cursor)
            found += [c.id for c in page.items if c.status == RUNNING]
            cursor = page.next_cursor
            if cursor is None:
                return found

    def stop(self, org_id: str, resource_id: str) -> None:
        try:
            self._containers.stop(_acting_in(org_id), resource_id)
        except NotFound:
            return

    def start(self, org_id: str, resource_id: str) -> None:
        try:
            self._containers.start(_acting_in(org_id), resource_id)
        except (NotFound, Conflict):
            return

    def terminate(self, org_id: str, resource_id: str) -> None:
        try:
            self._containers.delete(_acting_in(org_id), resource_id, purge_volumes=True)
        except NotFound:
            return


class CompositeWorkloads:
    """Several kinds of workloads behind the one port. A kind's resource ids carry its prefix ("vps:<id>");
    the first kind's (containers) carry none, as the ids suspensions stored before other kinds joined."""

    SEPARATOR = ":"

    def __init__(self, plain: Workloads, prefixed: dict[str, Workloads]) -> None:
        self._plain = plain
        self._prefixed = prefixed

    def _route(self, resource_id: str) -> tuple[Workloads, str]:
        prefix, sep, rest = resource_id.partition(self.SEPARATOR)
        if sep and prefix in self._prefixed:
            return self._prefixed[prefix], rest
        return self._plain, resource_id

    def running(self, org_id: str) -> list[str]:
        found = list(self._plain.running(org_id))
        for prefix, workloads in self._prefixed.items():
            found += [f"{prefix}{self.SEPARATOR}{rid}" for rid in workloads.running(org_id)]
        return found

    def stop(self, org_id: str, resource_id: str) -> None:
        workloads, rid = self._route(resource_id)
        workloads.stop(org_id, rid)

    def start(self, org_id: str, resource_id: str) -> None:
        workloads, rid = self._route(resource_id)
        workloads.start(org_id, rid)

    def terminate(self, org_id: str, resource_id: str) -> None:
        workloads, rid = self._route(resource_id)
        workloads.terminate(org_id, rid)


class AccountDirectory:
    """Implements the Directory port from the accounts store: organization name and owner's email."""

    def __init__(self, accounts: Accounts) -> None:
        self._accounts = accounts

    def organization(self, org_id: str) -> Party:
        org = self._accounts.get_organization(org_id)
        if org is None:
            return Party(name=org_id)
        owner = self._accounts.get_user(org.owner_id)
        return Party(name=org.name, email=owner[0].email if owner else "")
