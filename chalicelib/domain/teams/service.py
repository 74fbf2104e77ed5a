"""Teams: members and their roles, invitations by email with single-use expiring links.

Which roles may call which operation is checked at the edge (api/http.py); the rules here are the ones
that depend on the member acted on: only an owner grants or takes away the owner role, the last owner
stays, project limits apply to developers, billing and viewers only.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from chalicelib.domain.accounts.entities import Membership, normalize_email
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    ValidationFailed,
)
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.mail import Mailer
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.shared.roles import ADMIN, OWNER, OrgRole
from chalicelib.domain.teams.entities import (
    MAX_PENDING_INVITES_SHOWN,
    Invite,
    InvitePreview,
    InviteToken,
    InviteUnusable,
    IssuedInvite,
    LastOwner,
    Member,
    MemberChange,
    mask_email,
    token_digest,
)
from chalicelib.domain.teams.ports import Directory, Invites, Members, Projects

log = logging.getLogger(__name__)

INVITE_TEMPLATE = "team_invite"
UNLIMITED_ROLES = frozenset({OWNER, ADMIN})  # see every project: a project limit would mean nothing
NOT_VALID = (
    "This invitation link is not valid any more: it expired, was revoked or was never issued. "
    "Ask whoever invited you for a new one."
)


class TeamService:
    """Members and invitations of the caller's organization.

    Raises NotFound, PermissionDenied, Conflict (LastOwner when the last owner would go), ValidationFailed.
    """

    def __init__(
        self,
        members: Members,
        invites: Invites,
        projects: Projects,
        directory: Directory,
        mailer: Mailer,
        audit: AuditTrail,
        *,
        invite_ttl: timedelta,
        public_url: str,
        clock: Clock = utcnow,
        new_secret: Callable[[], str] = lambda: secrets.token_hex(32),
    ) -> None:
        self._members = members
        self._invites = invites
        self._projects = projects
        self._directory = directory
        self._mailer = mailer
        self._audit = audit
        self._invite_ttl = invite_ttl
        self._public_url = public_url.rstrip("/")
        self._clock = clock
        self._new_secret = new_secret

    # ------------------------------------------------------------ members
    def members(self, p: Principal, limit: int, cursor: str | None) -> Page[Member]:
        return self._members.page_members(p.organization_id, limit, cursor)

    def change_member(self, p: Principal, user_id: str, change: MemberChange) -> Membership:
        """A new role and/or project limit (`project_ids` None: every project)."""
        target = self._member(p, user_id)
        role = change.role or target.role
        self._require_owner_for(p, target.role, role)
        projects = change.project_ids if change.set_projects else target.project_ids
        if role in UNLIMITED_ROLES:
            if change.set_projects and change.project_ids is not None:
                raise ValidationFailed(
                    f"An {role} sees every project; project limits apply to developer, billing and viewer.",
                    details={"field": "project_ids"},
                )
            projects = None
        projects = _unique(projects)
        if role == target.role and projects == target.project_ids:
            return target
        self._members.change_member(target, role, projects, self._clock())
        self._record(
            p,
            "member.role_changed",
            user_id,
            {"role": target.role, "project_ids": _listed(target.project_ids)},
            {"role": role, "project_ids": _listed(projects)},
        )
        return Membership(target.organization_id, target.organization_name, user_id, role, projects)

    def remove_member(self, p: Principal, user_id: str) -> None:
        target = self._member(p, user_id)
        self._require_owner_for(p, target.role, None)
        self._members.remove_member(target)
        self._record(p, "member.removed", user_id, {"role": target.role}, None)

    def leave(self, p: Principal) -> None:
        """The caller leaves the organization. Raises LastOwner for its last owner."""
        own = self._member(p, p.user_id)
        try:
            self._members.remove_member(own)
        except LastOwner as exc:
            raise LastOwner(
                "You are this organization's last owner: make another member an owner before you leave.",
                details={"role": OWNER},
            ) from exc
        self._record(p, "member.left", p.user_id, {"role": own.role}, None)

    # ------------------------------------------------------------ invitations (managers)
    def invite(
        self, p: Principal, email: str, role: OrgRole, project_ids: Sequence[str] | None
    ) -> IssuedInvite:
        """Store the invitation (its token hashed), mail the link; the link is in the answer either way."""
        self._require_owner_for(p, None, role)
        address = normalize_email(email)
        limited = _unique(tuple(project_ids) if project_ids is not None else None)
        if limited is not None:
            if role in UNLIMITED_ROLES:
                raise ValidationFailed(
                    f"An {role} sees every project; project limits apply to developer, billing and viewer.",
                    details={"field": "project_ids"},
                )
            missing = self._projects.missing_projects(p.organization_id, limited)
            if missing:
                raise NotFound(f"Project {missing[0]} was not found.", details={"field": "project_ids"})
        existing = self._directory.user_id_for_email(address)
        if existing and self._members.get_member(p.organization_id, existing) is not None:
            raise Conflict(f"{address} is already a member of this organization.", details={"field": "email"})
        now = self._clock()
        secret = self._new_secret()
        invite = Invite(
            id=new_ulid(),
            organization_id=p.organization_id,
            email=address,
            role=role,
            project_ids=limited,
            token_sha256=token_digest(secret),
            invited_by=p.user_id,
            created_at=now,
            expires_at=(now + self._invite_ttl).replace(microsecond=0),  # the TTL is whole seconds
        )
        self._invites.save_invite(invite)
        token = str(InviteToken(p.organization_id, invite.id, secret))
        link = f"{self._public_url}/invites/{token}"
        mailed = self._mail(invite, link)
        self._record(p, "invite.created", invite.id, None, {"email": address, "role": role}, kind="invite")
        return IssuedInvite(invite, token, link, mailed)

    def pending_invites(self, p: Principal) -> list[Invite]:
        return self._invites.recent_invites(p.organization_id, self._clock(), MAX_PENDING_INVITES_SHOWN)

    def revoke_invite(self, p: Principal, invite_id: str) -> None:
        if not self._invites.delete_invite(p.organization_id, invite_id):
            raise NotFound(f"Invitation {invite_id} was not found.")
        self._record(p, "invite.revoked", invite_id, None, None, kind="invite")

    # ------------------------------------------------------------ invitations (the invited)
    def preview(self, p: Principal, token: str) -> InvitePreview:
        """What the link invites to; any signed-in user holding it may look (the address is masked unless
        it is theirs)."""
        invite = self._usable(token)
        org = self._directory.get_organization(invite.organization_id)
        inviter = self._directory.get_user(invite.invited_by)
        if org is None:
            raise NotFound(NOT_VALID)
        return InvitePreview(
            invite=invite,
            organization_name=org.name,
            invited_by_name=inviter[0].name if inviter else "A former member",
            for_you=self._is_for(p, invite),
        )

    def accept(self, p: Principal, token: str) -> Membership:
        """Join with the invitation's role; only the invited address may, and only once."""
        invite = self._usable(token)
        self._require_invitee(p, invite)
        org = self._directory.get_organization(invite.organization_id)
        if org is None:
            raise NotFound(NOT_VALID)
        try:
            self._members.join(invite, p.user_id, org.name, self._clock())
        except InviteUnusable as exc:
            self._usable(token)  # says why (used, expired, revoked)
            raise Conflict("This invitation has already been used.") from exc
        self._record(p, "invite.accepted", invite.id, None, {"role": invite.role}, kind="invite", org=org.id)
        return Membership(org.id, org.name, p.user_id, invite.role, invite.project_ids)

    def decline(self, p: Principal, token: str) -> None:
        invite = self._usable(token)
        self._require_invitee(p, invite)
        try:
            self._invites.decline(invite, p.user_id, self._clock())
        except InviteUnusable as exc:
            self._usable(token)
            raise Conflict("This invitation has already been used.") from exc
        self._record(p, "invite.declined", invite.id, None, None, kind="invite", org=invite.organization_id)

    # ------------------------------------------------------------ helpers
    def _member(self, p: Principal, user_id: str) -> Membership:
        found = self._members.get_member(p.organization_id, user_id)
        if found is None:
            raise NotFound(f"User {user_id} is not a member of this organization.")
        return found

    @staticmethod
    def _require_owner_for(p: Principal, current: OrgRole | None, new: OrgRole | None) -> None:
        if OWNER in (current, new) and p.organization_role != OWNER:
            raise PermissionDenied(
                "Only an owner can grant, take away or remove the owner role.",
                details={"required_roles": [OWNER], "role": p.organization_role},
            )

    def _usable(self, token: str) -> Invite:
        """The invitation the token names, if it may still be used. Raises NotFound or Conflict."""
        parsed = InviteToken.parse(token)
        invite = self._invites.get_invite(parsed.organization_id, parsed.invite_id) if parsed else None
        if (
            parsed is None
            or invite is None
            or not hmac.compare_digest(invite.token_sha256, token_digest(parsed.secret))
        ):
            raise NotFound(NOT_VALID)
        if invite.used_at is not None:
            raise Conflict(f"This invitation has already been {invite.outcome or 'used'}.")
        if invite.expires_at <= self._clock():
            raise NotFound(
                f"This invitation expired at {_when(invite.expires_at)}; ask for a new one.",
                details={"expired_at": invite.expires_at.isoformat()},
            )
        return invite

    def _is_for(self, p: Principal, invite: Invite) -> bool:
        found = self._directory.get_user(p.user_id)
        return found is not None and normalize_email(found[0].email) == invite.email

    def _require_invitee(self, p: Principal, invite: Invite) -> None:
        if not self._is_for(p, invite):
            sent_to = mask_email(invite.email)
            raise PermissionDenied(
                f"This invitation was sent to {sent_to}; sign in with that address to use it."
            )

    def _mail(self, invite: Invite, link: str) -> bool:
        org = self._directory.get_organization(invite.organization_id)
        inviter = self._directory.get_user(invite.invited_by)
        try:
            self._mailer.send(
                invite.email,
                INVITE_TEMPLATE,
                {
                    "organization": org.name if org else "an organization",
                    "inviter": inviter[0].name if inviter else "A member",
                    "role": invite.role,
                    "link": link,
                    "expires": _when(invite.expires_at),
                },
            )
        except ServiceUnavailable as exc:  # the link is in the answer: the inviter can pass it on
            log.warning("invitation %s not mailed: %s", invite.id, exc.message)
            return False
        return True

    def _record(
        self,
        p: Principal,
        action: str,
        target_id: str,
        before: dict[str, object] | None,
        after: dict[str, object] | None,
        *,
        kind: str = "member",
        org: str | None = None,
    ) -> None:
        self._audit.record(
            AuditEvent(
                action=action,
                actor_id=p.user_id,
                organization_id=org or p.organization_id,
                target_type=kind,
                target_id=target_id,
                before=before,
                after=after,
            )
        )


def _unique(ids: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return tuple(dict.fromkeys(ids)) if ids is not None else None


def _listed(ids: tuple[str, ...] | None) -> list[str] | None:
    return list(ids) if ids is not None else None


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"
