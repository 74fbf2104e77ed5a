"""Which containers a member may see and act on: a member limited to projects sees only theirs.

Another project's container is answered like a missing one (404), as another organization's is.
"""

from __future__ import annotations

from chalicelib.domain.containers.entities import Container
from chalicelib.domain.shared.errors import NotFound, PermissionDenied
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.shared.principal import Principal


def visible(p: Principal, container: Container) -> Container:
    """The container, or NotFound when the member may not use its project."""
    if not p.may_use_project(container.project_id):
        raise NotFound(f"Container {container.id} was not found.")
    return container


def visible_page(p: Principal, page: Page[Container]) -> Page[Container]:
    """The page without the containers of projects the member may not use (a page may come out short)."""
    if p.project_ids is None:
        return page
    return Page([c for c in page.items if p.may_use_project(c.project_id)], page.next_cursor)


def require_project_choice(p: Principal, project_id: str | None) -> None:
    """A member limited to projects deploys into, and moves containers to, one of them only."""
    if p.may_use_project(project_id):
        return
    mine = ", ".join(sorted(p.project_ids or ())) or "none"
    raise PermissionDenied(
        f"You may only use containers in your projects ({mine}); choose one of them as project_id.",
        details={"field": "project_id"},
    )
