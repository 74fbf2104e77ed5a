"""MemberRepository: both sides of each membership and the organization's owner count, moved together.

Each public method is one DynamoDB call (a TransactWrite where several items move together) unless its
docstring says otherwise. Every method enters the organization's scope itself (joining happens before the
user is a member, so no request scope is active then).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.accounts.entities import Membership
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.roles import OWNER, OrgRole
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.domain.teams.entities import Invite, InviteUnusable, LastOwner, Member
from chalicelib.store import keys
from chalicelib.store.accounts.models import MemberItem, OrganizationItem, UserItem
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.table import Item, Transaction, TransactionCancelled, store_call, transaction
from chalicelib.store.teams.invites import invite_ref, mark_used, usable
from chalicelib.store.teams.keys import MEMBER_PREFIX, project_sk
from chalicelib.store.teams.models import ProjectItem

CHANGED = "The member changed meanwhile; reload and try again."
LAST_OWNER = "This would leave the organization without an owner: make another member an owner first."


def _projects(item: MemberItem) -> tuple[str, ...] | None:
    return tuple(str(p) for p in item.project_ids) if item.project_ids is not None else None


def _membership(item: MemberItem) -> Membership:
    return Membership(
        organization_id=item.organization_id,
        organization_name=item.organization_name,
        user_id=item.user_id,
        role=cast(OrgRole, item.role),
        project_ids=_projects(item),
    )


def _owners(tx: Transaction, org_id: str, delta: int) -> None:
    """Move the owner count (absent on organizations older than teams: they have one owner); a decrease
    only while another owner remains."""
    count = OrganizationItem.owner_count
    tx.update(
        "organization",
        OrganizationItem(keys.org_pk(org_id), keys.ORG_SK),
        actions=[count.set((count | 1) + delta)],
        condition=(count > 1) if delta < 0 else OrganizationItem.pk.exists(),
    )


def _check_projects(tx: Transaction, org_id: str, project_ids: tuple[str, ...] | None) -> None:
    for project_id in project_ids or ():
        tx.check(
            f"project:{project_id}",
            ProjectItem,
            keys.org_pk(org_id),
            project_sk(project_id),
            condition=ProjectItem.pk.exists(),
        )


def _refusal(exc: TransactionCancelled) -> Exception:
    missing = sorted(name.partition(":")[2] for name in exc.failed if name.startswith("project:"))
    if missing:
        return NotFound(f"Project {missing[0]} was not found.", details={"field": "project_ids"})
    if "member" in exc.failed:
        return Conflict(CHANGED)
    if "organization" in exc.failed:
        return LastOwner(LAST_OWNER, details={"role": OWNER})
    return exc


class MemberRepository:
    """Memberships: ORG#<org> / MEMBER#<user> (role, project limit) and USER#<user> / MEMBERSHIP#<org>."""

    @store_call
    def get_member(self, org_id: str, user_id: str) -> Membership | None:
        try:
            with tenant_scope(org_id):
                item = MemberItem.get(keys.org_pk(org_id), keys.member_sk(user_id), consistent_read=True)
        except DoesNotExist:
            return None
        return _membership(item)

    @store_call
    def page_members(self, org_id: str, limit: int, cursor: str | None) -> Page[Member]:
        """One Query and one BatchGetItem of the page's users (names and email addresses)."""
        partition = keys.org_pk(org_id)
        with tenant_scope(org_id):
            result = MemberItem.query(
                partition,
                MemberItem.sk.startswith(MEMBER_PREFIX),
                limit=limit,
                page_size=limit,
                last_evaluated_key=decode_cursor(cursor, partition),
            )
            items = list(result)
            users = {
                user.id: user
                for user in UserItem.batch_get([(keys.user_pk(i.user_id), keys.USER_SK) for i in items])
            }
        members = [
            Member(
                user_id=item.user_id,
                email=users[item.user_id].email,
                name=users[item.user_id].name,
                role=cast(OrgRole, item.role),
                project_ids=_projects(item),
                joined_at=item.created_at,
            )
            for item in items
            if item.user_id in users
        ]
        return Page(items=members, next_cursor=encode_cursor(result.last_evaluated_key))

    @store_call
    def change_member(
        self, old: Membership, role: OrgRole, project_ids: tuple[str, ...] | None, now: datetime
    ) -> None:
        org, user = old.organization_id, old.user_id
        limit: Any = (
            MemberItem.project_ids.set(cast(Any, list(project_ids)))
            if project_ids is not None
            else MemberItem.project_ids.remove()
        )
        try:
            with tenant_scope(org), transaction() as tx:
                tx.update(
                    "member",
                    MemberItem(keys.org_pk(org), keys.member_sk(user)),
                    actions=[MemberItem.role.set(role), MemberItem.updated_at.set(now), limit],
                    condition=MemberItem.role == old.role,
                )
                tx.update(
                    "membership",
                    MemberItem(keys.user_pk(user), keys.membership_sk(org)),
                    actions=[MemberItem.role.set(role), MemberItem.updated_at.set(now)],
                    condition=MemberItem.pk.exists(),
                )
                if OWNER in (old.role, role) and old.role != role:
                    _owners(tx, org, -1 if old.role == OWNER else 1)
                _check_projects(tx, org, project_ids)
        except TransactionCancelled as exc:
            raise _refusal(exc) from exc

    @store_call
    def remove_member(self, old: Membership) -> None:
        org, user = old.organization_id, old.user_id
        try:
            with tenant_scope(org), transaction() as tx:
                tx.delete(
                    "member",
                    MemberItem(keys.org_pk(org), keys.member_sk(user)),
                    condition=MemberItem.role == old.role,
                )
                tx.delete("membership", MemberItem(keys.user_pk(user), keys.membership_sk(org)))
                if old.role == OWNER:
                    _owners(tx, org, -1)
        except TransactionCancelled as exc:
            raise _refusal(exc) from exc

    @store_call
    def join(self, invite: Invite, user_id: str, organization_name: str, now: datetime) -> None:
        org = invite.organization_id
        stamps: dict[str, Any] = {"created_at": now, "updated_at": now}
        fields: dict[str, Any] = {
            "organization_id": org,
            "user_id": user_id,
            "role": invite.role,
            "organization_name": organization_name,
            **stamps,
        }
        limit: Any = list(invite.project_ids) if invite.project_ids is not None else None
        try:
            with tenant_scope(org), transaction() as tx:
                tx.update(
                    "invite",
                    invite_ref(invite),
                    actions=mark_used(user_id, "accepted", now),
                    condition=usable(invite, now),
                )
                tx.save(
                    "member",
                    MemberItem(keys.org_pk(org), keys.member_sk(user_id), project_ids=limit, **fields),
                    condition=Item.pk.does_not_exist(),
                )
                tx.save(
                    "membership",
                    MemberItem(keys.user_pk(user_id), keys.membership_sk(org), **fields),
                    condition=Item.pk.does_not_exist(),
                )
                if invite.role == OWNER:
                    _owners(tx, org, 1)
        except TransactionCancelled as exc:
            if "invite" in exc.failed:
                raise InviteUnusable("This invitation can no longer be used.") from exc
            if exc.failed & {"member", "membership"}:
                raise Conflict("You are already a member of this organization.") from exc
            raise
