"""Opening a provider account: its API key decrypted (KMS, context = the provider id) on the way to the SDK,
and the provider's errors turned into errors a caller of our API can act on. The key is never logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from chalicelib.domain.shared.errors import Conflict, ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.secrets import SecretBox
from chalicelib.domain.vps.entities import SUPPORTED_KINDS, Provider
from chalicelib.domain.vps.ports import (
    CloudProvider,
    CloudProviders,
    ProviderAuthFailed,
    ProviderRejected,
    ProviderUnavailable,
)
from chalicelib.domain.vps.stores import Providers

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def key_context(provider_id: str) -> dict[str, str]:
    """Encryption context of a provider's API key: the ciphertext opens for this provider only."""
    return {"provider_id": provider_id}


def webhook_context(provider_id: str) -> dict[str, str]:
    return {"provider_id": provider_id, "secret": "webhook"}


def root_context(vps_id: str) -> dict[str, str]:
    """A VPS's generated root password, kept encrypted until the provider has the instance."""
    return {"vps_id": vps_id, "secret": "root_password"}


def require_supported(provider: Provider) -> None:
    if not provider.supported:
        raise ValidationFailed(
            f"Providers of type {provider.type!r} are not supported yet; only "
            f"{', '.join(SUPPORTED_KINDS)} is. The provider is stored and can be used once support lands.",
            details={"field": "type"},
        )


class ProviderAccounts:
    """Connects to a provider account with its stored key. Raises ValidationFailed for a type not supported
    yet, NotFound for an unknown provider."""

    def __init__(
        self, providers: Providers, clouds: CloudProviders, box: SecretBox, *, loopback_only: bool = False
    ) -> None:
        self._providers = providers
        self._clouds = clouds
        self._box = box
        self._loopback_only = loopback_only

    def connect(self, provider: Provider) -> CloudProvider:
        require_supported(provider)
        if self._loopback_only and provider.base_url and urlparse(provider.base_url).hostname not in LOOPBACK:
            raise ValidationFailed(
                "In the local stack a provider is reached on this machine only: configuration.base_url must "
                "be the Linode sandbox's (or left out).",
                details={"field": "configuration.base_url"},
            )
        secrets = self._providers.secrets(provider.id)
        api_key = self._box.decrypt(secrets.api_key_encrypted, key_context(provider.id))
        return self._clouds.connect(provider.type, api_key, base_url=provider.base_url)

    def open(self, provider_id: str) -> tuple[Provider, CloudProvider]:
        provider = self._providers.get(provider_id)
        return provider, self.connect(provider)

    def webhook_secret(self, provider: Provider) -> str:
        secrets = self._providers.secrets(provider.id)
        return self._box.decrypt(secrets.webhook_secret_encrypted, webhook_context(provider.id))


@contextmanager
def for_customers(provider_id: str) -> Iterator[None]:
    """A provider call made for a customer: a refusal is a Conflict with the provider's reason; our own
    credentials failing is our problem (logged, answered as unavailable)."""
    try:
        yield
    except ProviderAuthFailed as exc:
        log.error("provider %s refused our credentials: %s", provider_id, exc.message)
        raise ServiceUnavailable("The VPS provider is not reachable right now; try again later.") from exc
    except ProviderRejected as exc:
        raise Conflict(f"The provider refused: {exc.message}") from exc
    except ProviderUnavailable as exc:
        raise ServiceUnavailable(f"The VPS provider did not answer: {exc.message}") from exc


@contextmanager
def for_admins() -> Iterator[None]:
    """A provider call made by an administrator (test, sync): every refusal is a 400 saying why."""
    try:
        yield
    except ProviderAuthFailed as exc:
        raise ValidationFailed(
            f"The provider refused the API key: {exc.message}", details={"field": "api_key"}
        ) from exc
    except ProviderRejected as exc:
        raise ValidationFailed(f"The provider refused: {exc.message}", details={"field": exc.field}) from exc
    except ProviderUnavailable as exc:
        raise ServiceUnavailable(f"The provider did not answer: {exc.message}") from exc
