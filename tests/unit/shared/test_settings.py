"""Settings fail fast outside the local stages; locally every name has a working default."""

from __future__ import annotations

import json

import pytest

from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.settings import build_settings

AWS = {
    "CS_STAGE": "prod",
    "AWS_REGION": "eu-west-1",
    "CS_TABLE": "cs-prod",
    "CS_EPHEMERAL_TABLE": "cs-prod-ephemeral",
    "CS_BACKUP_BUCKET": "cs-prod-backups",
    "CS_IMAGE_BUCKET": "cs-prod-images",
    "CS_KMS_KEY_ID": "arn:aws:kms:eu-west-1:111122223333:key/abc",
    "CS_JWT_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:jwt",
    "CS_STATE_MACHINES": json.dumps(
        {"provision-container": "arn:aws:states:eu-west-1:111122223333:stateMachine:cs-prod-provision"}
    ),
}


def test_local_stage_has_defaults_and_derives_state_machine_arns() -> None:
    settings = build_settings({})
    assert settings.stage == "local" and settings.table_name == "containerstacks"
    assert settings.state_machine_arn("provision-container").endswith(":stateMachine:cs-provision-container")


def test_a_complete_prod_environment_is_taken_as_given() -> None:
    settings = build_settings(AWS)
    assert settings.state_machine_arn("provision-container").endswith("cs-prod-provision")
    assert settings.region == "eu-west-1"


@pytest.mark.parametrize("missing", sorted(set(AWS) - {"CS_STAGE"}))
def test_prod_without_a_required_setting_names_it(missing: str) -> None:
    env = {k: v for k, v in AWS.items() if k != missing}
    with pytest.raises(ConfigurationError, match=missing):
        build_settings(env)


def test_prod_never_invents_an_arn_for_an_unknown_state_machine() -> None:
    with pytest.raises(ConfigurationError, match="backup"):
        build_settings(AWS).state_machine_arn("backup")


def test_a_malformed_number_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="CS_TOKEN_TTL_SECONDS"):
        build_settings({"CS_TOKEN_TTL_SECONDS": "soon"})
