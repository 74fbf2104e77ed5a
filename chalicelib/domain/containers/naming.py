"""How containers appear on an engine: names, labels, per-organization volumes and networks, the config
hash, and keeping those engine-side names out of what customers read."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib.domain.containers.entities import Container
from chalicelib.domain.hosts.engine import EngineContainer
from chalicelib.domain.shared.errors import Conflict, EngineContainerMissing, EngineError

PROVISION_CONTAINER = "provision-container"  # the state machine (functions.registry.STATE_MACHINES)
MANAGED_BY = "containerstacks"
LABEL_MANAGED = "cs.managed-by"
LABEL_ORG = "cs.organization"
LABEL_CONTAINER = "cs.container"
LABEL_REPLICA = "cs.replica"
LABEL_GENERATION = "cs.generation"
LABEL_CONFIG = "cs.config"
LABEL_HOST = "cs.host"

_ENGINE_ID = re.compile(r"(?<![:@\w-])[0-9a-f]{12,64}(?![\w-])")
_ENGINE_NAME = re.compile(r"/?cs-[0-9A-Za-z]{26}(?:-g\d+)?-r?(\d+)")


def engine_name(container_id: str, generation: int, replica: int) -> str:
    """Unique per generation, so a new version's replicas can run beside the old ones they replace."""
    return f"cs-{container_id}-g{generation}-r{replica}"


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


def replica_of(found: EngineContainer) -> int:
    """The replica index an engine container was created for (-1 when unlabelled)."""
    return _int_label(found, LABEL_REPLICA, -1)


def generation_of(found: EngineContainer) -> int:
    """The record generation an engine container was created for (0 when unlabelled: older than any)."""
    return _int_label(found, LABEL_GENERATION, 0)


def _int_label(found: EngineContainer, label: str, default: int) -> int:
    try:
        return int(found.labels.get(label, default))
    except ValueError:
        return default


def for_customer(text: str, c: Container) -> str:
    """`text` (an engine's message) without engine ids, engine container names or internal volume names:
    a customer reads their own volume and replica names, never ours."""
    text = text.replace(volume_name(c.organization_id, ""), "")
    text = _ENGINE_NAME.sub(lambda m: f"replica {m.group(1)}", text)
    return _ENGINE_ID.sub("another container", text)


class Gone(Conflict):
    """An engine container of the record is missing from its host."""

    MESSAGE = "The container disappeared from its host; update it to deploy it again."


@contextmanager
def customer_errors(c: Container) -> Iterator[None]:
    """Engine refusals as a customer may read them: a missing engine container is Gone (a Conflict), and
    engine ids or internal volume names never reach a message."""
    try:
        yield
    except EngineContainerMissing as exc:
        raise Gone(Gone.MESSAGE) from exc
    except EngineError as exc:
        raise type(exc)(for_customer(exc.message, c), details=exc.details) from exc
