"""The organization's VPS as billing's suspension sees them (billing's Workloads port): running ones are
shut down when the organization is suspended, booted again when it is funded, deleted on termination."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.vps.entities import VpsStatus
from chalicelib.domain.vps.service import VpsService

BILLING_ACTOR = "system:billing"
# Up, or on its way up: suspension shuts these down (a VPS still provisioning is a latecomer, stopped by the
# next billing run once it runs).
UP: frozenset[VpsStatus] = frozenset({"running", "booting", "rebooting"})
PAGE = 100


def _acting_in(org_id: str) -> Principal:
    return Principal(
        user_id=BILLING_ACTOR,
        role="user",
        token_id="",
        token_expires=0,
        organization_id=org_id,
        organization_role="owner",
    )


class VpsWorkloads:
    """Implements billing's Workloads port with the VPS service's own actions. The service is built on first
    use (it needs the wallet, whose listener is the suspension that holds this)."""

    def __init__(self, vps: Callable[[], VpsService]) -> None:
        self._vps = vps

    def running(self, org_id: str) -> list[str]:
        found: list[str] = []
        cursor: str | None = None
        while True:
            page = self._vps().page(_acting_in(org_id), PAGE, cursor)
            found += [v.id for v in page.items if v.status in UP]
            cursor = page.next_cursor
            if cursor is None:
                return found

    def stop(self, org_id: str, resource_id: str) -> None:
        """Shut it down (the provider keeps its disk); gone already is fine."""
        try:
            self._vps().shutdown(_acting_in(org_id), resource_id)
        except NotFound:
            return

    def start(self, org_id: str, resource_id: str) -> None:
        """Boot it again; one deleted or not stopped (the customer or Linode moved it meanwhile) is left."""
        try:
            self._vps().boot(_acting_in(org_id), resource_id)
        except (NotFound, Conflict):
            return

    def terminate(self, org_id: str, resource_id: str) -> None:
        try:
            self._vps().delete(_acting_in(org_id), resource_id)
        except NotFound:
            return
