"""What a container's owners are told when it ends up running, failed or exited (through the Notifier)."""

from __future__ import annotations

from chalicelib.domain.containers.entities import ERROR, EXITED, RUNNING, Container
from chalicelib.domain.shared.notices import Notice, Notifier


def tell(
    notifier: Notifier, before: Container, after: Container, *, failed_change: str | None = None
) -> None:
    """Raise the notice for a record that went from `before` to `after`, if the change is one a customer
    cares about: it became running, a deployment or update failed (`failed_change`: the reason), or it
    stopped by itself (crashed, ran out of memory, exited). Never raises."""
    notice = _notice(before, after, failed_change)
    if notice is not None:
        notifier.notify(notice)


def _notice(before: Container, after: Container, failed_change: str | None) -> Notice | None:
    data = {
        "container_id": after.id,
        "name": after.name,
        "image": after.image,
        "status": after.status,
        "previous_status": before.status,
        "reason": after.status_reason,
        "exit_code": after.exit_code,
    }

    def notice(kind: str, title: str, body: str) -> Notice:
        return Notice(
            organization_id=after.organization_id,
            kind=kind,
            title=title,
            body=body,
            resource_type="container",
            resource_id=after.id,
            data=data,
        )

    if failed_change is not None:
        if after.status == ERROR:
            return notice("container.failed", f"Container {after.name} failed to deploy", failed_change)
        return notice(
            "container.failed", f"An update of container {after.name} failed", after.status_reason or ""
        )
    if after.status == before.status and after.exit_code == before.exit_code:
        return None
    if after.status == RUNNING:
        return notice("container.running", f"Container {after.name} is running", f"Image {after.image}.")
    if after.status == ERROR:
        return notice("container.failed", f"Container {after.name} failed", after.status_reason or "")
    if after.status == EXITED:
        return notice("container.exited", f"Container {after.name} exited", after.status_reason or "")
    return None
