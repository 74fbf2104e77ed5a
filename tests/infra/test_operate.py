"""`make deploy` / `make destroy` without an AWS account: they stop with a clear message, and never act
without the stage name typed back."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra import operate
from tests.infra.conftest import Synth


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, dev: Synth) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask an instance metadata service
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setattr(operate, "ASSEMBLY", dev.outdir)


@pytest.mark.parametrize("action", [operate.deploy, operate.destroy])
def test_without_credentials_nothing_happens_and_the_message_says_why(
    no_credentials: None, action: object, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        action("dev")  # type: ignore[operator]
    assert stopped.value.code == 1
    assert "no usable AWS credentials" in capsys.readouterr().err


def test_a_stage_that_was_not_synthesized_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(operate, "ASSEMBLY", tmp_path)
    with pytest.raises(SystemExit):
        operate.deploy("prod")
    assert "make synth STAGE=prod" in capsys.readouterr().err


@pytest.mark.parametrize("answer", ["", "prod", "yes"])
def test_anything_but_the_stage_name_is_a_no(
    monkeypatch: pytest.MonkeyPatch, answer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONFIRM", answer)
    with pytest.raises(SystemExit):
        operate.confirm("dev", "Deploy?")
    assert "nothing was changed" in capsys.readouterr().err


def test_the_stage_name_is_a_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIRM", "dev")
    operate.confirm("dev", "Deploy?")
