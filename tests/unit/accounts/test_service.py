"""AccountService with in-memory stores: registration, login, rate limit, logout, membership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.adapters.crypto.passwords import Argon2PasswordHasher as PasswordHasher
from chalicelib.adapters.crypto.tokens import JwtTokenIssuer as TokenService
from chalicelib.domain.accounts.service import AccountService
from chalicelib.domain.shared.errors import (
    AuthenticationFailed,
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from tests.fakes.accounts import FakeAccounts, FakeSessions

PASSWORD = "a good long password"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(clock: Clock) -> AccountService:
    accounts = FakeAccounts()
    return AccountService(
        accounts,
        FakeSessions(accounts),
        PasswordHasher(),
        TokenService(b"s" * 32, "iss", "aud", 3600),
        max_failures=5,
        failure_window_seconds=900,
        clock=clock,
    )


def test_registration_creates_the_users_own_organization(service: AccountService) -> None:
    user = service.register("Ann@Example.com", PASSWORD, "Ann")
    assert user.email == "ann@example.com"
    assert user.default_org_id
    result = service.login("ann@example.com", PASSWORD)
    principal = service.authenticate(result.token, None)
    assert principal.organization_id == user.default_org_id
    assert principal.organization_role == "owner"


def test_a_duplicate_email_is_a_conflict(service: AccountService) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    with pytest.raises(Conflict):
        service.register("ANN@example.com", PASSWORD, "Other Ann")


def test_a_short_password_is_refused_naming_the_field(service: AccountService) -> None:
    with pytest.raises(ValidationFailed) as caught:
        service.register("ann@example.com", "short", "Ann")
    assert caught.value.details == {"field": "password"}


def test_wrong_password_and_unknown_email_look_the_same(service: AccountService) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    for email, password in (("ann@example.com", "wrong password"), ("nobody@example.com", PASSWORD)):
        with pytest.raises(AuthenticationFailed, match="email or password"):
            service.login(email, password)


def test_five_failures_lock_the_email_for_the_window(service: AccountService, clock: Clock) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            service.login("ann@example.com", "wrong password")
    with pytest.raises(RateLimited) as caught:
        service.login("ann@example.com", PASSWORD)
    assert 0 < caught.value.retry_after <= 900
    clock.now += timedelta(seconds=901)
    assert service.login("ann@example.com", PASSWORD).token


def test_logout_revokes_the_token(service: AccountService) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    token = service.login("ann@example.com", PASSWORD).token
    service.logout(service.authenticate(token, None))
    with pytest.raises(AuthenticationFailed, match="revoked"):
        service.authenticate(token, None)


def test_acting_in_someone_elses_organization_is_forbidden(service: AccountService) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    bob = service.register("bob@example.com", PASSWORD, "Bob")
    token = service.login("ann@example.com", PASSWORD).token
    with pytest.raises(PermissionDenied):
        service.authenticate(token, bob.default_org_id)
    ann = service.authenticate(token, None)
    with pytest.raises(NotFound):
        service.organization(ann, bob.default_org_id)


def test_changing_the_password_needs_the_current_one(service: AccountService) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    ann = service.authenticate(service.login("ann@example.com", PASSWORD).token, None)
    with pytest.raises(ValidationFailed):
        service.update_profile(ann, name=None, current_password=None, new_password="another long one")
    with pytest.raises(PermissionDenied):
        service.update_profile(
            ann, name=None, current_password="wrong password", new_password="another long one"
        )
    service.update_profile(ann, name="Ann B", current_password=PASSWORD, new_password="another long one")
    assert service.login("ann@example.com", "another long one").user.name == "Ann B"


def test_ensure_admin_creates_once(service: AccountService) -> None:
    assert service.ensure_admin("root@example.com", PASSWORD) is True
    assert service.ensure_admin("root@example.com", "ignored password") is False
    assert service.login("root@example.com", PASSWORD).user.role == "admin"
