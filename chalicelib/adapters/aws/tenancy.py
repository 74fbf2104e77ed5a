"""Tenant-scoped DynamoDB credentials, as in AWS's serverless SaaS reference.

The API function's own role may touch platform items only. Inside a tenant scope
(chalicelib.domain.shared.tenancy) every DynamoDB request is signed with a session of the tenant role,
assumed with the session tag org=<organization id>; that role's policy allows items whose partition key
is `ORG#${aws:PrincipalTag/org}` (or starts with it followed by `#`) and nothing of another organization.
The session is cached per organization for the life of the warm function and renewed shortly before it
expires, so a warm request pays a dictionary lookup, and the first request of an organization in a
function instance pays one STS AssumeRole call.

botocore is imported on first use, so that `import app` stays cheap.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from chalicelib.adapters.aws.clients import client, is_transient
from chalicelib.domain.shared.errors import ServiceUnavailable
from chalicelib.domain.shared.tenancy import current_tenant

TAG_KEY = "org"
SESSION_SECONDS = 3600
RENEW_BEFORE_SECONDS = 300
MAX_CACHED_TENANTS = 512


class TenantCredentialProvider:
    """A botocore `credential_provider` component for the store's sessions.

    `load_credentials()` gives credentials that are read at every request signature: the tenant role's
    session for the organization in scope, or the function's own credentials outside any scope.
    Raises ServiceUnavailable when STS does not answer; other STS errors (a missing trust) propagate.
    """

    def __init__(self, role_arn: str, region: str, *, clock: Callable[[], float] = time.time) -> None:
        self.role_arn = role_arn
        self._region = region
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, tuple[Any, float]] = OrderedDict()
        self._base: Any = None
        self._credentials: Any = None
        self.assumed = 0  # AssumeRole calls made (the benchmark and tests read it)

    def load_credentials(self) -> Any:
        if self._credentials is None:
            self._credentials = _scoped_credentials_class()(self)
        return self._credentials

    def frozen(self) -> Any:
        """The ReadOnlyCredentials to sign the current request with."""
        org_id = current_tenant()
        if org_id is None:
            return self._own().get_frozen_credentials()
        now = self._clock()
        with self._lock:
            cached = self._sessions.get(org_id)
            if cached is not None and cached[1] - RENEW_BEFORE_SECONDS > now:
                self._sessions.move_to_end(org_id)
                return cached[0]
        frozen, expires = self._assume(org_id)
        with self._lock:
            self._sessions[org_id] = (frozen, expires)
            self._sessions.move_to_end(org_id)
            while len(self._sessions) > MAX_CACHED_TENANTS:
                self._sessions.popitem(last=False)
        return frozen

    def _own(self) -> Any:
        if self._base is None:
            from botocore.session import get_session

            self._base = get_session().get_credentials()
        return self._base

    def _assume(self, org_id: str) -> tuple[Any, float]:
        from botocore.credentials import ReadOnlyCredentials

        sts = client("sts", self._region)
        try:
            answer = sts.assume_role(
                RoleArn=self.role_arn,
                RoleSessionName=f"org-{org_id}"[:64],
                DurationSeconds=SESSION_SECONDS,
                Tags=[{"Key": TAG_KEY, "Value": org_id}],
            )
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable("The identity service did not answer; try again.") from exc
            raise
        self.assumed += 1
        issued = answer["Credentials"]
        frozen = ReadOnlyCredentials(issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"])
        return frozen, issued["Expiration"].timestamp()


@lru_cache(maxsize=1)
def _scoped_credentials_class() -> type:
    """botocore Credentials that ask the provider at every signature (built on first use)."""
    from botocore.credentials import Credentials

    class ScopedCredentials(Credentials):
        method = "containerstacks-tenant-scope"

        def __init__(self, provider: TenantCredentialProvider) -> None:  # no static keys to store
            self._provider = provider

        def get_frozen_credentials(self) -> Any:
            return self._provider.frozen()

        @property
        def access_key(self) -> str:  # type: ignore[override]  # read at each signature
            return str(self.get_frozen_credentials().access_key)

        @property
        def secret_key(self) -> str:  # type: ignore[override]  # read at each signature
            return str(self.get_frozen_credentials().secret_key)

        @property
        def token(self) -> str | None:  # type: ignore[override]  # read at each signature
            token: str | None = self.get_frozen_credentials().token
            return token

        @property
        def account_id(self) -> None:  # no account-scoped endpoint: one session serves every tenant
            return None

    return ScopedCredentials
