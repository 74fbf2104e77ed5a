"""The process environment the app reads through chalicelib.settings in the local stack."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devstack import REPO_ROOT
from devstack.aws import LOCAL_CREDENTIAL
from devstack.net import LOOPBACK

LOCAL_REGION = "us-east-1"
DEFAULT_DOCKER_URL = "unix:///var/run/docker.sock"
SIGNING_KEY_FILE = "jwt-secret"


def aws_environment(moto_port: int) -> dict[str, str]:
    """Points every AWS SDK (and moto's own Step Functions) at the moto server on `moto_port`."""
    return {
        "AWS_ENDPOINT_URL": f"http://{LOOPBACK}:{moto_port}",
        "AWS_ACCESS_KEY_ID": LOCAL_CREDENTIAL,
        "AWS_SECRET_ACCESS_KEY": LOCAL_CREDENTIAL,
        "AWS_DEFAULT_REGION": LOCAL_REGION,
        "AWS_REGION": LOCAL_REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "MOTO_PORT": str(moto_port),
    }


def smtp_environment(port: int) -> dict[str, str]:
    """Where the app's mailer sends email."""
    return {"CS_SMTP_HOST": LOOPBACK, "CS_SMTP_PORT": str(port)}


def state_machine_environment(arns: Mapping[str, str]) -> dict[str, str]:
    """CS_STATE_MACHINES: the ARN of every state machine by registry name (as the CDK app passes it)."""
    return {"CS_STATE_MACHINES": json.dumps(dict(arns), sort_keys=True)}


def chalice_config_file(root: Path = REPO_ROOT) -> dict[str, Any]:
    """The parsed .chalice/config.json (empty when there is none)."""
    path = root / ".chalice" / "config.json"
    config: dict[str, Any] = json.loads(path.read_text()) if path.is_file() else {}
    return config


def chalice_stage_environment(stage: str) -> dict[str, str]:
    """The environment_variables .chalice/config.json gives `stage`."""
    from chalice.config import Config

    config = Config(chalice_stage=stage, config_from_disk=chalice_config_file())
    return dict(config.environment_variables)


def jwt_secret(data_dir: Path) -> str:
    """The local JWT signing secret: generated once, kept in the data dir (0600), reused on restart."""
    path = data_dir / SIGNING_KEY_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def docker_url() -> str:
    """The Docker Engine the stack uses: DOCKER_HOST, else the local socket."""
    return os.environ.get("DOCKER_HOST") or DEFAULT_DOCKER_URL


def apply(env: Mapping[str, str]) -> None:
    """Set `env` in this process and make the app re-read its settings."""
    os.environ.update(env)
    refresh_app_config()


def refresh_app_config() -> None:
    """Drop the cached settings and wired services so the next use sees the current environment."""
    from chalicelib import wiring
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    reset = getattr(wiring, "reset", None)
    if callable(reset):
        reset()
