"""AccountRepository and SessionRepository: users, organizations, memberships, revocations, login counters.

Each public method is one DynamoDB call unless its docstring says otherwise.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.domain.accounts.entities import (
    AttemptCount,
    AuthSnapshot,
    Membership,
    NewAccount,
    Organization,
    User,
)
from chalicelib.domain.quotas.entities import DEFAULT_PACKAGE_ID, Usage
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.principal import OrgRole, PlatformRole
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.store import keys
from chalicelib.store.accounts.admins import admin_item, set_admin
from chalicelib.store.accounts.mapping import organization_of, user_of
from chalicelib.store.accounts.models import EmailItem, MemberItem, OrganizationItem, UserItem, WalletItem
from chalicelib.store.admin.directory import add_to_directory, renamed_in_directory
from chalicelib.store.quotas.repository import quota_item
from chalicelib.store.table import (
    EphemeralItem,
    Item,
    TransactionCancelled,
    connection,
    is_condition_failure,
    transaction,
)


def _membership(item: MemberItem) -> Membership:
    return Membership(
        organization_id=item.organization_id,
        organization_name=item.organization_name,
        user_id=item.user_id,
        role=cast(OrgRole, item.role),
        project_ids=tuple(str(p) for p in item.project_ids) if item.project_ids is not None else None,
    )


class AccountRepository:
    """Users, their email guards, organizations, memberships and wallets."""

    def create_account(self, account: NewAccount) -> None:
        """One TransactWrite: email guard, user, organization, wallet, membership both ways, and the
        organization's quota counters on the default package.

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
            owner_count=1,
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
                add_to_directory(tx, user_item, org_item, now)  # the admin area's indexes and counters
                tx.save("email", guard, condition=EmailItem.pk.does_not_exist())
                for name, item in (
                    ("user", user_item),
                    ("organization", org_item),
                    ("wallet", wallet_item),
                    ("member", by_org),
                    ("membership", by_user),
                    ("quota", quota_item(org.id, DEFAULT_PACKAGE_ID, Usage(), now)),  # the default package
                ):
                    tx.save(name, item, condition=Item.pk.does_not_exist())
                if user.role == "admin":
                    tx.save("admin", admin_item(user.id, now))
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
        return user_of(item), item.password_hash

    def update_user(
        self,
        user_id: str,
        now: datetime,
        *,
        name: str | None = None,
        password_hash: str | None = None,
        tokens_valid_after: int | None = None,
    ) -> User:
        item = UserItem(keys.user_pk(user_id), keys.USER_SK)
        actions: list[Any] = [UserItem.updated_at.set(now)]
        if name is not None:
            actions.append(UserItem.name.set(name))
        if password_hash is not None:
            actions.append(UserItem.password_hash.set(password_hash))
        if tokens_valid_after is not None:
            actions.append(UserItem.tokens_valid_after.set(tokens_valid_after))
        try:
            item.update(actions=actions, condition=UserItem.pk.exists())
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("The user no longer exists.") from exc
            raise
        if name is not None:
            renamed_in_directory(user_of(item))
        return user_of(item)

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
        set_admin(user_id, role == "admin", now)

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
                return organization_of(OrganizationItem.get(keys.org_pk(org_id), keys.ORG_SK))
        except DoesNotExist:
            return None


class SessionRepository:
    """Per-request auth reads and short-lived records in the TTL table.

    The sign-in counters are changed only by conditional UpdateItems that return the new item
    (ReturnValues=ALL_NEW), so parallel attempts are counted one by one against the limit. A refused
    update is followed by one consistent GetItem (to say how long to wait, or to restart a counter whose
    TTL has passed but which DynamoDB has not deleted yet).
    """

    def auth_snapshot(self, token_id: str, org_id: str | None, user_id: str) -> AuthSnapshot:
        """One BatchGetItem across both tables, consistent reads: revocation, user and (org given) membership.

        Half the read cost of a TransactGetItems; every read is strongly consistent, so a logout, a password
        change or a removed membership counts from the next request on. Keys DynamoDB leaves unprocessed
        (throttling) are asked for again.
        """
        revoked_key = _key(keys.revoked_pk(token_id), keys.EPHEMERAL_SK)
        user_key = _key(keys.user_pk(user_id), keys.USER_SK)
        member_key = _key(keys.org_pk(org_id), keys.member_sk(user_id)) if org_id else None
        main_keys = [user_key] + ([member_key] if member_key is not None else [])
        requested: dict[str, Any] = {
            EphemeralItem.Meta.table_name: {"Keys": [revoked_key], "ConsistentRead": True},
            UserItem.Meta.table_name: {"Keys": main_keys, "ConsistentRead": True},
        }
        found: dict[str, list[dict[str, Any]]] = {}
        with tenant_scope(org_id) if org_id else nullcontext():
            while requested:
                answer = connection().dispatch("BatchGetItem", {"RequestItems": requested})
                for table, items in answer.get("Responses", {}).items():
                    found.setdefault(table, []).extend(items)
                requested = answer.get("UnprocessedKeys") or {}
        main = found.get(UserItem.Meta.table_name, [])
        users = [UserItem.from_raw_data(raw) for raw in main if raw.get("sk") == user_key["sk"]]
        members = [
            MemberItem.from_raw_data(raw)
            for raw in main
            if member_key is not None
            and raw.get("pk") == member_key["pk"]
            and raw.get("sk") == member_key["sk"]
        ]
        user_item = users[0] if users else None
        return AuthSnapshot(
            revoked=bool(found.get(EphemeralItem.Meta.table_name)),
            user_exists=user_item is not None,
            tokens_valid_after=int(user_item.tokens_valid_after or 0) if user_item is not None else 0,
            membership=_membership(members[0]) if members else None,
            suspended=user_item is not None and user_item.status == "suspended",
        )

    def revoke(self, token_id: str, expires: datetime) -> None:
        EphemeralItem(keys.revoked_pk(token_id), keys.EPHEMERAL_SK, expires=expires).save()

    def claim_account_attempt(
        self, email: str, now: int, *, free: int, hold_until: int, expires: int
    ) -> AttemptCount:
        """UpdateItem `ADD failures :1 SET next_allowed = :hold, expires = :exp` on condition
        `attribute_not_exists(pk) OR (expires > :now AND (failures < :free OR next_allowed <= :now))`."""
        key = keys.login_failures_pk(email)
        current = None
        for _ in range(_CONTENDED_RETRIES):
            item = EphemeralItem(key, keys.EPHEMERAL_SK)
            allowed = (
                (EphemeralItem.failures < free)
                | EphemeralItem.next_allowed.does_not_exist()
                | (EphemeralItem.next_allowed <= now)
            )
            try:
                item.update(
                    actions=[
                        EphemeralItem.failures.add(1),
                        EphemeralItem.next_allowed.set(hold_until),
                        EphemeralItem.expires.set(_at(expires)),
                    ],
                    condition=EphemeralItem.pk.does_not_exist()
                    | ((EphemeralItem.expires > _at(now)) & allowed),
                )
                return AttemptCount(True, int(item.failures), hold_until)
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
            current = _read_counter(key)
            if current is None:  # cleared meanwhile: count again
                continue
            if _epoch(current.expires) <= now:
                fresh = EphemeralItem(
                    key, keys.EPHEMERAL_SK, failures=1, next_allowed=hold_until, expires=_at(expires)
                )
                if _restart(fresh, now):
                    return AttemptCount(True, 1, hold_until)
                continue
            return AttemptCount(False, int(current.failures), int(current.next_allowed or now))
        return AttemptCount(False, int(current.failures) if current else free, now + 1)

    def settle_account_failure(self, email: str, count: int, *, until: int, expires: int) -> None:
        """UpdateItem `SET next_allowed = :until, expires = :exp` on condition `failures = :count`."""
        item = EphemeralItem(keys.login_failures_pk(email), keys.EPHEMERAL_SK)
        try:
            item.update(
                actions=[EphemeralItem.next_allowed.set(until), EphemeralItem.expires.set(_at(expires))],
                condition=EphemeralItem.failures == count,
            )
        except UpdateError as exc:  # a later attempt was counted (it decides), or a success cleared it
            if not is_condition_failure(exc):
                raise

    def clear_account_attempts(self, email: str) -> None:
        EphemeralItem(keys.login_failures_pk(email), keys.EPHEMERAL_SK).delete()

    def claim_address_attempt(self, address: str, now: int, *, limit: int, window: int) -> AttemptCount:
        """UpdateItem `ADD failures :1 SET expires = if_not_exists(expires, :end)` on condition
        `attribute_not_exists(pk) OR (expires > :now AND failures < :limit)`."""
        key = keys.login_address_pk(address)
        current = None
        for _ in range(_CONTENDED_RETRIES):
            item = EphemeralItem(key, keys.EPHEMERAL_SK)
            try:
                item.update(
                    actions=[
                        EphemeralItem.failures.add(1),
                        EphemeralItem.expires.set(EphemeralItem.expires | _at(now + window)),
                    ],
                    condition=EphemeralItem.pk.does_not_exist()
                    | ((EphemeralItem.expires > _at(now)) & (EphemeralItem.failures < limit)),
                )
                return AttemptCount(True, int(item.failures), _epoch(item.expires))
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
            current = _read_counter(key)
            if current is None:
                continue
            if _epoch(current.expires) <= now:
                fresh = EphemeralItem(key, keys.EPHEMERAL_SK, failures=1, expires=_at(now + window))
                if _restart(fresh, now):
                    return AttemptCount(True, 1, now + window)
                continue
            return AttemptCount(False, int(current.failures), _epoch(current.expires))
        return AttemptCount(False, int(current.failures) if current else limit, now + 1)

    def release_address_attempt(self, address: str, until: int) -> None:
        """UpdateItem `ADD failures :-1` on condition `expires = :until AND failures > :0` (same window)."""
        item = EphemeralItem(keys.login_address_pk(address), keys.EPHEMERAL_SK)
        try:
            item.update(
                actions=[EphemeralItem.failures.add(-1)],
                condition=(EphemeralItem.expires == _at(until)) & (EphemeralItem.failures > 0),
            )
        except UpdateError as exc:  # that window is over
            if not is_condition_failure(exc):
                raise


_CONTENDED_RETRIES = 3


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _epoch(moment: datetime | None) -> int:
    return int(moment.timestamp()) if moment is not None else 0


def _read_counter(key: str) -> EphemeralItem | None:
    try:
        return EphemeralItem.get(key, keys.EPHEMERAL_SK, consistent_read=True)
    except DoesNotExist:
        return None


def _restart(fresh: EphemeralItem, now: int) -> bool:
    """PutItem replacing a counter whose TTL has passed, unless another request restarted it first."""
    try:
        fresh.save(condition=EphemeralItem.expires <= _at(now))
    except PutError as exc:
        if not is_condition_failure(exc):
            raise
        return False
    return True


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}
