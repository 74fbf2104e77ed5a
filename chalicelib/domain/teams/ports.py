"""What the team service needs: members, invitations and projects in the store, users, mail, audit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from chalicelib.domain.accounts.entities import Membership, Organization, User
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.roles import OrgRole
from chalicelib.domain.teams.entities import Invite, Member, Project


class Directory(Protocol):
    """Users and organizations (the accounts store)."""

    def user_id_for_email(self, email: str) -> str | None: ...

    def get_user(self, user_id: str) -> tuple[User, str] | None: ...

    def get_organization(self, org_id: str) -> Organization | None: ...


class Members(Protocol):
    """Memberships of one organization (both sides of each) and its owner count, moved together."""

    def get_member(self, org_id: str, user_id: str) -> Membership | None:
        """Consistent read of the organization's side."""
        ...

    def page_members(self, org_id: str, limit: int, cursor: str | None) -> Page[Member]:
        """Raises ValidationFailed (field `cursor`) for a cursor not made here."""
        ...

    def change_member(
        self, old: Membership, role: OrgRole, project_ids: tuple[str, ...] | None, now: datetime
    ) -> None:
        """Write the new role (both sides) and project limit if the member still has `old.role`; the owner
        count follows the role, never below 1. Every project named must exist.

        Raises Conflict (changed meanwhile), LastOwner, NotFound (field `project_ids`: a project is missing).
        """
        ...

    def remove_member(self, old: Membership) -> None:
        """Delete both sides if the member still has `old.role`. Raises Conflict, LastOwner."""
        ...

    def join(self, invite: Invite, user_id: str, organization_name: str, now: datetime) -> None:
        """Use the invitation (unused, unexpired, same token) and add the member with its role and
        projects, in one transaction. Raises Conflict (already a member) or InviteUnusable."""
        ...


class Invites(Protocol):
    """Invitations (short-lived records: they vanish after they expire)."""

    def save_invite(self, invite: Invite) -> None: ...

    def get_invite(self, org_id: str, invite_id: str) -> Invite | None:
        """Consistent read; None when missing (an expired one is gone only once its TTL deleted it)."""
        ...

    def recent_invites(self, org_id: str, now: datetime, limit: int) -> list[Invite]:
        """Pending (unused, unexpired) invitations, newest first, at most `limit`."""
        ...

    def delete_invite(self, org_id: str, invite_id: str) -> bool:
        """False when there was none."""
        ...

    def decline(self, invite: Invite, user_id: str, now: datetime) -> None:
        """Mark it used (declined) if still unused and unexpired. Raises InviteUnusable."""
        ...


class Projects(Protocol):
    """Projects of one organization, their name guards and resource counts."""

    def create_project(self, project: Project) -> None:
        """Raises Conflict (field `name`) when the name is taken."""
        ...

    def get_project(self, org_id: str, project_id: str) -> Project:
        """Raises NotFound."""
        ...

    def page_projects(self, org_id: str, limit: int, cursor: str | None) -> Page[Project]: ...

    def rename_project(self, old: Project, name: str, description: str, now: datetime) -> Project:
        """Raises NotFound, Conflict (field `name`)."""
        ...

    def delete_project(self, project: Project) -> None:
        """Only while nothing is in it. Raises NotFound, Conflict (resources still in it)."""
        ...

    def missing_projects(self, org_id: str, project_ids: Sequence[str]) -> list[str]:
        """The ids among `project_ids` that are not projects of the organization."""
        ...
