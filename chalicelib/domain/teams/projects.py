"""Projects: named groups of containers and VPS instances; members may be limited to some projects."""

from __future__ import annotations

from chalicelib.domain.shared.audit import AuditEvent, AuditTrail
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.ids import new_ulid
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal
from chalicelib.domain.teams.entities import Project
from chalicelib.domain.teams.ports import Projects


class ProjectService:
    """Projects of the caller's organization. A member limited to projects sees only those (others: 404).

    Raises NotFound, Conflict (a name taken, a project that still holds resources), ValidationFailed.
    """

    def __init__(self, projects: Projects, audit: AuditTrail, *, clock: Clock = utcnow) -> None:
        self._projects = projects
        self._audit = audit
        self._clock = clock

    def page(self, p: Principal, limit: int, cursor: str | None) -> Page[Project]:
        page = self._projects.page_projects(p.organization_id, limit, cursor)
        return Page([x for x in page.items if p.may_use_project(x.id)], page.next_cursor)

    def get(self, p: Principal, project_id: str) -> Project:
        project = self._projects.get_project(p.organization_id, project_id)
        if not p.may_use_project(project.id):
            raise NotFound(f"Project {project_id} was not found.")
        return project

    def create(self, p: Principal, name: str, description: str) -> Project:
        now = self._clock()
        project = Project(
            id=new_ulid(),
            organization_id=p.organization_id,
            name=name,
            description=description,
            resource_count=0,
            created_by=p.user_id,
            created_at=now,
            updated_at=now,
        )
        self._projects.create_project(project)
        self._record(p, "project.created", project.id, None, {"name": name})
        return project

    def update(self, p: Principal, project_id: str, name: str | None, description: str | None) -> Project:
        current = self.get(p, project_id)
        new_name = name if name is not None else current.name
        new_description = description if description is not None else current.description
        if (new_name, new_description) == (current.name, current.description):
            return current
        updated = self._projects.rename_project(current, new_name, new_description, self._clock())
        self._record(p, "project.updated", project_id, {"name": current.name}, {"name": new_name})
        return updated

    def delete(self, p: Principal, project_id: str) -> None:
        """Only an empty project goes (Conflict otherwise: move or delete what is in it first)."""
        project = self.get(p, project_id)
        self._projects.delete_project(project)
        self._record(p, "project.deleted", project_id, {"name": project.name}, None)

    def _record(
        self,
        p: Principal,
        action: str,
        project_id: str,
        before: dict[str, object] | None,
        after: dict[str, object] | None,
    ) -> None:
        self._audit.record(
            AuditEvent(
                action=action,
                actor_id=p.user_id,
                organization_id=p.organization_id,
                target_type="project",
                target_id=project_id,
                before=before,
                after=after,
            )
        )
