"""How a change reaches a deployed container: the record while the new version rolls out, and the record
when it cannot roll out (the previous version, which the engine still runs, comes back on the record)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.containers.entities import ERROR, PROVISIONING, RUNNING, Container, Deployment
from chalicelib.domain.shared.errors import Conflict


def rolling_out(current: Container, updated: Container, now: datetime) -> Container:
    """`updated` (the new configuration) as the next version of `current`, to be provisioned: a new
    generation that keeps what runs now as `previous` (replaced only once the new version runs), and
    that holds capacity again if a failed provisioning had given it back."""
    return replace(
        updated,
        generation=current.generation + 1,
        status=PROVISIONING,
        status_reason=None,
        exit_code=None,
        holds_capacity=True,
        previous=current.deployment() if current.engine_ids else None,
        version=current.version + 1,
        updated_at=now,
    )


def after_failure(c: Container, reason: str, now: datetime, *, previous_survives: bool) -> Container:
    """The record once provisioning of `c` failed: the previous version again when the engine still has
    it (saying what failed), else `error` with nothing deployed and nothing claimed."""
    p = c.previous
    if p is not None and previous_survives:
        return replace(
            c,
            image=p.image,
            environment=dict(p.environment),
            ports=p.ports,
            volumes=p.volumes,
            replicas=p.replicas,
            status=p.status,
            exit_code=p.exit_code,
            status_reason=_kept_reason(c, p, reason),
            previous=None,
            version=c.version + 1,
            updated_at=now,
        )
    return replace(
        c,
        status=ERROR,
        status_reason=reason,
        exit_code=None,
        engine_ids=(),
        holds_capacity=False,
        previous=None,
        version=c.version + 1,
        updated_at=now,
    )


def _kept_reason(c: Container, p: Deployment, reason: str) -> str:
    if c.image != p.image:
        change = f"The update to image {c.image!r}"
    elif c.replicas != p.replicas:
        change = f"Scaling to {c.replicas} replicas"
    else:
        change = "The update"
    kept = "still running" if p.status == RUNNING else f"kept ({p.status})"
    return f"{change} failed: {reason.strip().rstrip('.')}; the previous version is {kept}."


def require_settled(c: Container) -> None:
    """Raises Conflict while a workflow is still provisioning the container."""
    if c.status == PROVISIONING:
        raise Conflict(
            "The container is still being provisioned; wait until it is running.",
            details={"status": c.status},
        )
