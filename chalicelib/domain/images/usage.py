"""Which containers of an organization run one of its images (an image in use is not deleted)."""

from __future__ import annotations

from collections.abc import Iterator

from chalicelib.domain.containers.ports import Containers
from chalicelib.domain.containers.volumes import all_of


class ContainersOfOrganization:
    """Implements ContainersUsing over the containers' store: one Query per 100 containers."""

    def __init__(self, containers: Containers) -> None:
        self._containers = containers

    def __call__(self, org_id: str, reference: str) -> Iterator[str]:
        for c in all_of(self._containers, org_id):
            if c.image == reference or (c.previous is not None and c.previous.image == reference):
                yield c.name
