"""AccountRepository and SessionRepository: users, organizations, memberships, revocations, login counters.

Each public method is one DynamoDB call unless its docstring says otherwise.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.transactions import TransactGet

from chalicelib.domain.accounts.entities import Membership, NewAccount, Organization, User
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.principal import OrgRole, PlatformRole
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.store import keys
from chalicelib.store.accounts.models import EmailItem, MemberItem, OrganizationItem, UserItem, WalletItem
from chalicelib.store.table import (
    EphemeralItem,
    Item,
    TransactionCancelled,
    connection,
    is_condition_failure,
    transaction,
)


def _user(item: UserItem) -> User:
    return User(
        id=item.id,
        email=item.email,
        name=item.name,
        role=cast(PlatformRole, item.role),
        default_org_id=item.default_org_id,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _org(item: OrganizationItem) -> Organization:
    return Organization(
        id=item.id,
        name=item.name,
        slug=item.slug,
        owner_id=item.owner_id,
        settings=dict(item.settings or {}),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _membership(item: MemberItem) -> Membership:
    return Membership(
        organization_id=item.organization_id,
        organization_name=item.organization_name,
        user_id=item.user_id,
        role=cast(OrgRole, item.role),
    )


class AccountRepository:
    """Users, their email guards, organizations, memberships and wallets."""

    def create_account(self, account: NewAccount) -> None:
        """One TransactWrite: email guard, user, organization, wallet, membership both ways.

        Raises Conflict when the email is already registered.
        """
        user, org, member, wallet = account.user, account.organization, account.membership, account.wallet
        now = user.created_at
        stamps: dict[str, Any] = {"created_at": now, "updated_at": now}
        guard = EmailItem(keys.email_pk(user.email), keys.EMAIL_SK, user_id=user.id, **stamps)
        user_item = UserItem(
            keys.user_pk(user.id),
            keys.USER_SK,
            id=user.id,
            email=user.email,
            name=user.name,
            password_hash=account.password_hash,
            role=user.role,
            default_org_id=user.default_org_id,
            **stamps,
        )
        org_item = OrganizationItem(
            keys.org_pk(org.id),
            keys.ORG_SK,
            id=org.id,
            name=org.name,
            slug=org.slug,
            owner_id=org.owner_id,
            settings=org.settings,
            **stamps,
        )
        wallet_item = WalletItem(
            keys.org_pk(org.id),
            keys.WALLET_SK,
            id=wallet.id,
            organization_id=org.id,
            balance_cents=wallet.balance_cents,
            currency=wallet.currency,
            **stamps,
        )
        by_org, by_user = (
            MemberItem(
                pk,
                sk,
                organization_id=org.id,
                user_id=user.id,
                role=member.role,
                organization_name=org.name,
                **stamps,
            )
            for pk, sk in (
                (keys.org_pk(org.id), keys.member_sk(user.id)),
                (keys.user_pk(user.id), keys.membership_sk(org.id)),
            )
        )
        try:
            with tenant_scope(org.id), transaction() as tx:
                tx.save("email", guard, condition=EmailItem.pk.does_not_exist())
                for name, item in (
                    ("user", user_item),
                    ("organization", org_item),
                    ("wallet", wallet_item),
                    ("member", by_org),
                    ("membership", by_user),
                ):
                    tx.save(name, item, condition=Item.pk.does_not_exist())
        except TransactionCancelled as exc:
            if "email" in exc.failed:
                raise Conflict(
                    "An account with this email already exists.", details={"field": "email"}
                ) from exc
            raise

    def user_id_for_email(self, email: str) -> str | None:
        try:
            return EmailItem.get(keys.email_pk(email), keys.EMAIL_SK).user_id
        except DoesNotExist:
            return None

    def get_user(self, user_id: str) -> tuple[User, str] | None:
        """The user and their password hash."""
        try:
            item = UserItem.get(keys.user_pk(user_id), keys.USER_SK, consistent_read=True)
        except DoesNotExist:
            return None
        return _user(item), item.password_hash

    def update_user(
        self, user_id: str, now: datetime, *, name: str | None = None, password_hash: str | None = None
    ) -> User:
        item = UserItem(keys.user_pk(user_id), keys.USER_SK)
        actions: list[Any] = [UserItem.updated_at.set(now)]
        if name is not None:
            actions.append(UserItem.name.set(name))
        if password_hash is not None:
            actions.append(UserItem.password_hash.set(password_hash))
        try:
            item.update(actions=actions, condition=UserItem.pk.exists())
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("The user no longer exists.") from exc
            raise
        return _user(item)

    def set_role(self, user_id: str, role: PlatformRole, now: datetime) -> None:
        try:
            UserItem(keys.user_pk(user_id), keys.USER_SK).update(
                actions=[UserItem.role.set(role), UserItem.updated_at.set(now)],
                condition=UserItem.pk.exists(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("The user no longer exists.") from exc
            raise

    def list_memberships(self, user_id: str) -> list[Membership]:
        """One Query: every organization the user belongs to."""
        return [
            _membership(item)
            for item in MemberItem.query(
                keys.user_pk(user_id), MemberItem.sk.startswith(keys.MEMBERSHIP_PREFIX)
            )
        ]

    def get_organization(self, org_id: str) -> Organization | None:
        try:
            with tenant_scope(org_id):
                return _org(OrganizationItem.get(keys.org_pk(org_id), keys.ORG_SK))
        except DoesNotExist:
            return None


class SessionRepository:
    """Per-request auth reads and short-lived records in the TTL table."""

    def auth_snapshot(
        self, token_id: str, org_id: str | None, user_id: str
    ) -> tuple[bool, Membership | None]:
        """One TransactGetItems across both tables: is the token revoked, and the membership."""
        with tenant_scope(org_id) if org_id else nullcontext(), TransactGet(connection=connection()) as tx:
            revoked = tx.get(EphemeralItem, keys.revoked_pk(token_id), keys.EPHEMERAL_SK)
            member = tx.get(MemberItem, keys.org_pk(org_id), keys.member_sk(user_id)) if org_id else None
        is_revoked = _future_value(revoked) is not None
        member_item = _future_value(member) if member is not None else None
        return is_revoked, _membership(member_item) if isinstance(member_item, MemberItem) else None

    def is_revoked(self, token_id: str) -> bool:
        try:
            EphemeralItem.get(keys.revoked_pk(token_id), keys.EPHEMERAL_SK)
        except DoesNotExist:
            return False
        return True

    def revoke(self, token_id: str, expires: datetime) -> None:
        EphemeralItem(keys.revoked_pk(token_id), keys.EPHEMERAL_SK, expires=expires).save()

    def login_failures(self, email: str) -> tuple[int, int]:
        """(failures, window start as epoch seconds)."""
        try:
            item = EphemeralItem.get(keys.login_failures_pk(email), keys.EPHEMERAL_SK, consistent_read=True)
        except DoesNotExist:
            return 0, 0
        return int(item.failures), int(item.window_start)

    def record_login_failure(self, email: str, now: int, window: int, expires: datetime) -> None:
        """Count a failure; a window that has ended starts again at `now`."""
        item = EphemeralItem(keys.login_failures_pk(email), keys.EPHEMERAL_SK)
        try:
            item.update(
                actions=[EphemeralItem.failures.add(1), EphemeralItem.expires.set(expires)],
                condition=EphemeralItem.window_start > now - window,
            )
        except UpdateError as exc:  # window over or no item yet: start a new window
            if not is_condition_failure(exc):
                raise
            EphemeralItem(
                keys.login_failures_pk(email),
                keys.EPHEMERAL_SK,
                failures=1,
                window_start=now,
                expires=expires,
            ).save()

    def clear_login_failures(self, email: str) -> None:
        EphemeralItem(keys.login_failures_pk(email), keys.EPHEMERAL_SK).delete()


def _future_value(future: Any) -> Any:
    try:
        return future.get()
    except DoesNotExist:
        return None
