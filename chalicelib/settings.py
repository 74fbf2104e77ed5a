"""The one settings object: read from the environment on first use, never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


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
    provision_container_sm_arn: str
    publish_ip: str
    kms_key_id: str
    login_max_failures: int
    login_window_seconds: int


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build the settings from the environment (first call only)."""
    region = _env("AWS_REGION", _env("AWS_DEFAULT_REGION", "us-east-1"))
    account = _env("CS_ACCOUNT_ID", "123456789012")
    return Settings(
        stage=_env("CS_STAGE", "local"),
        region=region,
        table_name=_env("CS_TABLE", "containerstacks"),
        ephemeral_table_name=_env("CS_EPHEMERAL_TABLE", "containerstacks-ephemeral"),
        backup_bucket=_env("CS_BACKUP_BUCKET", "containerstacks-backups"),
        jwt_secret=os.environ.get("CS_JWT_SECRET") or None,
        jwt_secret_arn=os.environ.get("CS_JWT_SECRET_ARN") or None,
        jwt_issuer=_env("CS_JWT_ISSUER", "containerstacks"),
        jwt_audience=_env("CS_JWT_AUDIENCE", "containerstacks-api"),
        token_ttl_seconds=int(_env("CS_TOKEN_TTL_SECONDS", "3600")),
        provision_container_sm_arn=_env(
            "CS_PROVISION_CONTAINER_SM_ARN",
            f"arn:aws:states:{region}:{account}:stateMachine:cs-provision-container",
        ),
        publish_ip=_env("CS_PUBLISH_IP", "127.0.0.1"),
        kms_key_id=_env("CS_KMS_KEY_ID", "alias/containerstacks"),
        login_max_failures=int(_env("CS_LOGIN_MAX_FAILURES", "5")),
        login_window_seconds=int(_env("CS_LOGIN_WINDOW_SECONDS", "900")),
    )
