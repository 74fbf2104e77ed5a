"""Resource quantities and key strings."""

from __future__ import annotations

import pytest

from chalicelib.domain.containers.entities import Resources, check_resources
from chalicelib.domain.shared import quantities
from chalicelib.domain.shared.errors import ValidationFailed
from chalicelib.store import keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("512Mi", 512 * 2**20),
        ("1Gi", 2**30),
        ("1G", 10**9),
        ("1048576", 2**20),
        (64, 64),
        ("1.5Gi", 3 * 2**29),
    ],
)
def test_bytes_are_parsed_from_quantities(text: str | int, expected: int) -> None:
    assert quantities.parse_bytes(text) == expected


@pytest.mark.parametrize("bad", ["lots", "-1Gi", "1.5", "12Qi", "", True, None, 1.5])
def test_bad_byte_quantities_are_refused_with_a_reason(bad: object) -> None:
    with pytest.raises(ValueError, match=r"quantity|whole"):
        quantities.parse_bytes(bad)


@pytest.mark.parametrize(
    ("text", "millis"), [("0.5", 500), (0.5, 500), ("500m", 500), (2, 2000), ("1.25", 1250)]
)
def test_cpu_is_parsed_as_millicores(text: object, millis: int) -> None:
    assert quantities.parse_cpu_millis(text) == millis


@pytest.mark.parametrize("bad", ["-1", "-0.5", "lots", "1e3", True, None])
def test_what_is_not_a_cpu_amount_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        quantities.parse_cpu_millis(bad)


@pytest.mark.parametrize(("value", "millis"), [(0.0105, 11), (1e-05, 0), ("0.0004", 0), (64.0, 64000)])
def test_finer_than_a_millicore_rounds(value: object, millis: int) -> None:
    assert quantities.parse_cpu_millis(value) == millis


@pytest.mark.parametrize(
    ("cpu", "memory"), [(0, 64 * 2**20), (9, 64 * 2**20), (64001, 64 * 2**20), (500, 2**20)]
)
def test_the_domain_refuses_resources_outside_the_engines_range(cpu: int, memory: int) -> None:
    with pytest.raises(ValidationFailed):
        check_resources(Resources(cpu, memory))


def test_quantities_are_formatted_the_way_the_seed_writes_them() -> None:
    assert quantities.format_cpu(500) == "0.5"
    assert quantities.format_cpu(2000) == "2"
    assert quantities.format_bytes(512 * 2**20) == "512Mi"
    assert quantities.format_bytes(10**9) == "1000000000"


def test_tenant_keys_start_with_the_organization_and_platform_keys_do_not() -> None:
    assert keys.org_pk("o1") == "ORG#o1"
    assert keys.container_sk("c1") == "CONTAINER#c1"
    assert keys.member_sk("u1") == "MEMBER#u1"
    assert not keys.user_pk("u1").startswith(keys.ORG_PREFIX)
    assert not keys.HOSTS_PK.startswith(keys.ORG_PREFIX)
    assert keys.email_pk("  Ann@Example.COM ") == "EMAIL#ann@example.com"
    assert keys.host_gsi_sk("o1", "c1") == "CONTAINER#o1#c1"
