"""Notifications' rows of the authorization matrix, and the owner's notification and webhook."""

from __future__ import annotations

from tests.support.matrix import JOINED, Listing, Row, World

# A public address, so the endpoint passes the SSRF check without loopback being allowed. Nothing is ever sent
# to it: the test stage looks up no names and its sender connects to 127.0.0.1 only.
WEBHOOK_URL = "https://93.184.216.34/containerstacks"


def new_webhook(world: World) -> str:
    reply = world.owner.call("POST", "/api/webhooks", {"url": WEBHOOK_URL, "events": ["invoice.issued"]})
    assert reply.status == 201, reply.body
    return str(reply.body["id"])


def add_notification_resources(world: World) -> None:
    """An in-app notification and a webhook endpoint of the owner's."""
    from chalicelib.domain.shared.notices import Notice
    from chalicelib.wiring.events import notifier

    title = f"Matrix {world.owner.org_id}"
    notifier().notify(Notice(organization_id=world.owner.org_id, kind="invoice.issued", title=title))
    listed = world.owner.call("GET", "/api/notifications").body["notifications"]
    world.makers["webhook_id"] = new_webhook
    world.ids.update(
        {"notification_id": listed[0]["id"], "notification_title": title, "webhook_id": new_webhook(world)}
    )


NOTIFICATION_ROWS: dict[str, Row] = {
    # every member gets their own copy of an organization's notice: listed by its title, read by its owner
    "list_notifications": Row(lists=Listing("notifications", "notification_title", "title")),
    "read_notification": Row(expect={caller: 404 for caller in JOINED}),
    "read_all_notifications": Row(),
    "list_webhooks": Row(lists=Listing("webhooks", "webhook_id")),
    "create_webhook": Row(body=lambda w: {"url": WEBHOOK_URL, "events": ["invoice.issued"]}),
    "delete_webhook": Row(fresh=("webhook_id",)),
    "list_deliveries": Row(),
    "test_webhook": Row(),
}
