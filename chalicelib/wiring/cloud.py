"""VPS reselling: the cloud providers (Linode through linode_api4; its sandbox stub locally)."""

from __future__ import annotations

from chalicelib.domain.vps.ports import CloudProviders
from chalicelib.wiring import component, settings


@component
def cloud_providers() -> CloudProviders:
    """Opens provider accounts by type. Locally and in tests CS_LINODE_BASE_URL must name the sandbox."""
    from chalicelib.adapters.linode.compute import LinodeProviders

    current = settings()
    return LinodeProviders(default_base_url=current.linode_base_url, require_base_url=current.is_local)
