"""The audit trail's and the admin area's rows of the authorization matrix, and the resources they name."""

from __future__ import annotations

from tests.support.matrix import Listing, Row, World


def spare_user(world: World) -> str:
    """A user of their own for a cell that suspends them or changes their role."""
    return world.api.user("Spare").id


def add_audit_resources(world: World) -> None:
    """The owner's sign-up entry (their organization's trail lists it, nobody else's does)."""
    reply = world.owner.call("GET", "/api/audit?action=user.registered")
    assert reply.status == 200, reply.body
    [entry] = reply.body["entries"]
    world.makers["user_id"] = spare_user
    world.ids["audit_id"] = str(entry["id"])


AUDIT_ROWS: dict[str, Row] = {
    # an organization's own trail: its owners (other organizations see their own, without the owner's)
    "list_audit": Row(query="?action=user.registered", lists=Listing("entries", "audit_id")),
    "export_audit": Row(),
    # the admin area: platform administrators only
    "list_admin_audit": Row(),
    "export_admin_audit": Row(),
    "list_admin_users": Row(query="?by=name&q=owner"),
    "suspend_user": Row(body=lambda w: {"reason": "matrix"}, fresh=("user_id",)),
    "unsuspend_user": Row(fresh=("user_id",)),
    "set_user_role": Row(body=lambda w: {"role": "admin"}, fresh=("user_id",)),
    "list_admin_organizations": Row(),
    "get_admin_organization": Row(),
    "get_platform_stats": Row(),
}
