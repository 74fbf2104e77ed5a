"""Composition root: cached factories that build each capability's services with their real adapters.

Every factory is declared with `@component`, which caches it for the life of the process (a warm
Lambda) and registers it, so `reset()` forgets them all without a hand-kept list.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from chalicelib.settings import Settings, get_settings

T = TypeVar("T")
_COMPONENTS: list[Any] = []


def component(factory: Callable[[], T]) -> Callable[[], T]:
    """Cache `factory` (one instance per process) and register it for reset()."""
    cached = lru_cache(maxsize=1)(factory)
    _COMPONENTS.append(cached)
    return cached


@component
def settings() -> Settings:
    """Settings, with the store bound to the deployment's tables (and, in AWS, to tenant-scoped sessions)."""
    from chalicelib.store.table import bind_tables

    current = get_settings()
    bind_tables(current.table_name, current.ephemeral_table_name, current.region, tenant_credentials())
    return current


@component
def tenant_credentials() -> Any:
    """The credential provider of the tenant role's sessions, or None without CS_TENANT_ROLE_ARN."""
    current = get_settings()
    if not current.tenant_role_arn:
        return None
    from chalicelib.adapters.aws.tenancy import TenantCredentialProvider

    return TenantCredentialProvider(current.tenant_role_arn, current.region)


@component
def workflows() -> Any:
    """The Workflows port (Step Functions) for every registered state machine."""
    from chalicelib.adapters.aws.workflows import StepFunctionsWorkflows

    current = settings()
    return StepFunctionsWorkflows(current.state_machine_arn, current.region)


@component
def secret_box() -> Any:
    """The SecretBox port (KMS)."""
    from chalicelib.adapters.aws.kms import KmsSecretBox

    current = settings()
    return KmsSecretBox(current.kms_key_id, current.region)


def reset() -> None:
    """Forget every cached object (tests change the environment between sessions)."""
    get_settings.cache_clear()
    for cached in _COMPONENTS:
        cached.cache_clear()
