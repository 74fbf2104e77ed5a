"""The Accounts port, run against AccountRepository on moto and against FakeAccounts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.shared.errors import Conflict, NotFound
from tests.contract.builders import later, new_account, new_id
from tests.contract.conftest import AccountStores


def test_a_created_account_reads_back_user_organization_and_membership(account_stores: AccountStores) -> None:
    # Given a sign-up
    account = new_account()
    # When it is stored
    account_stores.accounts.create_account(account)
    # Then every part of it reads back as written
    store = account_stores.accounts
    assert store.get_user(account.user.id) == (account.user, account.password_hash)
    assert store.user_id_for_email(account.user.email) == account.user.id
    assert store.get_organization(account.organization.id) == account.organization
    assert store.list_memberships(account.user.id) == [account.membership]


def test_the_email_lookup_ignores_case_and_surrounding_spaces(account_stores: AccountStores) -> None:
    # Given an account registered with a mixed-case email
    account = new_account(email="Ann@Example.com")
    account_stores.accounts.create_account(account)
    # When it is looked up in another spelling
    found = account_stores.accounts.user_id_for_email("  ann@EXAMPLE.com ")
    # Then it is the same user
    assert found == account.user.id


def test_a_second_account_with_the_same_email_is_a_conflict_and_writes_nothing(
    account_stores: AccountStores,
) -> None:
    # Given Ann's account
    first = new_account(email="ann@example.com")
    account_stores.accounts.create_account(first)
    # When someone signs up again with the same address in other case
    second = new_account(email="ANN@example.com", name="Impostor")
    with pytest.raises(Conflict) as raised:
        account_stores.accounts.create_account(second)
    # Then the error names the email field, and nothing of the second sign-up exists
    assert raised.value.details == {"field": "email"}
    store = account_stores.accounts
    assert store.get_user(second.user.id) is None
    assert store.get_organization(second.organization.id) is None
    assert store.list_memberships(second.user.id) == []
    assert store.user_id_for_email("ann@example.com") == first.user.id


def test_unknown_users_emails_and_organizations_are_absent(account_stores: AccountStores) -> None:
    store = account_stores.accounts
    assert store.get_user(new_id()) is None
    assert store.user_id_for_email("nobody@example.com") is None
    assert store.get_organization(new_id()) is None
    assert store.list_memberships(new_id()) == []


def test_renaming_a_user_keeps_the_password_hash(account_stores: AccountStores) -> None:
    # Given Ann
    account = new_account()
    account_stores.accounts.create_account(account)
    # When she changes her name
    updated = account_stores.accounts.update_user(account.user.id, later(), name="Ann B.")
    # Then the new name is returned and stored, with the time of the change and the same hash
    expected = replace(account.user, name="Ann B.", updated_at=later())
    assert updated == expected
    assert account_stores.accounts.get_user(account.user.id) == (expected, account.password_hash)


def test_changing_the_password_hash_keeps_the_name(account_stores: AccountStores) -> None:
    # Given Ann
    account = new_account()
    account_stores.accounts.create_account(account)
    # When her password hash changes
    updated = account_stores.accounts.update_user(account.user.id, later(), password_hash="hash-2")
    # Then only the hash (and the time of the change) is new
    expected = replace(account.user, updated_at=later())
    assert updated == expected
    assert account_stores.accounts.get_user(account.user.id) == (expected, "hash-2")


def test_updating_a_missing_user_is_not_found_and_creates_nothing(account_stores: AccountStores) -> None:
    ghost = new_id()
    with pytest.raises(NotFound):
        account_stores.accounts.update_user(ghost, later(), name="Ghost")
    with pytest.raises(NotFound):
        account_stores.accounts.update_user(ghost, later(), password_hash="hash-2")
    assert account_stores.accounts.get_user(ghost) is None


def test_setting_the_platform_role_is_stored(account_stores: AccountStores) -> None:
    # Given Ann, a user
    account = new_account()
    account_stores.accounts.create_account(account)
    # When she is made an admin
    account_stores.accounts.set_role(account.user.id, "admin", later())
    # Then her record says so, and nothing else changed
    found = account_stores.accounts.get_user(account.user.id)
    assert found == (replace(account.user, role="admin", updated_at=later()), account.password_hash)


def test_setting_the_role_of_a_missing_user_is_not_found(account_stores: AccountStores) -> None:
    ghost = new_id()
    with pytest.raises(NotFound):
        account_stores.accounts.set_role(ghost, "admin", later())
    assert account_stores.accounts.get_user(ghost) is None
