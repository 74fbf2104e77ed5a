"""The tenant scope: one organization per unit of work, entered from verified identity only."""

from __future__ import annotations

import pytest

from chalicelib.domain.shared.errors import PermissionDenied
from chalicelib.domain.shared.tenancy import TenantScopeViolation, current_tenant, tenant_scope

ORG_A = "0b7f3c1e-5a7d-4c8e-9f1a-2b3c4d5e6f70"
ORG_B = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def test_work_outside_any_scope_is_platform_work() -> None:
    assert current_tenant() is None


def test_the_scope_names_its_organization_and_ends_with_the_block() -> None:
    with tenant_scope(ORG_A):
        assert current_tenant() == ORG_A
    assert current_tenant() is None


def test_entering_the_active_organization_again_is_harmless() -> None:
    with tenant_scope(ORG_A), tenant_scope(ORG_A):
        assert current_tenant() == ORG_A
    assert current_tenant() is None


def test_reaching_for_another_organization_inside_a_scope_is_refused() -> None:
    with tenant_scope(ORG_A):
        with pytest.raises(TenantScopeViolation), tenant_scope(ORG_B):
            pass
        assert current_tenant() == ORG_A


@pytest.mark.parametrize("bad", ["", "ORG#x", "a" * 65, "../etc", "x y"])
def test_a_value_that_cannot_be_an_organization_is_answered_like_a_non_member(bad: str) -> None:
    with pytest.raises(PermissionDenied), tenant_scope(bad):
        pass
    assert current_tenant() is None


def test_the_scope_ends_even_when_the_work_fails() -> None:
    with pytest.raises(ValueError), tenant_scope(ORG_A):
        raise ValueError("boom")
    assert current_tenant() is None
