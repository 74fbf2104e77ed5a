"""What the account service records in the audit trail: sign-ins (right, wrong, suspended), sign-outs,
password changes, sign-ups; and what a suspension does to sign-in and tokens."""

from __future__ import annotations

import pytest

from chalicelib.adapters.crypto.tokens import JwtTokenIssuer
from chalicelib.domain.accounts.service import AccountService
from chalicelib.domain.shared.errors import AuthenticationFailed
from tests.fakes.accounts import FakeAccounts, FakeHasher, FakeSessions
from tests.fakes.audit import RecordingTrail
from tests.unit.accounts.conftest import HOME, LIMITS, PASSWORD, Clock


@pytest.fixture
def trail() -> RecordingTrail:
    return RecordingTrail()


@pytest.fixture
def accounts() -> FakeAccounts:
    return FakeAccounts()


@pytest.fixture
def service(trail: RecordingTrail, accounts: FakeAccounts) -> AccountService:
    tokens = JwtTokenIssuer(b"s" * 32, "iss", "aud", 3600)
    sessions = FakeSessions(accounts)
    return AccountService(accounts, sessions, FakeHasher(), tokens, limits=LIMITS, clock=Clock(), audit=trail)


def test_sign_up_and_sign_in_are_recorded_in_the_users_own_organization(
    service: AccountService, trail: RecordingTrail
) -> None:
    ann = service.register("ann@example.com", PASSWORD, "Ann")
    service.login("ann@example.com", PASSWORD, client_address=HOME)
    assert trail.actions == ["user.registered", "auth.login"]
    login = trail.only("auth.login")
    assert (login.actor_id, login.organization_id, login.target_id) == (ann.id, ann.default_org_id, ann.id)


def test_a_wrong_password_is_recorded_as_a_failed_sign_in_by_nobody_in_particular(
    service: AccountService, trail: RecordingTrail
) -> None:
    ann = service.register("ann@example.com", PASSWORD, "Ann")
    with pytest.raises(AuthenticationFailed):
        service.login("ANN@example.com", "wrong password", client_address=HOME)
    with pytest.raises(AuthenticationFailed):
        service.login("nobody@example.com", "wrong password", client_address=HOME)
    known, unknown = [e for e in trail.events if e.action == "auth.login_failed"]
    assert (known.actor_id, known.organization_id, known.target_id) == (
        "anonymous",
        ann.default_org_id,
        ann.id,
    )
    assert known.after == {"email": "ann@example.com"}
    assert (unknown.organization_id, unknown.target_id, unknown.after) == (
        None,
        None,
        {"email": "nobody@example.com"},
    )


def test_sign_out_and_a_password_change_are_recorded(service: AccountService, trail: RecordingTrail) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    ann = service.authenticate(service.login("ann@example.com", PASSWORD, client_address=HOME).token, None)
    service.update_profile(
        ann, name=None, current_password=PASSWORD, new_password="another long one", client_address=HOME
    )
    service.logout(ann)
    assert trail.actions[-2:] == ["auth.password_changed", "auth.logout"]
    assert trail.only("auth.password_changed").after is not None


def test_a_suspended_user_cannot_sign_in_and_their_tokens_stop_working(
    service: AccountService, trail: RecordingTrail, accounts: FakeAccounts
) -> None:
    # Given Ann, signed in
    from dataclasses import replace

    user = service.register("ann@example.com", PASSWORD, "Ann")
    token = service.login("ann@example.com", PASSWORD, client_address=HOME).token
    # When she is suspended
    found, password_hash = accounts.users[user.id]
    accounts.users[user.id] = (replace(found, status="suspended"), password_hash)
    # Then her token is refused, and so is her right password (which is recorded)
    with pytest.raises(AuthenticationFailed, match="suspended"):
        service.authenticate(token, None)
    with pytest.raises(AuthenticationFailed, match="suspended"):
        service.login("ann@example.com", PASSWORD, client_address=HOME)
    assert trail.only("auth.login_refused").after == {"reason": "suspended"}
