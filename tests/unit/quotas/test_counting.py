"""What a container counts against its organization's package, and which limit a claim goes over."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.containers.entities import Deployment
from chalicelib.domain.quotas.entities import Limits, Usage, first_exceeded, quota_exceeded, usage_of
from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.resource_settings import build_resource_settings
from tests.contract.builders import MI, container


def test_a_container_counts_once_with_what_it_holds_on_its_host() -> None:
    c = replace(container("org", "h", cpu_millis=250, memory_bytes=64 * MI, replicas=3))
    c = replace(c, resources=replace(c.resources, storage_bytes=1024 * MI))
    assert usage_of(c) == Usage(containers=1, cpu_millis=750, memory_bytes=192 * MI, storage_bytes=3072 * MI)


def test_a_failed_container_still_counts_but_holds_nothing() -> None:
    failed = replace(container("org", "h"), holds_capacity=False, status="error")
    assert usage_of(failed) == Usage(containers=1)


def test_a_change_rolling_out_holds_the_larger_replica_count() -> None:
    old = Deployment("web:1", {}, (), (), replicas=4, status="running")
    scaling_in = replace(container("org", "h", cpu_millis=100, replicas=2), previous=old)
    assert usage_of(scaling_in).cpu_millis == 400


def test_only_growing_counters_are_checked_and_the_limit_itself_is_allowed() -> None:
    limits = Limits(containers=2, cpu_millis=1000)
    used = Usage(containers=1, cpu_millis=900, memory_bytes=10**12)
    assert first_exceeded(limits, used, Usage(containers=1, cpu_millis=100)) is None
    assert first_exceeded(limits, used, Usage(containers=1, cpu_millis=101)) == "cpu"
    assert first_exceeded(limits, used, Usage(containers=2)) == "containers"
    assert first_exceeded(limits, Usage(cpu_millis=5000), Usage(cpu_millis=-100)) is None  # shrinking
    assert first_exceeded(Limits(), used, Usage(memory_bytes=10**15)) is None  # unlimited


def test_the_refusal_names_the_limit_with_what_is_allowed_used_and_asked() -> None:
    error = quota_exceeded(
        "memory", Limits(memory_bytes=512 * MI), Usage(memory_bytes=500 * MI), Usage(memory_bytes=64 * MI)
    )
    assert (error.status, error.code) == (409, "quota_exceeded")
    assert error.details == {"field": "memory", "limit": 512 * MI, "used": 500 * MI, "requested": 64 * MI}
    assert "allows 512Mi" in error.message and "uses 500Mi" in error.message and "64Mi more" in error.message
    cpu = quota_exceeded("cpu", Limits(cpu_millis=500), Usage(cpu_millis=500), Usage(cpu_millis=10))
    assert "0.5 vCPU" in cpu.message


def test_the_default_package_is_configured_from_the_environment() -> None:
    configured = build_resource_settings(
        {
            "CS_DEFAULT_MAX_CONTAINERS": "unlimited",
            "CS_DEFAULT_MAX_CPU": "500m",
            "CS_DEFAULT_MAX_MEMORY": "2Gi",
        },
        local=True,
    )
    assert configured.max_containers is None and configured.max_cpu_millis == 500
    assert configured.max_memory_bytes == 2 * 1024 * MI and configured.max_vps == 3
    assert configured.registry_images is False
    assert build_resource_settings({}, local=False).registry_images is True
    with pytest.raises(ConfigurationError, match="CS_DEFAULT_MAX_STORAGE"):
        build_resource_settings({"CS_DEFAULT_MAX_STORAGE": "lots"}, local=True)
    with pytest.raises(ConfigurationError, match="CS_MARKETPLACE_REGISTRY_IMAGES"):
        build_resource_settings({"CS_MARKETPLACE_REGISTRY_IMAGES": "maybe"}, local=True)
