"""Accounts: the account service with its store, argon2 hasher and JWT issuer."""

from __future__ import annotations

from chalicelib.domain.accounts.entities import SignInLimits
from chalicelib.domain.accounts.service import AccountService
from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.wiring import component, settings
from chalicelib.wiring.events import audit_trail


@component
def signing_key() -> bytes:
    current = settings()
    if current.jwt_secret_arn:
        from chalicelib.adapters.aws.secrets import fetch_secret

        return fetch_secret(current.jwt_secret_arn, current.region)
    if not current.jwt_secret:
        raise ConfigurationError("CS_JWT_SECRET (local) or CS_JWT_SECRET_ARN (AWS) must be set")
    return current.jwt_secret.encode()


@component
def get_accounts() -> AccountService:
    from chalicelib.adapters.crypto.passwords import Argon2PasswordHasher
    from chalicelib.adapters.crypto.tokens import JwtTokenIssuer
    from chalicelib.store.accounts.repository import AccountRepository, SessionRepository

    current = settings()
    return AccountService(
        AccountRepository(),
        SessionRepository(),
        Argon2PasswordHasher(),
        JwtTokenIssuer(signing_key(), current.jwt_issuer, current.jwt_audience, current.token_ttl_seconds),
        limits=SignInLimits(
            free_failures=current.login_max_failures,
            backoff_base_seconds=current.login_backoff_base_seconds,
            backoff_max_seconds=current.login_backoff_max_seconds,
            memory_seconds=current.login_window_seconds,
            address_max_failures=current.login_address_max_failures,
            address_window_seconds=current.login_address_window_seconds,
        ),
        audit=audit_trail(),
    )
