"""Composition root: cached factories that build the services with their real adapters."""

from __future__ import annotations

from functools import lru_cache

from chalicelib.domain.accounts import AccountService
from chalicelib.domain.containers import ContainerService
from chalicelib.domain.hosts import HostService
from chalicelib.settings import Settings, get_settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings, with the store bound to the deployment's tables."""
    from chalicelib.store.models import bind_tables

    current = get_settings()
    bind_tables(current.table_name, current.ephemeral_table_name, current.region)
    return current


@lru_cache(maxsize=1)
def _signing_key() -> bytes:
    current = settings()
    if current.jwt_secret_arn:
        from chalicelib.adapters.aws import fetch_secret

        return fetch_secret(current.jwt_secret_arn, current.region)
    if not current.jwt_secret:
        raise RuntimeError("CS_JWT_SECRET (local) or CS_JWT_SECRET_ARN (AWS) must be set")
    return current.jwt_secret.encode()


@lru_cache(maxsize=1)
def get_accounts() -> AccountService:
    from chalicelib.domain.security import PasswordHasher, TokenService
    from chalicelib.store.repositories import AccountRepository, SessionRepository

    current = settings()
    return AccountService(
        AccountRepository(),
        SessionRepository(),
        PasswordHasher(),
        TokenService(_signing_key(), current.jwt_issuer, current.jwt_audience, current.token_ttl_seconds),
        max_failures=current.login_max_failures,
        failure_window_seconds=current.login_window_seconds,
    )


@lru_cache(maxsize=1)
def get_hosts() -> HostService:
    from chalicelib.adapters.aws import KmsSecretBox
    from chalicelib.adapters.docker_engine import connect_docker
    from chalicelib.store.repositories import HostRepository

    current = settings()
    return HostService(HostRepository(), connect_docker, KmsSecretBox(current.kms_key_id, current.region))


@lru_cache(maxsize=1)
def get_containers() -> ContainerService:
    from chalicelib.adapters.aws import StepFunctionsWorkflows
    from chalicelib.store.repositories import ContainerRepository, HostRepository

    current = settings()
    return ContainerService(
        ContainerRepository(),
        HostRepository(),
        get_hosts().engine_for,
        StepFunctionsWorkflows(current.provision_container_sm_arn, current.region),
        publish_ip=current.publish_ip,
    )


def reset() -> None:
    """Forget every cached object (tests change the environment between sessions)."""
    get_settings.cache_clear()
    for factory in (settings, _signing_key, get_accounts, get_hosts, get_containers):
        factory.cache_clear()
