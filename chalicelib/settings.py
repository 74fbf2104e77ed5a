"""The one settings object: read from the environment on first use, never at import time.

In the local and test stages every name has a working default (the local stack's). In any other
stage (dev, prod) a missing table, bucket, key, secret or state machine is a ConfigurationError at
first use, naming every missing variable: never a silent fallback to a made-up account or ARN.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from chalicelib.billing_settings import BillingSettings, build_billing_settings
from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.images_settings import ImageSettings, build_image_settings
from chalicelib.mail_settings import MailSettings, build_mail_settings
from chalicelib.notification_settings import NotificationSettings, build_notification_settings
from chalicelib.resource_settings import ResourceSettings, build_resource_settings
from chalicelib.vps_settings import VpsSettings, build_vps_settings

LOCAL_STAGES = frozenset({"local", "test"})
LOCAL_ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Settings:
    """Deployment settings. Secrets are resolved lazily by the adapters, not stored here."""

    stage: str
    region: str
    table_name: str
    ephemeral_table_name: str
    backup_bucket: str
    jwt_secret: str | None
    jwt_secret_arn: str | None
    jwt_issuer: str
    jwt_audience: str
    token_ttl_seconds: int
    state_machines: Mapping[str, str] = field(default_factory=dict)
    publish_ip: str = "127.0.0.1"
    kms_key_id: str = "alias/containerstacks"
    # Sign-in protection (README, "Sign-in protection"): per account, failures answered at once before the
    # back-off, the back-off's first and longest wait, how long failures are remembered; per client address,
    # the failures allowed in one window.
    login_max_failures: int = 5
    login_window_seconds: int = 900
    login_backoff_base_seconds: int = 1
    login_backoff_max_seconds: int = 60
    login_address_max_failures: int = 20
    login_address_window_seconds: int = 900
    idempotency_ttl_seconds: int = 86400
    max_body_bytes: int = 1024 * 1024
    # In AWS the API's tenant data goes through sessions of this role, one per organization
    # (chalicelib.adapters.aws.tenancy); unset (local, the workflow functions): the plain connection.
    tenant_role_arn: str | None = None
    invite_ttl_seconds: int = 7 * 86400  # how long a team invitation link works
    billing: BillingSettings = field(default_factory=BillingSettings)
    vps: VpsSettings = field(default_factory=VpsSettings)
    # The Linode API the VPS adapter talks to: None is Linode's own (https://api.linode.com/v4); locally the
    # sandbox stub (devstack/linode_stub.py), which the local and test stages require (never the real API).
    linode_base_url: str | None = None
    mail: MailSettings = field(default_factory=MailSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    resources: ResourceSettings = field(default_factory=ResourceSettings)  # quotas, packages, marketplace
    images: ImageSettings = field(default_factory=ImageSettings)
    # Backups: the helper image (static busybox, on every host) that archives and restores volumes.
    backup_helper_image: str = "containerstacks/backup-helper:local"

    @property
    def is_local(self) -> bool:
        return self.stage in LOCAL_STAGES

    def state_machine_arn(self, name: str) -> str:
        """The ARN of state machine `name` (functions/registry.py STATE_MACHINES).

        Locally it is derived from the name (the local stack creates it so); in AWS the deployment
        passes every ARN in CS_STATE_MACHINES, and a missing one is a ConfigurationError.
        """
        if name in self.state_machines:
            return self.state_machines[name]
        if self.is_local:
            return f"arn:aws:states:{self.region}:{LOCAL_ACCOUNT}:stateMachine:cs-{name}"
        raise ConfigurationError(f"CS_STATE_MACHINES has no ARN for the state machine {name!r}")


def _int(env: Mapping[str, str], name: str, default: int, minimum: int | None = None) -> int:
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}")
    return value


def build_settings(env: Mapping[str, str]) -> Settings:
    """Settings from `env`; raises ConfigurationError listing what a non-local stage is missing."""
    stage = env.get("CS_STAGE") or "local"
    local = stage in LOCAL_STAGES
    missing: list[str] = []

    def need(name: str, local_default: str) -> str:
        value = env.get(name) or ""
        if value:
            return value
        if local:
            return local_default
        missing.append(name)
        return ""

    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or ("us-east-1" if local else "")
    if not region:
        missing.append("AWS_REGION")
    machines = _state_machines(env, local, missing)
    jwt_secret = env.get("CS_JWT_SECRET") or None
    jwt_secret_arn = env.get("CS_JWT_SECRET_ARN") or None
    if not local and not jwt_secret_arn:
        missing.append("CS_JWT_SECRET_ARN")
    settings = Settings(
        stage=stage,
        region=region,
        table_name=need("CS_TABLE", "containerstacks"),
        ephemeral_table_name=need("CS_EPHEMERAL_TABLE", "containerstacks-ephemeral"),
        backup_bucket=need("CS_BACKUP_BUCKET", "containerstacks-backups"),
        jwt_secret=jwt_secret,
        jwt_secret_arn=jwt_secret_arn,
        jwt_issuer=env.get("CS_JWT_ISSUER") or "containerstacks",
        jwt_audience=env.get("CS_JWT_AUDIENCE") or "containerstacks-api",
        token_ttl_seconds=_int(env, "CS_TOKEN_TTL_SECONDS", 3600),
        state_machines=machines,
        publish_ip=env.get("CS_PUBLISH_IP") or "127.0.0.1",
        kms_key_id=need("CS_KMS_KEY_ID", "alias/containerstacks"),
        login_max_failures=_int(env, "CS_LOGIN_MAX_FAILURES", 5, minimum=1),
        login_window_seconds=_int(env, "CS_LOGIN_WINDOW_SECONDS", 900, minimum=1),
        login_backoff_base_seconds=_int(env, "CS_LOGIN_BACKOFF_BASE_SECONDS", 1, minimum=1),
        login_backoff_max_seconds=_int(env, "CS_LOGIN_BACKOFF_MAX_SECONDS", 60, minimum=1),
        login_address_max_failures=_int(env, "CS_LOGIN_ADDRESS_MAX_FAILURES", 20, minimum=1),
        login_address_window_seconds=_int(env, "CS_LOGIN_ADDRESS_WINDOW_SECONDS", 900, minimum=1),
        idempotency_ttl_seconds=_int(env, "CS_IDEMPOTENCY_TTL_SECONDS", 86400),
        max_body_bytes=_int(env, "CS_MAX_BODY_BYTES", 1024 * 1024),
        tenant_role_arn=env.get("CS_TENANT_ROLE_ARN") or None,
        invite_ttl_seconds=_int(env, "CS_INVITE_TTL_SECONDS", 7 * 86400, minimum=1),
        billing=build_billing_settings(env, local),
        vps=build_vps_settings(env),
        linode_base_url=env.get("CS_LINODE_BASE_URL") or None,
        mail=build_mail_settings(env, local),
        notifications=build_notification_settings(env, local),
        resources=build_resource_settings(env, local),
        images=build_image_settings(env, local, missing),
        backup_helper_image=env.get("CS_BACKUP_HELPER_IMAGE") or "containerstacks/backup-helper:local",
    )
    if missing:
        raise ConfigurationError(f"stage {stage!r} is missing required settings: {', '.join(missing)}")
    return settings


def _state_machines(env: Mapping[str, str], local: bool, missing: list[str]) -> dict[str, str]:
    raw = env.get("CS_STATE_MACHINES") or ""
    if not raw:
        if not local:
            missing.append("CS_STATE_MACHINES")
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise ConfigurationError("CS_STATE_MACHINES must be a JSON object of name -> ARN") from exc
    if not isinstance(parsed, dict):
        raise ConfigurationError("CS_STATE_MACHINES must be a JSON object of name -> ARN")
    return {str(k): str(v) for k, v in parsed.items()}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build the settings from the environment (first call only)."""
    return build_settings(os.environ)
