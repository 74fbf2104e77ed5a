"""How containers appear on an engine: names, labels, per-organization volumes and networks, config hash."""

from __future__ import annotations

import hashlib
import json

from chalicelib.domain.containers.entities import Container

PROVISION_CONTAINER = "provision-container"  # the state machine (functions.registry.STATE_MACHINES)
MANAGED_BY = "containerstacks"
LABEL_MANAGED = "cs.managed-by"
LABEL_ORG = "cs.organization"
LABEL_CONTAINER = "cs.container"
LABEL_REPLICA = "cs.replica"
LABEL_CONFIG = "cs.config"
LABEL_HOST = "cs.host"


def engine_name(container_id: str, replica: int) -> str:
    return f"cs-{container_id}-{replica}"


def volume_name(org_id: str, name: str) -> str:
    """Engine volume names are per organization, so two tenants never share a volume."""
    return f"cs-{org_id}-{name}"


def network_name(org_id: str) -> str:
    """Each organization's own bridge network on a host: other tenants' containers are not on it."""
    return f"cs-net-{org_id}"


def execution_name(c: Container) -> str:
    """Deterministic: one provisioning run per container generation."""
    return f"{c.id}-g{c.generation}"


def config_hash(c: Container) -> str:
    """What requires re-creating engine containers when it changes (not CPU/memory: those apply in place)."""
    doc = {
        "image": c.image,
        "env": c.environment,
        "ports": [[p.container, p.host, p.protocol] for p in c.ports],
        "volumes": [[v.name, v.path, v.read_only] for v in c.volumes],
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


def engine_config_hash(c: Container) -> str:
    """What each engine container of `c` is made from: config_hash plus its network and its name there.

    A rename applies in place (the record only), so engine containers keep answering to the old name until
    the next convergence; that one re-creates them all, never leaving replicas under different names.
    Containers made before organizations had their own networks are re-created the same way.
    """
    doc = {"config": config_hash(c), "network": network_name(c.organization_id), "alias": c.name}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]
