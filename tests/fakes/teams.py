"""In-memory fakes of the team ports (members, invitations, projects), type-checked against the same
Protocols and run through the same contract suite as the repositories (tests/contract/teams).

Memberships live in FakeAccounts (the user's side, which its auth snapshot reads), so what the team store
changes is what authentication sees.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.accounts.entities import Membership
from chalicelib.domain.shared.audit import AuditEvent
from chalicelib.domain.shared.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.roles import OWNER, OrgRole
from chalicelib.domain.teams.entities import Invite, InviteUnusable, LastOwner, Member, Project
from tests.fakes.accounts import FakeAccounts

LAST_OWNER = "This would leave the organization without an owner: make another member an owner first."


class FakeTeams:
    """Members, Invites and Projects in memory; one lock makes each method one atomic step."""

    def __init__(self, accounts: FakeAccounts) -> None:
        self.accounts = accounts
        self.invites: dict[tuple[str, str], Invite] = {}
        self.projects: dict[tuple[str, str], Project] = {}
        self.joined: dict[tuple[str, str], datetime] = {}
        self._lock = threading.RLock()

    # ------------------------------------------------------------ members
    def _find(self, org_id: str, user_id: str) -> Membership | None:
        return next((m for m in self.accounts.members.get(user_id, []) if m.organization_id == org_id), None)

    def _org_members(self, org_id: str) -> list[Membership]:
        found = [m for ms in self.accounts.members.values() for m in ms if m.organization_id == org_id]
        return sorted(found, key=lambda m: m.user_id)

    def _owners(self, org_id: str) -> int:
        return sum(1 for m in self._org_members(org_id) if m.role == OWNER)

    def _put(self, membership: Membership | None, org_id: str, user_id: str) -> None:
        kept = [m for m in self.accounts.members.get(user_id, []) if m.organization_id != org_id]
        self.accounts.members[user_id] = kept + ([membership] if membership else [])

    def get_member(self, org_id: str, user_id: str) -> Membership | None:
        with self._lock:
            return self._find(org_id, user_id)

    def page_members(self, org_id: str, limit: int, cursor: str | None) -> Page[Member]:
        with self._lock:
            members = self._org_members(org_id)
            start = _start(cursor, [m.user_id for m in members])
            chosen = members[start : start + limit]
            items = []
            for m in chosen:
                found = self.accounts.get_user(m.user_id)
                if found is None:
                    continue
                user = found[0]
                joined = self.joined.get((org_id, m.user_id), user.created_at)
                items.append(Member(m.user_id, user.email, user.name, m.role, m.project_ids, joined))
            more = start + limit < len(members)
            return Page(items, chosen[-1].user_id if more and chosen else None)

    def change_member(
        self, old: Membership, role: OrgRole, project_ids: tuple[str, ...] | None, now: datetime
    ) -> None:
        with self._lock:
            org = old.organization_id
            current = self._find(org, old.user_id)
            if current is None or current.role != old.role:
                raise Conflict("The member changed meanwhile; reload and try again.")
            missing = [p for p in project_ids or () if (org, p) not in self.projects]
            if missing:
                raise NotFound(f"Project {missing[0]} was not found.", details={"field": "project_ids"})
            if old.role == OWNER and role != OWNER and self._owners(org) <= 1:
                raise LastOwner(LAST_OWNER, details={"role": OWNER})
            self._put(replace(current, role=role, project_ids=project_ids), org, old.user_id)

    def remove_member(self, old: Membership) -> None:
        with self._lock:
            org = old.organization_id
            current = self._find(org, old.user_id)
            if current is None or current.role != old.role:
                raise Conflict("The member changed meanwhile; reload and try again.")
            if old.role == OWNER and self._owners(org) <= 1:
                raise LastOwner(LAST_OWNER, details={"role": OWNER})
            self._put(None, org, old.user_id)

    def join(self, invite: Invite, user_id: str, organization_name: str, now: datetime) -> None:
        with self._lock:
            key = (invite.organization_id, invite.id)
            stored = self.invites.get(key)
            if not _usable(stored, invite, now):
                raise InviteUnusable("This invitation can no longer be used.")
            if self._find(invite.organization_id, user_id) is not None:
                raise Conflict("You are already a member of this organization.")
            self.invites[key] = replace(invite, used_at=now, used_by=user_id, outcome="accepted")
            member = Membership(
                invite.organization_id, organization_name, user_id, invite.role, invite.project_ids
            )
            self._put(member, invite.organization_id, user_id)
            self.joined[(invite.organization_id, user_id)] = now

    # ------------------------------------------------------------ invitations
    def save_invite(self, invite: Invite) -> None:
        with self._lock:
            self.invites[(invite.organization_id, invite.id)] = invite

    def get_invite(self, org_id: str, invite_id: str) -> Invite | None:
        with self._lock:
            return self.invites.get((org_id, invite_id))

    def recent_invites(self, org_id: str, now: datetime, limit: int) -> list[Invite]:
        with self._lock:
            mine = [i for (o, _), i in self.invites.items() if o == org_id and i.pending(now)]
            return sorted(mine, key=lambda i: i.id, reverse=True)[:limit]

    def delete_invite(self, org_id: str, invite_id: str) -> bool:
        with self._lock:
            return self.invites.pop((org_id, invite_id), None) is not None

    def decline(self, invite: Invite, user_id: str, now: datetime) -> None:
        with self._lock:
            key = (invite.organization_id, invite.id)
            if not _usable(self.invites.get(key), invite, now):
                raise InviteUnusable("This invitation can no longer be used.")
            self.invites[key] = replace(invite, used_at=now, used_by=user_id, outcome="declined")

    # ------------------------------------------------------------ projects
    def _name_taken(self, org_id: str, name: str, but: str = "") -> bool:
        return any(
            o == org_id and p.name.lower() == name.lower() and p.id != but
            for (o, _), p in self.projects.items()
        )

    def create_project(self, project: Project) -> None:
        with self._lock:
            if self._name_taken(project.organization_id, project.name):
                raise _taken(project.name)
            self.projects[(project.organization_id, project.id)] = project

    def get_project(self, org_id: str, project_id: str) -> Project:
        with self._lock:
            found = self.projects.get((org_id, project_id))
            if found is None:
                raise NotFound(f"Project {project_id} was not found.")
            return found

    def page_projects(self, org_id: str, limit: int, cursor: str | None) -> Page[Project]:
        with self._lock:
            mine = sorted((p for (o, _), p in self.projects.items() if o == org_id), key=lambda p: p.id)
            start = _start(cursor, [p.id for p in mine])
            chosen = mine[start : start + limit]
            more = start + limit < len(mine)
            return Page(chosen, chosen[-1].id if more and chosen else None)

    def rename_project(self, old: Project, name: str, description: str, now: datetime) -> Project:
        with self._lock:
            current = self.get_project(old.organization_id, old.id)
            if self._name_taken(old.organization_id, name, but=old.id):
                raise _taken(name)
            updated = replace(current, name=name, description=description, updated_at=now)
            self.projects[(old.organization_id, old.id)] = updated
            return updated

    def delete_project(self, project: Project) -> None:
        with self._lock:
            current = self.get_project(project.organization_id, project.id)
            if current.resource_count:
                raise Conflict(
                    f"Project {current.name!r} still holds {current.resource_count} resource(s); "
                    "move them to another project or delete them first.",
                    details={"resource_count": current.resource_count},
                )
            del self.projects[(project.organization_id, project.id)]

    def missing_projects(self, org_id: str, project_ids: Sequence[str]) -> list[str]:
        with self._lock:
            return [p for p in dict.fromkeys(project_ids) if (org_id, p) not in self.projects]

    def count(self, org_id: str, moves: Mapping[str, int]) -> None:
        """What the containers' own transactions do to the project counts (tests of the service)."""
        with self._lock:
            for project_id, delta in moves.items():
                current = self.get_project(org_id, project_id)
                self.projects[(org_id, project_id)] = replace(
                    current, resource_count=current.resource_count + delta
                )


def _usable(stored: Invite | None, invite: Invite, now: datetime) -> bool:
    return (
        stored is not None
        and stored.used_at is None
        and stored.expires_at > now
        and stored.token_sha256 == invite.token_sha256
    )


def _taken(name: str) -> Conflict:
    return Conflict(
        f"A project named {name!r} already exists in this organization; choose another name.",
        details={"field": "name"},
    )


def _start(cursor: str | None, ids: list[str]) -> int:
    if cursor is None:
        return 0
    if cursor not in ids:
        raise ValidationFailed("The cursor is not valid.", details={"field": "cursor"})
    return ids.index(cursor) + 1


class RecordingMailer:
    """Keeps what it was asked to send; `down` makes it refuse like a mail server that does not answer."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, str]]] = []
        self.down = False

    def send(self, to: str, template: str, values: Mapping[str, str]) -> None:
        if self.down:
            raise ServiceUnavailable("The mail server did not take the message.")
        self.sent.append((to, template, dict(values)))


class RecordingAudit:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    def actions(self) -> list[str]:
        return [e.action for e in self.events]
