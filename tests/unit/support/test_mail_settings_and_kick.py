"""Mail settings (SMTP2GO in AWS, the local server locally) and the local stack's right-away delivery."""

from __future__ import annotations

import threading

import pytest

from chalicelib.adapters.local.kick import BackgroundKick
from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.mail_settings import build_mail_settings


def test_locally_mail_is_plain_smtp_and_in_aws_it_is_starttls_with_the_password_from_the_secret() -> None:
    local = build_mail_settings({"CS_SMTP_HOST": "127.0.0.1", "CS_SMTP_PORT": "2525"}, local=True)
    assert (local.smtp_host, local.smtp_port, local.smtp_security) == ("127.0.0.1", 2525, "none")
    aws = build_mail_settings(
        {"CS_SMTP_SECRET_ARN": "arn:smtp", "CS_SUPPORT_EMAIL": " help@x.test "}, local=False
    )
    assert (aws.smtp_security, aws.smtp_secret_arn, aws.support_email) == (
        "starttls",
        "arn:smtp",
        "help@x.test",
    )
    assert (aws.retry_base_seconds, aws.retry_max_seconds) == (30, 3600)


@pytest.mark.parametrize(
    ("env", "local", "named"),
    [
        ({"CS_SMTP_PASSWORD": "secret"}, False, "CS_SMTP_PASSWORD"),
        ({"CS_SMTP_SECURITY": "tls1.0"}, True, "CS_SMTP_SECURITY"),
        ({"CS_MAIL_RETRY_BASE_SECONDS": "0"}, True, "CS_MAIL_RETRY_BASE_SECONDS"),
        ({"CS_SMTP_PORT": "smtp"}, True, "CS_SMTP_PORT"),
    ],
)
def test_a_wrong_mail_setting_stops_at_first_use_naming_it(
    env: dict[str, str], local: bool, named: str
) -> None:
    with pytest.raises(ConfigurationError, match=named):
        build_mail_settings(env, local=local)


def test_the_kick_delivers_on_another_thread_and_survives_a_failing_run() -> None:
    # Given work that fails the first time and records the thread of every run
    runs: list[str] = []
    done = threading.Event()

    def work() -> None:
        runs.append(threading.current_thread().name)
        if len(runs) == 1:
            raise RuntimeError("the mail server is down")
        done.set()

    kick = BackgroundKick(work, name="test-kick")
    # When it is woken, and woken again after the failure
    kick.wake()
    while len(runs) < 1:
        threading.Event().wait(0.01)
    kick.wake()
    # Then the work ran again, on the kick's thread, not the caller's
    assert done.wait(10)
    assert set(runs) == {"test-kick"}
