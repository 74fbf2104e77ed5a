"""LinodeCompute: one Linode account through `linode_api4.LinodeClient` (the API key is the client's token);
LinodeProviders opens one per key.

The SDK sends the requests (auth header, X-Filter, JSON, its ApiError); pages are read here and the JSON is
mapped by chalicelib.adapters.linode.mapping, because the SDK's PaginatedList refuses a list that grows while
it is read (events do) and its objects load lazily with more requests. Instances are created with a plain
POST: the SDK's instance_create reads any `authorized_keys` entry that names a local file, and a customer's
key must never be able to do that. The SDK's own retries are off (a 429 would sleep inside the Lambda): the
workflows retry ProviderUnavailable with backoff, honouring `retry_after`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from chalicelib.adapters.linode import mapping
from chalicelib.adapters.linode.errors import translate
from chalicelib.domain.shared.errors import ConfigurationError, ValidationFailed
from chalicelib.domain.vps.ports import (
    CloudProvider,
    NewInstance,
    ProviderAuthFailed,
    ProviderCheck,
    ProviderEvent,
    ProviderInstance,
    ProviderRegion,
    ProviderRejected,
    ProviderType,
)

LINODE_API = "https://api.linode.com/v4"
DEFAULT_IMAGE = "linode/ubuntu24.04"
SUPPORTED = ("linode",)
NOT_YET = ("digitalocean", "aws", "gcp")
MAX_PAGE_SIZE = 500  # Linode accepts 25-500


class _NotFound(Exception):
    """Linode answered 404 (or the id cannot be a Linode id)."""


class LinodeCompute:
    """Implements CloudProvider for one API key at `base_url` (Linode's API, or the local sandbox stub).

    Raises ProviderUnavailable (5xx, 408, 429 with `retry_after`, timeouts, no connection), ProviderAuthFailed
    (401/403) and ProviderRejected (other 4xx, with Linode's `field`); a 404 of an instance is None/False.
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = LINODE_API,
        *,
        timeout: float = 30.0,
        page_size: int = MAX_PAGE_SIZE,
        image: str = DEFAULT_IMAGE,
    ) -> None:
        if not api_key:
            raise ProviderAuthFailed("No Linode API key is configured.", status=401)
        self._client = _client(api_key, base_url.rstrip("/"), timeout)
        self._page_size = max(25, min(MAX_PAGE_SIZE, page_size))
        self._image = image

    def __repr__(self) -> str:
        return f"LinodeCompute({self._client.base_url!r})"  # never the key

    # ------------------------------------------------------------ reads
    def check(self) -> ProviderCheck:
        profile = self._call("get", "/profile")
        return ProviderCheck(
            account=str(profile.get("email") or profile.get("username") or ""),
            regions=self._count("/regions"),
            types=self._count("/linode/types"),
            instances=self._count("/linode/instances"),
        )

    def types(self) -> Sequence[ProviderType]:
        return [mapping.provider_type(raw) for raw in self._all("/linode/types")]

    def regions(self) -> Sequence[ProviderRegion]:
        return [mapping.region(raw) for raw in self._all("/regions")]

    def instances(self, *, tag: str | None = None) -> Sequence[ProviderInstance]:
        found = [
            mapping.instance(raw)
            for raw in self._all("/linode/instances", {"tags": tag} if tag is not None else None)
        ]
        return [i for i in found if tag is None or tag in i.tags]  # whatever the filter did

    def instance(self, instance_id: str) -> ProviderInstance | None:
        try:
            path = f"/linode/instances/{_linode_id(instance_id)}"
            return mapping.instance(self._call("get", path, missing_ok=True))
        except _NotFound:
            return None

    def events(self, *, after_id: int | None = None) -> Sequence[ProviderEvent]:
        """Keyset paging: each request asks for ids above the last one read, so events arriving meanwhile
        neither shift pages nor get skipped."""
        found: list[ProviderEvent] = []
        cursor = after_id
        while True:
            filters: dict[str, Any] = {"+order_by": "id", "+order": "asc"}
            if cursor is not None:
                filters["id"] = {"+gt": cursor}
            body = self._call("get", f"/account/events?page=1&page_size={self._page_size}", filters=filters)
            batch = [mapping.event(raw) for raw in body.get("data") or []]
            batch = [e for e in batch if cursor is None or e.id > cursor]
            found.extend(batch)
            if not batch or int(body.get("pages") or 1) <= 1:
                return sorted({e.id: e for e in found}.values(), key=lambda e: e.id)
            cursor = max(e.id for e in batch)

    # ------------------------------------------------------------ changes
    def create_instance(self, spec: NewInstance) -> ProviderInstance:
        body: dict[str, Any] = {
            "type": spec.type_id,
            "region": spec.region,
            "label": spec.label,
            "image": self._image,
            "root_pass": spec.root_password,
            "tags": list(spec.tags),
            "booted": True,
        }
        if spec.authorized_keys:
            body["authorized_keys"] = list(spec.authorized_keys)
        return mapping.instance(self._call("post", "/linode/instances", data=body))

    def boot(self, instance_id: str) -> None:
        self._action(instance_id, "boot")

    def shutdown(self, instance_id: str) -> None:
        self._action(instance_id, "shutdown")

    def reboot(self, instance_id: str) -> None:
        self._action(instance_id, "reboot")

    def delete_instance(self, instance_id: str) -> bool:
        try:
            self._call("delete", f"/linode/instances/{_linode_id(instance_id)}", missing_ok=True)
        except _NotFound:
            return False
        return True

    # ------------------------------------------------------------ plumbing
    def _action(self, instance_id: str, action: str) -> None:
        try:
            self._call("post", f"/linode/instances/{_linode_id(instance_id)}/{action}", missing_ok=True)
        except _NotFound:
            raise ProviderRejected(f"Linode has no instance {instance_id}.", status=404) from None

    def _count(self, path: str) -> int:
        return int(self._call("get", f"{path}?page=1&page_size=25").get("results") or 0)

    def _all(self, path: str, filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self._call("get", f"{path}?page={page}&page_size={self._page_size}", filters=filters)
            items.extend(body.get("data") or [])
            if page >= int(body.get("pages") or 1):
                return items
            page += 1

    def _call(
        self,
        method: str,
        path: str,
        *,
        data: dict[str, Any] | None = None,
        filters: dict[str, Any] | None = None,
        missing_ok: bool = False,
    ) -> dict[str, Any]:
        """One request; `missing_ok`: a 404 raises _NotFound for the caller to answer None/False."""
        try:
            answer = getattr(self._client, method)(path, data=data, filters=filters)
        except Exception as exc:
            error = translate(exc)
            if missing_ok and isinstance(error, ProviderRejected) and error.status == 404:
                raise _NotFound(path) from None
            raise error from None  # the SDK's exception holds the request, Authorization header included
        return answer if isinstance(answer, dict) else {}


class LinodeProviders:
    """Implements CloudProviders: a LinodeCompute per API key; ValidationFailed for other provider types.

    `default_base_url` (CS_LINODE_BASE_URL) is used when `connect` gets none; with `require_base_url` (the
    local and test stages) a missing URL is a ConfigurationError: nothing local ever reaches the real Linode.
    """

    def __init__(
        self,
        *,
        default_base_url: str | None = None,
        require_base_url: bool = False,
        timeout: float = 30.0,
        page_size: int = MAX_PAGE_SIZE,
        image: str = DEFAULT_IMAGE,
    ) -> None:
        self._default_base_url = default_base_url
        self._require_base_url = require_base_url
        self._timeout = timeout
        self._page_size = page_size
        self._image = image

    def connect(self, provider_type: str, api_key: str, *, base_url: str | None = None) -> CloudProvider:
        if provider_type in NOT_YET:
            raise ValidationFailed(
                f"Provider type {provider_type!r} is not supported yet; only 'linode' is.",
                details={"type": "not supported yet"},
            )
        if provider_type not in SUPPORTED:
            raise ValidationFailed(
                f"Unknown provider type {provider_type!r}; one of linode, digitalocean, aws, gcp.",
                details={"type": "unknown provider type"},
            )
        url = base_url or self._default_base_url
        if url is None:
            if self._require_base_url:
                raise ConfigurationError(
                    "set CS_LINODE_BASE_URL to the Linode sandbox (local and test stages)"
                )
            url = LINODE_API
        return LinodeCompute(
            api_key, url, timeout=self._timeout, page_size=self._page_size, image=self._image
        )


def _linode_id(instance_id: str) -> str:
    """Linode ids are whole numbers; anything else cannot exist there (and never reaches a URL unquoted)."""
    if not (instance_id.isascii() and instance_id.isdigit()):
        raise _NotFound(instance_id)
    return quote(instance_id)


def _client(api_key: str, base_url: str, seconds: float) -> Any:
    """A LinodeClient without retries whose requests give up after `timeout` seconds (the SDK sets none)."""
    from linode_api4 import LinodeClient
    from requests.adapters import HTTPAdapter

    class _Timeout(HTTPAdapter):
        def send(
            self,
            request: Any,
            stream: bool = False,
            timeout: Any = None,
            verify: Any = True,
            cert: Any = None,
            proxies: Any = None,
        ) -> Any:
            limit = timeout if timeout is not None else seconds
            return super().send(
                request, stream=stream, timeout=limit, verify=verify, cert=cert, proxies=proxies
            )

    client = LinodeClient(api_key, base_url=base_url, retry=False, user_agent="ContainerStacks")
    for scheme in ("http://", "https://"):
        client.session.mount(scheme, _Timeout(max_retries=0))
    return client
