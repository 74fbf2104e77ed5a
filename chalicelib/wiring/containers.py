"""Containers: the service, the provisioning steps and the reconciler, sharing one store and engines."""

from __future__ import annotations

from chalicelib.domain.containers.provisioning import ContainerProvisioner
from chalicelib.domain.containers.reconciler import ContainerReconciler
from chalicelib.domain.containers.service import ContainerService
from chalicelib.wiring import component, settings, workflows
from chalicelib.wiring.clusters import on_clusters
from chalicelib.wiring.events import audit_trail, notifier
from chalicelib.wiring.hosts import get_hosts
from chalicelib.wiring.quotas import container_quota


@component
def get_containers() -> ContainerService:
    from chalicelib.domain.billing.standing import BillingStanding
    from chalicelib.store.billing.meters import ContainerMeter
    from chalicelib.store.billing.state import BillingStateRepository
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository

    settings()
    service = ContainerService(
        ContainerRepository(ContainerMeter(), container_quota()),
        HostRepository(),
        get_hosts().engine_for,
        workflows(),
        standing=BillingStanding(BillingStateRepository()),
        clusters=on_clusters(),
    )
    service.audit = audit_trail()
    return service


@component
def get_provisioner() -> ContainerProvisioner:
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository
    from chalicelib.wiring.images import get_image_supply

    current = settings()
    return ContainerProvisioner(
        ContainerRepository(quota=container_quota()),
        HostRepository(),
        get_hosts().engine_for,
        publish_ip=current.publish_ip,
        notifier=notifier(),
        images=get_image_supply(),  # own images by cs.local/..., pulls outside the local stack
        clusters=on_clusters(),
    )


@component
def get_reconciler() -> ContainerReconciler:
    from chalicelib.store.containers.repository import ContainerRepository
    from chalicelib.store.hosts.repository import HostRepository

    settings()
    return ContainerReconciler(
        ContainerRepository(quota=container_quota()),
        HostRepository(),
        get_hosts().engine_for,
        notifier=notifier(),
    )
