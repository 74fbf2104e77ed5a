"""The Sessions port, run against SessionRepository on moto and against FakeSessions."""

from __future__ import annotations

from tests.contract.builders import later, new_account, new_id
from tests.contract.conftest import AccountStores

WINDOW = 900
START = 1_767_268_800  # epoch seconds


def test_a_revoked_token_is_revoked_and_others_are_not(account_stores: AccountStores) -> None:
    # Given one revoked token
    token, other = new_id(), new_id()
    account_stores.sessions.revoke(token, later(3600))
    # Then only that one reads as revoked
    assert account_stores.sessions.is_revoked(token)
    assert not account_stores.sessions.is_revoked(other)


def test_revoking_twice_is_harmless(account_stores: AccountStores) -> None:
    token = new_id()
    account_stores.sessions.revoke(token, later(3600))
    account_stores.sessions.revoke(token, later(7200))
    assert account_stores.sessions.is_revoked(token)


def test_the_auth_snapshot_of_a_member_has_the_membership(account_stores: AccountStores) -> None:
    # Given Ann, owner of her organization
    account = new_account()
    account_stores.accounts.create_account(account)
    # When a live token of hers asks about her organization
    snapshot = account_stores.sessions.auth_snapshot(new_id(), account.organization.id, account.user.id)
    # Then it is not revoked and she is the owner
    assert snapshot == (False, account.membership)


def test_the_auth_snapshot_reports_a_revoked_token_with_the_membership(account_stores: AccountStores) -> None:
    account = new_account()
    account_stores.accounts.create_account(account)
    token = new_id()
    account_stores.sessions.revoke(token, later(3600))
    snapshot = account_stores.sessions.auth_snapshot(token, account.organization.id, account.user.id)
    assert snapshot == (True, account.membership)


def test_the_auth_snapshot_has_no_membership_in_another_organization(account_stores: AccountStores) -> None:
    # Given Ann and Bob, each in their own organization
    ann, bob = new_account(), new_account(email="bob@example.com", name="Bob")
    account_stores.accounts.create_account(ann)
    account_stores.accounts.create_account(bob)
    # When Ann's token asks about Bob's organization, or an unknown one
    to_bob = account_stores.sessions.auth_snapshot(new_id(), bob.organization.id, ann.user.id)
    to_nowhere = account_stores.sessions.auth_snapshot(new_id(), new_id(), ann.user.id)
    # Then there is no membership
    assert to_bob == (False, None)
    assert to_nowhere == (False, None)


def test_the_auth_snapshot_without_an_organization_reads_only_the_revocation(
    account_stores: AccountStores,
) -> None:
    account = new_account()
    account_stores.accounts.create_account(account)
    token = new_id()
    account_stores.sessions.revoke(token, later(3600))
    assert account_stores.sessions.auth_snapshot(token, None, account.user.id) == (True, None)
    assert account_stores.sessions.auth_snapshot(new_id(), None, account.user.id) == (False, None)


def test_an_email_without_failures_has_none(account_stores: AccountStores) -> None:
    assert account_stores.sessions.login_failures("ann@example.com") == (0, 0)


def test_failures_inside_the_window_add_up_from_the_first_one(account_stores: AccountStores) -> None:
    # Given a failed login
    sessions = account_stores.sessions
    sessions.record_login_failure("ann@example.com", START, WINDOW, later(WINDOW))
    # When two more fail before the window ends
    sessions.record_login_failure("ann@example.com", START + 10, WINDOW, later(WINDOW))
    sessions.record_login_failure("ann@example.com", START + WINDOW - 1, WINDOW, later(WINDOW))
    # Then three failures count, in the window that began with the first
    assert sessions.login_failures("ann@example.com") == (3, START)


def test_a_failure_after_the_window_starts_a_new_window(account_stores: AccountStores) -> None:
    # Given two failures
    sessions = account_stores.sessions
    sessions.record_login_failure("ann@example.com", START, WINDOW, later(WINDOW))
    sessions.record_login_failure("ann@example.com", START + 1, WINDOW, later(WINDOW))
    # When the next one comes exactly when the window is over
    sessions.record_login_failure("ann@example.com", START + WINDOW, WINDOW, later(2 * WINDOW))
    # Then counting starts again from it
    assert sessions.login_failures("ann@example.com") == (1, START + WINDOW)


def test_failures_are_counted_per_address_whatever_its_case(account_stores: AccountStores) -> None:
    sessions = account_stores.sessions
    sessions.record_login_failure("Ann@Example.com", START, WINDOW, later(WINDOW))
    sessions.record_login_failure("ann@example.com ", START + 1, WINDOW, later(WINDOW))
    assert sessions.login_failures("ANN@example.com") == (2, START)
    assert sessions.login_failures("bob@example.com") == (0, 0)


def test_clearing_failures_forgets_them(account_stores: AccountStores) -> None:
    # Given failures for Ann and Bob
    sessions = account_stores.sessions
    sessions.record_login_failure("ann@example.com", START, WINDOW, later(WINDOW))
    sessions.record_login_failure("bob@example.com", START, WINDOW, later(WINDOW))
    # When Ann's are cleared (and those of an address that never failed)
    sessions.clear_login_failures("ann@example.com")
    sessions.clear_login_failures("nobody@example.com")
    # Then Ann starts from zero and Bob's count stays
    assert sessions.login_failures("ann@example.com") == (0, 0)
    assert sessions.login_failures("bob@example.com") == (1, START)
