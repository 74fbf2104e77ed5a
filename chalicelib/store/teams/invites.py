"""InviteRepository: invitations in the ephemeral table (TTL = expiry), used once by a conditional write.

Each public method is one DynamoDB call unless its docstring says otherwise. Every method enters the scope
of the invitation's organization itself: the invited are not members yet, so no request scope is active.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from chalicelib.domain.shared.roles import OrgRole
from chalicelib.domain.shared.tenancy import tenant_scope
from chalicelib.domain.teams.entities import Invite, InviteUnusable
from chalicelib.store import keys
from chalicelib.store.table import is_condition_failure, store_call
from chalicelib.store.teams.keys import INVITE_PREFIX, invite_sk
from chalicelib.store.teams.models import InviteItem

SCANNED_AT_MOST = 1000  # invitations read to find the pending ones (used ones stay until their TTL)


def invite_of(item: InviteItem) -> Invite:
    return Invite(
        id=item.invite_id,
        organization_id=item.organization_id,
        email=item.email,
        role=cast(OrgRole, item.role),
        project_ids=tuple(str(p) for p in item.project_ids) if item.project_ids is not None else None,
        token_sha256=item.token_sha256,
        invited_by=item.invited_by,
        created_at=item.created_at,
        expires_at=item.expires,
        used_at=item.used_at,
        used_by=item.used_by,
        outcome=item.outcome,
    )


def invite_ref(invite: Invite) -> InviteItem:
    return InviteItem(keys.org_pk(invite.organization_id), invite_sk(invite.id))


def usable(invite: Invite, now: datetime) -> Any:
    """The condition to use the invitation now: still there, unused, unexpired, the same token."""
    return (
        InviteItem.pk.exists()
        & InviteItem.used_at.does_not_exist()
        & (InviteItem.expires > now)
        & (InviteItem.token_sha256 == invite.token_sha256)
    )


def mark_used(user_id: str, outcome: str, now: datetime) -> list[Any]:
    return [InviteItem.used_at.set(now), InviteItem.used_by.set(user_id), InviteItem.outcome.set(outcome)]


class InviteRepository:
    """Invitations (ephemeral table ORG#<org> / INVITE#<ulid>)."""

    @store_call
    def save_invite(self, invite: Invite) -> None:
        item = InviteItem(
            keys.org_pk(invite.organization_id),
            invite_sk(invite.id),
            invite_id=invite.id,
            organization_id=invite.organization_id,
            email=invite.email,
            role=invite.role,
            project_ids=list(invite.project_ids) if invite.project_ids is not None else None,
            token_sha256=invite.token_sha256,
            invited_by=invite.invited_by,
            created_at=invite.created_at,
            expires=invite.expires_at,
        )
        with tenant_scope(invite.organization_id):
            item.save(condition=InviteItem.pk.does_not_exist())

    @store_call
    def get_invite(self, org_id: str, invite_id: str) -> Invite | None:
        try:
            with tenant_scope(org_id):
                item = InviteItem.get(keys.org_pk(org_id), invite_sk(invite_id), consistent_read=True)
        except DoesNotExist:
            return None
        return invite_of(item)

    @store_call
    def recent_invites(self, org_id: str, now: datetime, limit: int) -> list[Invite]:
        """Query newest first, reading at most SCANNED_AT_MOST invitations (all pages of them)."""
        found: list[Invite] = []
        with tenant_scope(org_id):
            for item in InviteItem.query(
                keys.org_pk(org_id),
                InviteItem.sk.startswith(INVITE_PREFIX),
                scan_index_forward=False,
                limit=SCANNED_AT_MOST,
            ):
                invite = invite_of(item)
                if invite.pending(now):
                    found.append(invite)
                if len(found) == limit:
                    break
        return found

    @store_call
    def delete_invite(self, org_id: str, invite_id: str) -> bool:
        try:
            with tenant_scope(org_id):
                InviteItem(keys.org_pk(org_id), invite_sk(invite_id)).delete(condition=InviteItem.pk.exists())
        except DeleteError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    @store_call
    def decline(self, invite: Invite, user_id: str, now: datetime) -> None:
        try:
            with tenant_scope(invite.organization_id):
                invite_ref(invite).update(
                    actions=mark_used(user_id, "declined", now), condition=usable(invite, now)
                )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise InviteUnusable("This invitation can no longer be used.") from exc
            raise
