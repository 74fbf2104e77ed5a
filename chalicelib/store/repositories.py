"""Repositories: the only code that talks to DynamoDB (through PynamoDB).

Each public method is one DynamoDB call unless its docstring says otherwise.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactGet, TransactWrite

from chalicelib.domain.entities import (
    Container,
    Host,
    Membership,
    Organization,
    Page,
    Resources,
    User,
)
from chalicelib.domain.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.ports import PortBinding, VolumeMount
from chalicelib.domain.repositories import CapacityExhausted
from chalicelib.store import keys
from chalicelib.store.models import (
    ContainerItem,
    EmailItem,
    EphemeralItem,
    HostItem,
    Item,
    MemberItem,
    OrganizationItem,
    PortMap,
    UserItem,
    VolumeMap,
    WalletItem,
)


def _connection() -> Connection:
    return Connection(region=getattr(Item.Meta, "region", None))


def _is_condition_failure(exc: Exception) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def _encode_cursor(lek: dict[str, Any] | None) -> str | None:
    if not lek:
        return None
    return base64.urlsafe_b64encode(json.dumps(lek, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None, partition: str) -> dict[str, Any] | None:
    """Decode an opaque cursor and make sure it points into the caller's own partition."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        lek = json.loads(base64.urlsafe_b64decode(padded.encode()))
        pk = lek["pk"]["S"]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"}) from exc
    if pk != partition:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
    return dict(lek)


def _was_condition_failure(error: TransactWriteError, index: int) -> bool:
    reasons = error.cancellation_reasons or []
    reason = reasons[index] if index < len(reasons) else None
    return reason is not None and reason.code == "ConditionalCheckFailed"


# ---------------------------------------------------------------- accounts
def _user(item: UserItem) -> User:
    return User(
        id=item.id,
        email=item.email,
        name=item.name,
        role=item.role,
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
        role=item.role,
    )


class AccountRepository:
    """Users, their email guards, organizations, memberships and wallets."""

    def create_account(self, user: User, password_hash: str, org: Organization, wallet_id: str) -> None:
        """One TransactWrite: email guard, user, organization, wallet, membership both ways.

        Raises Conflict when the email is already registered.
        """
        now = user.created_at
        guard = EmailItem(
            keys.email_pk(user.email), keys.EMAIL_SK, user_id=user.id, created_at=now, updated_at=now
        )
        user_item = UserItem(
            keys.user_pk(user.id),
            keys.USER_SK,
            id=user.id,
            email=user.email,
            name=user.name,
            password_hash=password_hash,
            role=user.role,
            default_org_id=org.id,
            created_at=now,
            updated_at=now,
        )
        org_item = OrganizationItem(
            keys.org_pk(org.id),
            keys.ORG_SK,
            id=org.id,
            name=org.name,
            slug=org.slug,
            owner_id=org.owner_id,
            settings=org.settings,
            created_at=now,
            updated_at=now,
        )
        wallet = WalletItem(
            keys.org_pk(org.id),
            keys.WALLET_SK,
            id=wallet_id,
            organization_id=org.id,
            balance_cents=0,
            created_at=now,
            updated_at=now,
        )
        by_org, by_user = (
            MemberItem(
                pk,
                sk,
                organization_id=org.id,
                user_id=user.id,
                role="owner",
                organization_name=org.name,
                created_at=now,
                updated_at=now,
            )
            for pk, sk in (
                (keys.org_pk(org.id), keys.member_sk(user.id)),
                (keys.user_pk(user.id), keys.membership_sk(org.id)),
            )
        )
        try:
            with TransactWrite(connection=_connection()) as tx:
                tx.save(guard, condition=EmailItem.pk.does_not_exist())
                for item in (user_item, org_item, wallet, by_org, by_user):
                    tx.save(item, condition=Item.pk.does_not_exist())
        except TransactWriteError as exc:
            if _was_condition_failure(exc, 0):
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
        item.update(actions=actions, condition=UserItem.pk.exists())
        return _user(item)

    def set_role(self, user_id: str, role: str, now: datetime) -> None:
        UserItem(keys.user_pk(user_id), keys.USER_SK).update(
            actions=[UserItem.role.set(role), UserItem.updated_at.set(now)], condition=UserItem.pk.exists()
        )

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
            return _org(OrganizationItem.get(keys.org_pk(org_id), keys.ORG_SK))
        except DoesNotExist:
            return None


class SessionRepository:
    """Per-request auth reads and short-lived records in the TTL table."""

    def auth_snapshot(
        self, token_id: str, org_id: str | None, user_id: str
    ) -> tuple[bool, Membership | None]:
        """One TransactGetItems across both tables: is the token revoked, and the membership."""
        with TransactGet(connection=_connection()) as tx:
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
            if not _is_condition_failure(exc):
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


# ---------------------------------------------------------------- containers and hosts
def _container(item: ContainerItem) -> Container:
    return Container(
        id=item.id,
        organization_id=item.organization_id,
        name=item.name,
        image=item.image,
        resources=Resources(
            cpu_millis=int(item.cpu_millis),
            memory_bytes=int(item.memory_bytes),
            storage_bytes=int(item.storage_bytes) if item.storage_bytes is not None else None,
        ),
        environment=dict(item.environment or {}),
        ports=tuple(
            PortBinding(
                container=int(p.container),
                host=int(p.host) if p.host is not None else None,
                protocol=p.protocol,
            )
            for p in item.ports or []
        ),
        volumes=tuple(
            VolumeMount(name=v.name, path=v.path, read_only=bool(v.read_only)) for v in item.volumes or []
        ),
        replicas=int(item.replicas),
        status=item.status,
        status_reason=item.status_reason,
        exit_code=int(item.exit_code) if item.exit_code is not None else None,
        host_id=item.host_id,
        engine_ids=tuple(str(e) for e in item.engine_ids or []),
        generation=int(item.generation),
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _container_item(c: Container) -> ContainerItem:
    return ContainerItem(
        keys.org_pk(c.organization_id),
        keys.container_sk(c.id),
        gsi1pk=keys.host_gsi_pk(c.host_id) if c.host_id else None,
        gsi1sk=keys.host_gsi_sk(c.organization_id, c.id) if c.host_id else None,
        id=c.id,
        organization_id=c.organization_id,
        name=c.name,
        image=c.image,
        cpu_millis=c.resources.cpu_millis,
        memory_bytes=c.resources.memory_bytes,
        storage_bytes=c.resources.storage_bytes,
        environment=c.environment,
        ports=[PortMap(container=p.container, host=p.host, protocol=p.protocol) for p in c.ports],
        volumes=[VolumeMap(name=v.name, path=v.path, read_only=v.read_only) for v in c.volumes],
        replicas=c.replicas,
        status=c.status,
        status_reason=c.status_reason,
        exit_code=c.exit_code,
        host_id=c.host_id,
        engine_ids=list(c.engine_ids),
        generation=c.generation,
        created_by=c.created_by,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


def _host(item: HostItem) -> Host:
    return Host(
        id=item.id,
        name=item.name,
        url=item.url,
        status=item.status,
        cpu_capacity_millis=int(item.cpu_capacity_millis),
        memory_capacity_bytes=int(item.memory_capacity_bytes),
        cpu_allocated_millis=int(item.cpu_allocated_millis),
        memory_allocated_bytes=int(item.memory_allocated_bytes),
        has_tls=item.tls is not None,
        is_default=bool(item.is_default),
        created_at=item.created_at,
    )


def _host_ref(host_id: str) -> HostItem:
    return HostItem(keys.HOSTS_PK, keys.host_sk(host_id))


def _allocation_condition(host: Host, cpu: int, memory: int) -> Condition:
    condition: Condition = (
        (HostItem.status == "active")
        & (HostItem.cpu_allocated_millis <= host.cpu_capacity_millis - cpu)
        & (HostItem.memory_allocated_bytes <= host.memory_capacity_bytes - memory)
    )
    return condition


class ContainerRepository:
    """Container records (ORG#<org> / CONTAINER#<id>) and their host allocations."""

    def create_on_host(self, container: Container, host: Host) -> None:
        """One TransactWrite: claim the host's capacity (conditional) and put the record.

        Raises CapacityExhausted when the host no longer fits the request.
        """
        cpu = container.resources.cpu_millis * container.replicas
        memory = container.resources.memory_bytes * container.replicas
        try:
            with TransactWrite(connection=_connection()) as tx:
                tx.update(
                    _host_ref(host.id),
                    actions=[
                        HostItem.cpu_allocated_millis.add(cpu),
                        HostItem.memory_allocated_bytes.add(memory),
                    ],
                    condition=_allocation_condition(host, cpu, memory),
                )
                tx.save(_container_item(container), condition=Item.pk.does_not_exist())
        except TransactWriteError as exc:
            if _was_condition_failure(exc, 0):
                raise CapacityExhausted(host.id) from exc
            raise

    def get(self, org_id: str, container_id: str, *, consistent: bool = False) -> Container:
        """Raises NotFound (also for another organization's container: the key includes the org)."""
        try:
            item = ContainerItem.get(
                keys.org_pk(org_id), keys.container_sk(container_id), consistent_read=consistent
            )
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Container {container_id} was not found.") from exc
        return _container(item)

    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Container]:
        """One Query, newest first (container ids are ULIDs), a page at a time."""
        partition = keys.org_pk(org_id)
        result = ContainerItem.query(
            partition,
            ContainerItem.sk.startswith(keys.CONTAINER_PREFIX),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=_decode_cursor(cursor, partition),
        )
        items = [_container(item) for item in result]
        return Page(items=items, next_cursor=_encode_cursor(result.last_evaluated_key))

    def save(self, container: Container, *, expected_generation: int | None = None) -> None:
        """Overwrite the record (optionally only if its generation is still `expected_generation`)."""
        condition = Item.pk.exists()
        if expected_generation is not None:
            condition = condition & (ContainerItem.generation == expected_generation)
        try:
            _container_item(container).save(condition=condition)
        except PutError as exc:
            if _is_condition_failure(exc):
                raise Conflict("The container changed meanwhile; reload and try again.") from exc
            raise

    def resize_on_host(self, old: Container, new: Container, host: Host) -> None:
        """One TransactWrite: move the host allocation by the difference and save the record."""
        cpu = new.resources.cpu_millis * new.replicas - old.resources.cpu_millis * old.replicas
        memory = new.resources.memory_bytes * new.replicas - old.resources.memory_bytes * old.replicas
        try:
            with TransactWrite(connection=_connection()) as tx:
                tx.update(
                    _host_ref(host.id),
                    actions=[
                        HostItem.cpu_allocated_millis.add(cpu),
                        HostItem.memory_allocated_bytes.add(memory),
                    ],
                    condition=_allocation_condition(host, max(cpu, 0), max(memory, 0))
                    if cpu > 0 or memory > 0
                    else HostItem.pk.exists(),
                )
                tx.save(_container_item(new), condition=ContainerItem.generation == old.generation)
        except TransactWriteError as exc:
            if _was_condition_failure(exc, 0):
                raise CapacityExhausted(host.id) from exc
            if _was_condition_failure(exc, 1):
                raise Conflict("The container changed meanwhile; reload and try again.") from exc
            raise

    def delete_and_release(self, container: Container) -> None:
        """One TransactWrite: delete the record and give its capacity back to its host."""
        with TransactWrite(connection=_connection()) as tx:
            if container.host_id:
                tx.update(
                    _host_ref(container.host_id),
                    actions=[
                        HostItem.cpu_allocated_millis.add(
                            -container.resources.cpu_millis * container.replicas
                        ),
                        HostItem.memory_allocated_bytes.add(
                            -container.resources.memory_bytes * container.replicas
                        ),
                    ],
                    condition=HostItem.pk.exists(),
                )
            tx.delete(ContainerItem(keys.org_pk(container.organization_id), keys.container_sk(container.id)))

    def on_host(self, host_id: str) -> Iterator[Container]:
        """Every container placed on a host (GSI1 Query, paginated internally; not a request path)."""
        for item in Item.by_host.query(keys.host_gsi_pk(host_id)):
            if isinstance(item, ContainerItem):
                yield _container(item)


class HostRepository:
    """Container hosts (HOSTS / HOST#<id>): a small platform partition, read with one Query."""

    def list_all(self) -> list[Host]:
        return [
            _host(item) for item in HostItem.query(keys.HOSTS_PK, HostItem.sk.startswith(keys.HOST_PREFIX))
        ]

    def get(self, host_id: str) -> Host:
        try:
            return _host(HostItem.get(keys.HOSTS_PK, keys.host_sk(host_id)))
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Host {host_id} was not found.") from exc

    def get_tls(self, host_id: str) -> dict[str, str] | None:
        try:
            tls = HostItem.get(keys.HOSTS_PK, keys.host_sk(host_id)).tls
        except DoesNotExist as exc:
            raise NotFound(f"Host {host_id} was not found.") from exc
        return dict(tls) if tls else None

    def add(self, host: Host, tls: dict[str, str] | None) -> None:
        HostItem(
            keys.HOSTS_PK,
            keys.host_sk(host.id),
            id=host.id,
            name=host.name,
            url=host.url,
            tls=tls,
            status=host.status,
            cpu_capacity_millis=host.cpu_capacity_millis,
            memory_capacity_bytes=host.memory_capacity_bytes,
            cpu_allocated_millis=0,
            memory_allocated_bytes=0,
            is_default=host.is_default,
            created_at=host.created_at,
            updated_at=host.created_at,
        ).save(condition=Item.pk.does_not_exist())

    def set_status(self, host_id: str, status: str, now: datetime) -> Host:
        item = _host_ref(host_id)
        try:
            item.update(
                actions=[HostItem.status.set(status), HostItem.updated_at.set(now)],
                condition=HostItem.pk.exists(),
            )
        except UpdateError as exc:
            if _is_condition_failure(exc):
                raise NotFound(f"Host {host_id} was not found.") from exc
            raise
        return _host(item)

    def remove(self, host_id: str) -> None:
        """Delete the host only while nothing is allocated on it. Raises Conflict otherwise."""
        try:
            _host_ref(host_id).delete(
                condition=HostItem.pk.exists()
                & (HostItem.cpu_allocated_millis == 0)
                & (HostItem.memory_allocated_bytes == 0)
            )
        except DeleteError as exc:
            if _is_condition_failure(exc):
                self.get(host_id)  # NotFound when it is gone
                raise Conflict(
                    "The host still has containers; drain it and move or delete them first."
                ) from exc
            raise
