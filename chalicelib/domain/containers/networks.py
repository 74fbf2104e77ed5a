"""Each organization's own bridge network on each host: created on first use, removed with its last container.

Containers of one organization reach each other by name on it; other organizations' containers are on
other networks. The host routes between networks unless its firewall stops it: Docker does so with its
iptables rules, an engine started with --iptables=false does not (README, "Known limits").
"""

from __future__ import annotations

from chalicelib.domain.containers.naming import LABEL_MANAGED, LABEL_ORG, MANAGED_BY, network_name
from chalicelib.domain.hosts.engine import ContainerEngine


def ensure_org_network(engine: ContainerEngine, org_id: str) -> str:
    """The organization's network on `engine`, created when missing; returns its name."""
    name = network_name(org_id)
    engine.ensure_network(name, {LABEL_MANAGED: MANAGED_BY, LABEL_ORG: org_id})
    return name


def release_org_network(engine: ContainerEngine, org_id: str) -> None:
    """Remove the organization's network from `engine` once none of its containers is left there.

    Stopped containers count: the engine would let their network go, and they could not start again.
    """
    if not engine.list_managed({LABEL_MANAGED: MANAGED_BY, LABEL_ORG: org_id}):
        engine.remove_network(network_name(org_id))
