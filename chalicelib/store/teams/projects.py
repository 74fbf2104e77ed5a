"""ProjectRepository: projects of an organization, their name guards and resource counts.

Each public method is one DynamoDB call (a TransactWrite where several items move together), except where
its docstring says otherwise. `count_in` adds a project's count to another capability's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.domain.teams.entities import Project
from chalicelib.store import keys
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.table import Item, Transaction, TransactionCancelled, store_call, transaction
from chalicelib.store.teams.keys import PROJECT_PREFIX, project_name_sk, project_sk
from chalicelib.store.teams.models import ProjectItem, ProjectNameItem


def _project(item: ProjectItem) -> Project:
    return Project(
        id=item.id,
        organization_id=item.organization_id,
        name=item.name,
        description=item.description or "",
        resource_count=int(item.resource_count or 0),
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _guard(org_id: str, name: str, project_id: str, now: datetime) -> ProjectNameItem:
    return ProjectNameItem(
        keys.org_pk(org_id), project_name_sk(name), project_id=project_id, created_at=now, updated_at=now
    )


def _name_taken(name: str) -> Conflict:
    return Conflict(
        f"A project named {name!r} already exists in this organization; choose another name.",
        details={"field": "name"},
    )


def count_in(tx: Transaction, name: str, org_id: str, project_id: str, delta: int) -> None:
    """Move the project's resource count by `delta` inside `tx`, on condition that the project exists (a
    failed `name` means it does not: the caller names the field)."""
    tx.update(
        name,
        ProjectItem(keys.org_pk(org_id), project_sk(project_id)),
        actions=[ProjectItem.resource_count.add(delta)],
        condition=ProjectItem.pk.exists(),
    )


def project_missing(project_id: str, field: str) -> NotFound:
    return NotFound(f"Project {project_id} was not found in this organization.", details={"field": field})


class ProjectRepository:
    """Projects (ORG#<org> / PROJECT#<ulid>) and name guards (ORG#<org> / PROJECTNAME#<lower name>)."""

    @store_call
    def create_project(self, project: Project) -> None:
        item = ProjectItem(
            keys.org_pk(project.organization_id),
            project_sk(project.id),
            id=project.id,
            organization_id=project.organization_id,
            name=project.name,
            description=project.description,
            resource_count=0,
            created_by=project.created_by,
            created_at=project.created_at,
            updated_at=project.updated_at,
        )
        guard = _guard(project.organization_id, project.name, project.id, project.created_at)
        try:
            with transaction() as tx:
                tx.save("name", guard, condition=Item.pk.does_not_exist())
                tx.save("project", item, condition=Item.pk.does_not_exist())
        except TransactionCancelled as exc:
            if "name" in exc.failed:
                raise _name_taken(project.name) from exc
            raise

    @store_call
    def get_project(self, org_id: str, project_id: str) -> Project:
        try:
            item = ProjectItem.get(keys.org_pk(org_id), project_sk(project_id), consistent_read=True)
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Project {project_id} was not found.") from exc
        return _project(item)

    @store_call
    def page_projects(self, org_id: str, limit: int, cursor: str | None) -> Page[Project]:
        """One Query, oldest first (ids are ULIDs)."""
        partition = keys.org_pk(org_id)
        result = ProjectItem.query(
            partition,
            ProjectItem.sk.startswith(PROJECT_PREFIX),
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_project(item) for item in result]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    @store_call
    def rename_project(self, old: Project, name: str, description: str, now: datetime) -> Project:
        org = old.organization_id
        try:
            with transaction() as tx:
                tx.update(
                    "project",
                    ProjectItem(keys.org_pk(org), project_sk(old.id)),
                    actions=[
                        ProjectItem.name.set(name),
                        ProjectItem.description.set(description),
                        ProjectItem.updated_at.set(now),
                    ],
                    condition=ProjectItem.pk.exists(),
                )
                if name.lower() != old.name.lower():
                    tx.save("name", _guard(org, name, old.id, now), condition=Item.pk.does_not_exist())
                    tx.delete("old-name", ProjectNameItem(keys.org_pk(org), project_name_sk(old.name)))
        except TransactionCancelled as exc:
            if "project" in exc.failed:
                raise NotFound(f"Project {old.id} was not found.") from exc
            if "name" in exc.failed:
                raise _name_taken(name) from exc
            raise
        return replace(old, name=name, description=description, updated_at=now)

    @store_call
    def delete_project(self, project: Project) -> None:
        """TransactWrite, then (only when refused) one GetItem to say why."""
        org = project.organization_id
        empty: Any = ProjectItem.resource_count.does_not_exist() | (ProjectItem.resource_count == 0)
        try:
            with transaction() as tx:
                tx.delete(
                    "project",
                    ProjectItem(keys.org_pk(org), project_sk(project.id)),
                    condition=ProjectItem.pk.exists() & empty,
                )
                tx.delete("name", ProjectNameItem(keys.org_pk(org), project_name_sk(project.name)))
        except TransactionCancelled as exc:
            current = self.get_project(org, project.id)  # NotFound when it is gone
            raise Conflict(
                f"Project {current.name!r} still holds {current.resource_count} resource(s); "
                "move them to another project or delete them first.",
                details={"resource_count": current.resource_count},
            ) from exc

    @store_call
    def missing_projects(self, org_id: str, project_ids: Sequence[str]) -> list[str]:
        """One BatchGetItem per 100 ids."""
        wanted = list(dict.fromkeys(project_ids))
        if not wanted:
            return []
        found = {
            item.id for item in ProjectItem.batch_get([(keys.org_pk(org_id), project_sk(i)) for i in wanted])
        }
        return [i for i in wanted if i not in found]
