"""Projects over HTTP against moto and the real engine: containers belong to projects, members limited to
projects see and deploy only there, and a project with containers in it stays."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import Api, User
from tests.support.teams import call_in, join

pytestmark = pytest.mark.docker

MISSING_PROJECT = "01JAAAAAAAAAAAAAAAAAAAAAAA"


def small(image: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": image, "resources": {"cpu": "0.1", "memory": "16Mi"}, **extra}


def deployed(user: User, reply_body: dict[str, Any]) -> str:
    container_id = str(reply_body["id"])
    owner_view = user.wait_for(container_id)
    assert owner_view["status"] == "running", owner_view
    return container_id


def resource_count(user: User, project_id: str) -> int:
    return int(user.call("GET", f"/api/projects/{project_id}").body["resource_count"])


def test_containers_in_projects_and_members_limited_to_them(
    api: Api, default_host: str, test_image: str
) -> None:
    # Given Olivia's projects web and api, a container in each and one in none
    olivia, dev = api.user("Olivia"), api.user("Dev")
    web = olivia.call("POST", "/api/projects", {"name": "web"}).body["id"]
    other = olivia.call("POST", "/api/projects", {"name": "api"}).body["id"]
    in_web = deployed(
        olivia, olivia.call("POST", "/api/containers", small(test_image, "site", project_id=web)).body
    )
    in_api = deployed(
        olivia, olivia.call("POST", "/api/containers", small(test_image, "api", project_id=other)).body
    )
    loose = deployed(olivia, olivia.call("POST", "/api/containers", small(test_image, "loose")).body)
    assert resource_count(olivia, web) == 1 and resource_count(olivia, other) == 1
    # And Dev, a developer limited to the web project
    join(olivia, dev, "developer", project_ids=[web])
    org = olivia.org_id
    # When Dev lists and opens containers
    listed = [c["id"] for c in call_in(dev, org, "GET", "/api/containers").body["containers"]]
    # Then only the web project's container is there, and the others answer 404 like missing ones
    assert listed == [in_web]
    assert call_in(dev, org, "GET", f"/api/containers/{in_web}").body["project_id"] == web
    for hidden in (in_api, loose):
        assert call_in(dev, org, "GET", f"/api/containers/{hidden}").status == 404
        assert call_in(dev, org, "POST", f"/api/containers/{hidden}/stop").status == 404
    assert [p["id"] for p in call_in(dev, org, "GET", "/api/projects").body["projects"]] == [web]
    # And Dev deploys into the web project only
    nowhere = call_in(dev, org, "POST", "/api/containers", small(test_image, "mine"))
    assert nowhere.status == 403 and nowhere.body["error"]["details"][0]["field"] == "project_id"
    mine = call_in(dev, org, "POST", "/api/containers", small(test_image, "mine", project_id=web))
    assert mine.status == 202
    deployed(olivia, mine.body)
    assert resource_count(olivia, web) == 2


def test_a_project_with_containers_is_not_deleted_until_they_leave(
    api: Api, default_host: str, test_image: str
) -> None:
    olivia = api.user("Olivia")
    web = olivia.call("POST", "/api/projects", {"name": "web"}).body["id"]
    other = olivia.call("POST", "/api/projects", {"name": "other"}).body["id"]
    first = deployed(
        olivia, olivia.call("POST", "/api/containers", small(test_image, "one", project_id=web)).body
    )
    second = deployed(
        olivia, olivia.call("POST", "/api/containers", small(test_image, "two", project_id=web)).body
    )
    # a project holding containers stays
    busy = olivia.call("DELETE", f"/api/projects/{web}")
    assert busy.status == 409 and "still holds 2" in busy.body["error"]["message"]
    # one moves to another project, one leaves every project, and the counts follow
    moved = olivia.call("PUT", f"/api/containers/{first}", {"project_id": other})
    assert moved.status == 200 and moved.body["project_id"] == other
    out = olivia.call("PUT", f"/api/containers/{second}", {"project_id": None})
    assert out.status == 200 and out.body["project_id"] is None
    assert (resource_count(olivia, web), resource_count(olivia, other)) == (0, 1)
    assert olivia.call("DELETE", f"/api/projects/{web}").status == 204
    # deleting the container gives its project back
    assert olivia.call("DELETE", f"/api/containers/{first}").status == 204
    assert resource_count(olivia, other) == 0
    assert olivia.call("DELETE", f"/api/projects/{other}").status == 204


def test_a_container_in_a_missing_project_is_refused_naming_the_field(
    api: Api, default_host: str, test_image: str
) -> None:
    olivia = api.user("Olivia")
    refused = olivia.call("POST", "/api/containers", small(test_image, "web", project_id=MISSING_PROJECT))
    assert refused.status == 404 and refused.body["error"]["details"][0]["field"] == "project_id"
    assert olivia.call("GET", "/api/containers").body["containers"] == []
    # another organization's project is just as missing
    bob = api.user("Bob")
    bobs = bob.call("POST", "/api/projects", {"name": "b"}).body["id"]
    assert olivia.call("POST", "/api/containers", small(test_image, "web", project_id=bobs)).status == 404
