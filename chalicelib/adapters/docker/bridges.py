"""Isolation of organization bridges on an engine that runs on this machine.

Docker keeps its bridge networks apart with iptables rules (DOCKER-ISOLATION-*). An engine started with
`--iptables=false` (as the local stack's must be) installs none, and the host then routes between
bridges, so one organization's container could reach another's by IP address. For an engine on this
machine (a unix socket: in AWS every engine is a TCP endpoint, which keeps Docker's iptables isolation)
the adapter turns IP forwarding off on the organization's bridge itself: traffic inside the bridge is
switched, not routed, so an organization's containers still reach each other, published ports (the
userland proxy on 127.0.0.1) keep working, and nothing is routed out of or into the bridge.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)
PROC_IPV4_CONF = Path("/proc/sys/net/ipv4/conf")


def bridge_interface(network_id: str, options: dict[str, str] | None = None) -> str:
    """The Linux bridge of a Docker bridge network: its configured name, else br-<first 12 of the id>."""
    return (options or {}).get("com.docker.network.bridge.name") or f"br-{network_id[:12]}"


def stop_forwarding(interface: str, conf: Path = PROC_IPV4_CONF) -> bool:
    """Turn IPv4 forwarding off on `interface`; False when this process cannot (not root, no such bridge)."""
    path = conf / interface / "forwarding"
    try:
        if path.read_text().strip() != "0":
            path.write_text("0\n")
    except OSError as exc:
        log.warning("cannot isolate bridge %s (%s); isolation relies on the host's firewall", interface, exc)
        return False
    return True
