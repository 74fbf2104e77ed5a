"""Sign-in protection over HTTP against moto: parallel guesses, per-address limits, the back-off, and tokens
ending with a password change."""

from __future__ import annotations

import time

import pytest

from chalicelib import wiring
from chalicelib.settings import get_settings
from tests.integration.accounts.conftest import Gateway
from tests.support.api import PASSWORD, Api, Reply
from tests.support.bursts import Burst
from tests.support.counting import aws_calls

WRONG = "wrong password"
NEW_PASSWORD = "a brand new long password"
ATTACKER = "198.51.100.7"
BOTNET = "203.0.113.5"
HOME = "192.0.2.10"


def configure(monkeypatch: pytest.MonkeyPatch, **values: int) -> None:
    """Settings for this test only (read again on first use)."""
    for name, value in values.items():
        monkeypatch.setenv(name, str(value))
    wiring.reset()


def retry_after(reply: Reply) -> int:
    assert reply.status == 429, reply.body
    assert reply.body["error"]["code"] == "rate_limited"
    return int(reply.headers["retry-after"])


def test_twenty_parallel_wrong_passwords_are_checked_at_most_limit_times_and_the_rest_are_429(
    api: Api, gateway: Gateway, burst: Burst
) -> None:
    ann = api.user()
    limit = get_settings().login_max_failures
    replies = burst.run([lambda: gateway.login(ann.email, WRONG, ATTACKER)] * 20)
    assert burst.checks <= limit
    assert sorted(r.status for r in replies) == [401] * burst.checks + [429] * (20 - burst.checks)
    assert all(retry_after(r) >= 1 for r in replies if r.status == 429)


def test_the_right_password_sent_inside_the_burst_after_the_limit_is_hit_is_429(
    api: Api, gateway: Gateway, burst: Burst
) -> None:
    ann = api.user()
    limit = get_settings().login_max_failures

    def right_password_once_the_limit_is_hit() -> Reply:
        burst.wait_for_checks(limit)
        return gateway.login(ann.email, PASSWORD, BOTNET)

    replies = burst.run(
        [lambda: gateway.login(ann.email, WRONG, ATTACKER)] * 20 + [right_password_once_the_limit_is_hit]
    )
    assert retry_after(replies[-1]) >= 1
    assert burst.checks <= limit


def test_an_address_that_used_up_its_failures_is_429_while_the_owner_signs_in_from_home(
    api: Api, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, CS_LOGIN_ADDRESS_MAX_FAILURES=4)
    ann = api.user()
    for n in range(4):  # credential stuffing: one guess on each of many accounts
        assert gateway.login(f"someone-{n}@example.com", WRONG, ATTACKER).status == 401
    blocked = gateway.login(ann.email, PASSWORD, ATTACKER)
    assert 0 < retry_after(blocked) <= get_settings().login_address_window_seconds
    assert gateway.login(ann.email, PASSWORD, HOME).status == 200


def test_someone_elses_failures_delay_the_owner_by_the_back_off_only(api: Api, gateway: Gateway) -> None:
    ann = api.user()
    limits = get_settings()
    for _ in range(limits.login_max_failures):
        assert gateway.login(ann.email, WRONG, ATTACKER).status == 401
    reply = gateway.login(ann.email, PASSWORD, HOME)
    if reply.status == 429:  # the account backs off for every address; a client waits as told
        wait = retry_after(reply)
        assert wait <= limits.login_backoff_base_seconds
        time.sleep(wait)
        reply = gateway.login(ann.email, PASSWORD, HOME)
    assert reply.status == 200


def test_after_the_free_failures_the_next_try_is_429_with_retry_after(
    api: Api, gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, CS_LOGIN_BACKOFF_BASE_SECONDS=30)
    ann = api.user()
    for _ in range(get_settings().login_max_failures):
        assert gateway.login(ann.email, WRONG, ATTACKER).status == 401
    assert 0 < retry_after(gateway.login(ann.email, PASSWORD, ATTACKER)) <= 30


def test_a_password_change_makes_older_tokens_401_while_a_new_login_works(api: Api, gateway: Gateway) -> None:
    ann = api.user()
    other_device = gateway.login(ann.email, PASSWORD).body["token"]
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    changed = gateway.call("PUT", "/api/users/profile", change, token=ann.token)
    assert changed.status == 200 and changed.body["id"] == ann.id
    for old in (ann.token, other_device):
        for path in ("/api/users/profile", "/api/containers"):
            refused = gateway.call("GET", path, token=old)
            assert refused.status == 401 and "password was changed" in refused.body["error"]["message"]
    assert gateway.call("GET", "/api/users/profile", token=changed.body["token"]).status == 200
    assert gateway.login(ann.email, PASSWORD).status == 401
    fresh = gateway.login(ann.email, NEW_PASSWORD)
    assert fresh.status == 200
    assert gateway.call("GET", "/api/containers", token=fresh.body["token"]).status == 200


def test_checking_tokens_against_password_changes_adds_no_read(api: Api) -> None:
    ann = api.user()
    ann.call("GET", "/api/users/profile")  # warm the cached service objects
    with aws_calls() as profile:
        assert ann.call("GET", "/api/users/profile").status == 200
    with aws_calls() as listing:
        assert ann.call("GET", "/api/containers").status == 200
    assert profile == [("dynamodb", "BatchGetItem"), ("dynamodb", "GetItem")]
    assert listing == [("dynamodb", "BatchGetItem"), ("dynamodb", "Query")]
