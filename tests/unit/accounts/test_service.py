"""AccountService with in-memory stores: registration, login, logout, membership, profile."""

from __future__ import annotations

import pytest

from chalicelib.domain.accounts.service import AccountService
from chalicelib.domain.shared.errors import (
    AuthenticationFailed,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tests.unit.accounts.conftest import HOME, PASSWORD, World

NEW_PASSWORD = "another long one"


def test_registration_creates_the_users_own_organization(service: AccountService) -> None:
    user = service.register("Ann@Example.com", PASSWORD, "Ann")
    assert user.email == "ann@example.com"
    assert user.default_org_id
    result = service.login("ann@example.com", PASSWORD, client_address=HOME)
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
            service.login(email, password, client_address=HOME)


def test_logout_revokes_the_token(service: AccountService) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    token = service.login("ann@example.com", PASSWORD, client_address=HOME).token
    service.logout(service.authenticate(token, None))
    with pytest.raises(AuthenticationFailed, match="revoked"):
        service.authenticate(token, None)


def test_acting_in_someone_elses_organization_is_forbidden(service: AccountService) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    bob = service.register("bob@example.com", PASSWORD, "Bob")
    token = service.login("ann@example.com", PASSWORD, client_address=HOME).token
    with pytest.raises(PermissionDenied):
        service.authenticate(token, bob.default_org_id)
    ann = service.authenticate(token, None)
    with pytest.raises(NotFound):
        service.organization(ann, bob.default_org_id)


def test_changing_the_password_needs_the_current_one(service: AccountService) -> None:
    service.register("ann@example.com", PASSWORD, "Ann")
    ann = service.authenticate(service.login("ann@example.com", PASSWORD, client_address=HOME).token, None)
    with pytest.raises(ValidationFailed):
        service.update_profile(
            ann, name=None, current_password=None, new_password="another long one", client_address=HOME
        )
    with pytest.raises(PermissionDenied):
        service.update_profile(
            ann,
            name=None,
            current_password="wrong password",
            new_password="another long one",
            client_address=HOME,
        )
    service.update_profile(
        ann, name="Ann B", current_password=PASSWORD, new_password="another long one", client_address=HOME
    )
    assert service.login("ann@example.com", "another long one", client_address=HOME).user.name == "Ann B"


def test_ensure_admin_creates_once(service: AccountService) -> None:
    assert service.ensure_admin("root@example.com", PASSWORD) is True
    assert service.ensure_admin("root@example.com", "ignored password") is False
    assert service.login("root@example.com", PASSWORD, client_address=HOME).user.role == "admin"


def test_a_password_change_ends_every_older_token_and_answers_a_fresh_one(world: World) -> None:
    service = world.service
    service.register("ann@example.com", PASSWORD, "Ann")
    this_device = service.login("ann@example.com", PASSWORD, client_address=HOME).token
    other_device = service.login("ann@example.com", PASSWORD, client_address=HOME).token
    ann = service.authenticate(this_device, None)
    update = service.update_profile(
        ann, name=None, current_password=PASSWORD, new_password=NEW_PASSWORD, client_address=HOME
    )
    for old in (this_device, other_device):
        with pytest.raises(AuthenticationFailed, match="password was changed"):
            service.authenticate(old, None)
    assert update.token is not None and update.expires_at is not None
    assert service.authenticate(update.token, None).user_id == ann.user_id
    again = service.login("ann@example.com", NEW_PASSWORD, client_address=HOME).token
    assert service.authenticate(again, None).user_id == ann.user_id


def test_a_name_change_keeps_the_token(world: World) -> None:
    service = world.service
    service.register("ann@example.com", PASSWORD, "Ann")
    token = service.login("ann@example.com", PASSWORD, client_address=HOME).token
    update = service.update_profile(
        service.authenticate(token, None),
        name="Ann B",
        current_password=None,
        new_password=None,
        client_address=HOME,
    )
    assert update.user.name == "Ann B" and update.token is None
    assert service.authenticate(token, None).user_id == update.user.id


def test_the_token_of_an_account_that_no_longer_exists_is_refused(world: World) -> None:
    user = world.service.register("ann@example.com", PASSWORD, "Ann")
    token = world.service.login("ann@example.com", PASSWORD, client_address=HOME).token
    del world.accounts.users[user.id]
    with pytest.raises(AuthenticationFailed, match="no longer exists"):
        world.service.authenticate(token, None)
