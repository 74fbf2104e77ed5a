"""Sign-in protection over in-memory stores: counted before the check, account back-off, address limit."""

from __future__ import annotations

import pytest

from chalicelib.domain.accounts.entities import LoginResult, address_bucket
from chalicelib.domain.accounts.service import AccountService
from chalicelib.domain.shared.errors import AuthenticationFailed, PermissionDenied, RateLimited
from tests.support.bursts import Burst
from tests.unit.accounts.conftest import ELSEWHERE, HOME, LIMITS, PASSWORD, World

ANN = "ann@example.com"
WRONG = "wrong password"


def attempt(
    service: AccountService, password: str, address: str, email: str = ANN
) -> LoginResult | Exception:
    try:
        return service.login(email, password, client_address=address)
    except (AuthenticationFailed, RateLimited) as exc:
        return exc


def fail(service: AccountService, times: int, address: str = ELSEWHERE, email: str = ANN) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            service.login(email, WRONG, client_address=address)


def refused(service: AccountService, password: str, address: str) -> RateLimited:
    with pytest.raises(RateLimited) as caught:
        service.login(ANN, password, client_address=address)
    return caught.value


def test_twenty_parallel_wrong_passwords_check_at_most_the_limit(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    burst = Burst()
    world.hasher.before_check = burst.hold_check
    results = burst.run([lambda: attempt(world.service, WRONG, ELSEWHERE)] * 20)
    assert burst.checks <= LIMITS.free_failures
    assert sum(isinstance(r, AuthenticationFailed) for r in results) == burst.checks
    limited = [r for r in results if isinstance(r, RateLimited)]
    assert len(limited) == 20 - burst.checks
    assert all(r.retry_after >= 1 for r in limited)


def test_the_right_password_sent_after_the_limit_is_hit_inside_a_burst_is_refused(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    burst = Burst()
    world.hasher.before_check = burst.hold_check

    def right_password_after_the_limit() -> LoginResult | Exception:
        burst.wait_for_checks(LIMITS.free_failures)
        return attempt(world.service, PASSWORD, ELSEWHERE)

    results = burst.run(
        [lambda: attempt(world.service, WRONG, ELSEWHERE)] * 20 + [right_password_after_the_limit]
    )
    assert isinstance(results[-1], RateLimited)
    assert burst.checks <= LIMITS.free_failures


def test_after_the_free_failures_each_attempt_waits_twice_as_long_up_to_the_cap(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    fail(world.service, LIMITS.free_failures)
    waits = []
    for _ in range(9):
        wait = refused(world.service, WRONG, ELSEWHERE).retry_after
        waits.append(wait)
        world.clock.advance(wait)
        fail(world.service, 1)
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_someone_elses_failures_delay_the_owner_only_by_the_back_off(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    fail(world.service, LIMITS.free_failures, address=ELSEWHERE)
    wait = refused(world.service, PASSWORD, HOME).retry_after
    assert wait == LIMITS.backoff_base_seconds
    world.clock.advance(wait)
    assert world.service.login(ANN, PASSWORD, client_address=HOME).user.email == ANN


def test_the_right_password_forgets_the_accounts_failures(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    fail(world.service, LIMITS.free_failures - 1, address=HOME)
    world.service.login(ANN, PASSWORD, client_address=HOME)
    fail(world.service, LIMITS.free_failures - 1, address=HOME)
    assert world.service.login(ANN, PASSWORD, client_address=HOME).user.email == ANN


def test_the_account_forgets_its_failures_after_a_quiet_period(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    fail(world.service, LIMITS.free_failures)
    refused(world.service, WRONG, ELSEWHERE)
    world.clock.advance(LIMITS.memory_seconds)
    fail(world.service, LIMITS.free_failures)
    refused(world.service, WRONG, ELSEWHERE)


def test_an_address_that_used_up_its_failures_is_refused_while_other_addresses_sign_in(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    for n in range(LIMITS.address_max_failures):
        fail(world.service, 1, address=ELSEWHERE, email=f"guess-{n}@example.com")
    checks = world.hasher.checks
    wait = refused(world.service, PASSWORD, ELSEWHERE).retry_after
    assert 0 < wait <= LIMITS.address_window_seconds
    assert world.hasher.checks == checks  # refused before any check
    assert world.service.login(ANN, PASSWORD, client_address=HOME).user.email == ANN
    world.clock.advance(wait)
    assert world.service.login(ANN, PASSWORD, client_address=ELSEWHERE).user.email == ANN


def test_waiting_out_a_back_off_does_not_use_up_the_owners_address(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    fail(world.service, LIMITS.free_failures, address=ELSEWHERE)
    for _ in range(LIMITS.address_max_failures + 5):
        refused(world.service, PASSWORD, HOME)
    world.clock.advance(LIMITS.backoff_base_seconds)
    assert world.service.login(ANN, PASSWORD, client_address=HOME).user.email == ANN


def test_a_check_that_crashes_leaves_the_account_usable(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")

    def crash() -> None:
        raise RuntimeError("the hasher died")

    world.hasher.before_check = crash
    with pytest.raises(RuntimeError):
        world.service.login(ANN, PASSWORD, client_address=HOME)
    world.hasher.before_check = None
    assert world.service.login(ANN, PASSWORD, client_address=HOME).user.email == ANN


def test_checking_the_current_password_on_a_change_counts_as_a_sign_in_attempt(world: World) -> None:
    world.service.register(ANN, PASSWORD, "Ann")
    ann = world.service.authenticate(world.service.login(ANN, PASSWORD, client_address=HOME).token, None)
    for _ in range(LIMITS.free_failures):
        with pytest.raises(PermissionDenied):
            world.service.update_profile(
                ann,
                name=None,
                current_password=WRONG,
                new_password="a new long one",
                client_address=ELSEWHERE,
            )
    checks = world.hasher.checks
    with pytest.raises(RateLimited):
        world.service.update_profile(
            ann, name=None, current_password=PASSWORD, new_password="a new long one", client_address=ELSEWHERE
        )
    assert world.hasher.checks == checks


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("192.0.2.1", "192.0.2.2", False),
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", True),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("::ffff:192.0.2.1", "192.0.2.1", True),
    ],
)
def test_ipv6_addresses_count_per_64_and_mapped_ipv4_as_ipv4(one: str, other: str, same: bool) -> None:
    assert (address_bucket(one) == address_bucket(other)) is same
