"""Images over HTTP on the real engine: an uploaded docker save tarball and a Dockerfile build run as
containers of their organization only; sizes count against its quota; nothing is ever pulled."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.store.billing.meters import MeterRepository
from tests.integration.containers.test_api import free_port, get_page
from tests.support.api import Api, User, remove_engine_leftovers, wait_for_workflows
from tests.support.image_registry import (
    BUILD_DOCKERFILE,
    busybox_context,
    engine_has,
    put,
    remove_org_images,
    saved_web_image,
    upload_image,
    wait_for_image,
)

pytestmark = pytest.mark.docker
PAGE = "hello from an uploaded image"


@pytest.fixture
def images_api(aws: Any, api: Api, default_host: str) -> Iterator[Api]:
    """The API with the local engine as host; every image of the test's organizations is removed after."""
    yield api
    wait_for_workflows(aws)
    remove_engine_leftovers(api.org_ids)  # containers first: an image a container uses would only be untagged
    remove_org_images(api.org_ids)


@pytest.fixture(scope="module")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return saved_web_image(tmp_path_factory.mktemp("images") / "web.tar", PAGE).read_bytes()


def deploy(user: User, image: str) -> tuple[dict[str, Any], int]:
    port = free_port()
    created = user.call(
        "POST",
        "/api/containers",
        {
            "name": "web",
            "image": image,
            "resources": {"cpu": "0.25", "memory": "32Mi"},
            "ports": [{"container": 80, "host": port}],
        },
    )
    assert created.status == 202, created.body
    return user.wait_for(created.body["id"]), port


def test_an_uploaded_docker_save_tarball_runs_as_a_container(images_api: Api, tarball: bytes) -> None:
    # Given Ann uploaded a docker save tarball of a busybox web image
    ann = images_api.user("Ann")
    image = upload_image(ann, tarball, "web", "1")
    # Then it is ready, with its size, digest and the names it was saved with
    assert image["status"] == "ready", image["status_reason"]
    assert image["reference"] == "cs.local/web:1"
    assert image["size_bytes"] > 0 and image["digest"].startswith("sha256:")
    assert image["repo_tags"] and image["repo_tags"][0].startswith("cs-test-upload-")
    listed = ann.call("GET", "/api/images")
    assert [i["id"] for i in listed.body["images"]] == [image["id"]]
    assert ann.call("GET", "/api/images/usage").body["used_bytes"] == image["size_bytes"]
    # And its size is metered as storage from now on, like a container's
    (meter,) = [m for m in MeterRepository().of_org(ann.org_id) if m.kind == "image"]
    assert (meter.resource_id, meter.changes[-1].storage_bytes, meter.ended_at) == (
        image["id"],
        image["size_bytes"],
        None,
    )
    # When she deploys it
    container, port = deploy(ann, "cs.local/web:1")
    # Then it runs and serves the uploaded page
    assert container["status"] == "running", container["status_reason"]
    assert container["image_digest"] == image["digest"]  # the image id it runs
    assert get_page(port).strip() == PAGE
    # And the image cannot be deleted while the container uses it
    refused = ann.call("DELETE", f"/api/images/{image['id']}")
    assert refused.status == 409 and refused.body["error"]["details"] == {"containers": ["web"]}
    # When the container is gone, deleting the image removes it from the host and gives the space back
    assert ann.call("DELETE", f"/api/containers/{container['id']}").status == 204
    assert ann.call("DELETE", f"/api/images/{image['id']}").status == 204
    assert not engine_has(f"cs-img-{ann.org_id.lower()}/web:1")
    assert ann.call("GET", f"/api/images/{image['id']}").status == 404
    assert ann.call("GET", "/api/images/usage").body["used_bytes"] == 0
    (meter,) = [m for m in MeterRepository().of_org(ann.org_id) if m.kind == "image"]
    assert meter.ended_at is not None  # the next billing run charges up to here and removes it


def test_a_dockerfile_build_produces_an_image_and_a_log(images_api: Api) -> None:
    # Given Ann announces a build and uploads its context (a tar holding busybox)
    ann = images_api.user("Ann")
    context = busybox_context()
    announced = ann.call(
        "POST",
        "/api/images/build",
        {"name": "site", "tag": "v2", "size_bytes": len(context), "dockerfile": BUILD_DOCKERFILE},
    )
    assert announced.status == 201, announced.body
    build_id = announced.body["image"]["id"]
    assert put(announced.body["upload"], context) == 200
    # When she completes the upload
    assert ann.call("POST", f"/api/images/{build_id}/complete").status == 202
    image = wait_for_image(ann, build_id)
    # Then the build is ready and its status shows the log
    assert image["status"] == "ready", image["status_reason"]
    status = ann.call("GET", f"/api/images/build/{build_id}/status").body
    assert status["status"] == "ready"
    assert any("COPY busybox" in line for line in status["log_tail"])
    assert not any("cs-img-" in line for line in status["log_tail"])  # her own names, not the host's
    # And the image runs as her container
    container, port = deploy(ann, "cs.local/site:v2")
    assert container["status"] == "running", container["status_reason"]
    assert get_page(port).strip() == "built by containerstacks"


def test_a_failing_build_ends_in_error_with_its_log(images_api: Api) -> None:
    # Given a Dockerfile whose RUN fails
    ann = images_api.user("Ann")
    context = busybox_context()
    dockerfile = 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "false"]\n'
    announced = ann.call(
        "POST", "/api/images/build", {"name": "broken", "size_bytes": len(context), "dockerfile": dockerfile}
    )
    put(announced.body["upload"], context)
    ann.call("POST", f"/api/images/{announced.body['image']['id']}/complete")
    # Then the image ends in error, saying why, and the log is kept
    image = wait_for_image(ann, announced.body["image"]["id"])
    assert image["status"] == "error"
    assert "returned a non-zero code" in image["status_reason"]
    status = ann.call("GET", f"/api/images/build/{image['id']}/status").body
    assert any("busybox" in line for line in status["log_tail"])
    assert ann.call("GET", "/api/images/usage").body["used_bytes"] == 0


def test_organizations_never_see_or_run_each_others_images(images_api: Api, tarball: bytes) -> None:
    # Given Ann's organization has an image
    ann, bob = images_api.user("Ann"), images_api.user("Bob")
    image = upload_image(ann, tarball, "web", "1")
    assert image["status"] == "ready"
    # Then Bob neither sees it nor can delete it
    assert bob.call("GET", f"/api/images/{image['id']}").status == 404
    assert bob.call("GET", f"/api/images/build/{image['id']}/status").status == 404
    assert bob.call("DELETE", f"/api/images/{image['id']}").status == 404
    assert bob.call("GET", "/api/images").body["images"] == []
    # And cs.local/web:1 is not his to run: his organization has no such image
    container, _ = deploy(bob, "cs.local/web:1")
    assert container["status"] == "error"
    assert "not among your organization's ready images" in container["status_reason"]
    # Nor may he name the host's namespace of Ann's organization
    named = bob.call(
        "POST",
        "/api/containers",
        {
            "name": "x",
            "image": f"cs-img-{ann.org_id.lower()}/web:1",
            "resources": {"cpu": "0.1", "memory": "16Mi"},
        },
    )
    assert named.status == 400


def test_an_image_name_and_tag_is_unique_in_an_organization(images_api: Api) -> None:
    ann = images_api.user("Ann")
    first = ann.call("POST", "/api/images/upload", {"name": "web", "tag": "1", "size_bytes": 10})
    assert first.status == 201
    again = ann.call("POST", "/api/images/upload", {"name": "web", "tag": "1", "size_bytes": 10})
    assert again.status == 409 and again.body["error"]["details"][0]["field"] == "name"


def test_completing_before_uploading_is_refused(images_api: Api) -> None:
    ann = images_api.user("Ann")
    announced = ann.call("POST", "/api/images/upload", {"name": "web", "size_bytes": 10})
    reply = ann.call("POST", f"/api/images/{announced.body['image']['id']}/complete")
    assert reply.status == 409 and "Nothing was uploaded" in reply.body["error"]["message"]


def test_a_tarball_that_is_not_a_docker_save_archive_ends_in_error(images_api: Api) -> None:
    ann = images_api.user("Ann")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    image = upload_image(ann, buffer.getvalue(), "junk", "1")
    assert image["status"] == "error"
    assert "manifest.json" in image["status_reason"]


def test_uploads_beyond_the_quota_are_refused(images_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib import wiring

    monkeypatch.setenv("CS_IMAGE_QUOTA_BYTES", "1000")
    wiring.reset()
    ann = images_api.user("Ann")
    reply = ann.call("POST", "/api/images/upload", {"name": "web", "size_bytes": 1001})
    assert reply.status == 409
    assert reply.body["error"]["code"] == "quota_exceeded"
    assert ann.call("GET", "/api/images/usage").body == {"used_bytes": 0, "limit_bytes": 1000}


def test_the_local_stack_never_pulls_and_says_so(images_api: Api) -> None:
    ann = images_api.user("Ann")
    container, _ = deploy(ann, "registry.example.com/team/app:1")
    assert container["status"] == "error"
    assert "never pulls images" in container["status_reason"]


def test_listing_and_reading_images_cost_one_auth_read_and_one_data_read(images_api: Api) -> None:
    from tests.support.counting import aws_calls

    ann = images_api.user("Ann")
    image_id = ann.call("POST", "/api/images/upload", {"name": "web", "size_bytes": 10}).body["image"]["id"]
    ann.call("GET", "/api/images")  # warm the cached service objects
    with aws_calls() as listing:
        assert ann.call("GET", "/api/images").status == 200
    with aws_calls() as reading:
        assert ann.call("GET", f"/api/images/build/{image_id}/status").status == 200
    assert listing == [("dynamodb", "BatchGetItem"), ("dynamodb", "Query")]
    assert reading == [("dynamodb", "BatchGetItem"), ("dynamodb", "GetItem")]


def test_a_build_starts_from_the_organizations_own_image_and_never_from_others_on_the_host(
    images_api: Api, tarball: bytes, test_image: str
) -> None:
    # Given Ann uploaded a base image
    ann = images_api.user("Ann")
    assert upload_image(ann, tarball, "base", "1")["status"] == "ready"
    context = busybox_context()
    # When she builds FROM it
    dockerfile = "FROM cs.local/base:1\nRUN echo 'built on my base' > /www/index.html\n"
    announced = ann.call(
        "POST", "/api/images/build", {"name": "child", "size_bytes": len(context), "dockerfile": dockerfile}
    )
    assert announced.status == 201, announced.body
    put(announced.body["upload"], context)
    ann.call("POST", f"/api/images/{announced.body['image']['id']}/complete")
    # Then it builds, and runs with her page
    built = wait_for_image(ann, announced.body["image"]["id"])
    assert built["status"] == "ready", built["status_reason"]
    container, port = deploy(ann, "cs.local/child:latest")
    assert container["status"] == "running", container["status_reason"]
    assert get_page(port).strip() == "built on my base"
    # But an image that merely is on the host (another organization's, or the platform's) is not hers to use
    refused = ann.call(
        "POST", "/api/images/build", {"name": "x", "size_bytes": 10, "dockerfile": f"FROM {test_image}\n"}
    )
    assert refused.status == 403 and refused.body["error"]["details"][0]["field"] == "dockerfile"
