"""The provisioning workflow gets a container's image onto its host first: the organization's own images by
cs.local/..., others pulled where pulling is on (with the organization's registry login), never locally.
The engine is faked: nothing is ever pulled for real."""

from __future__ import annotations

import pytest

from chalicelib.domain.containers.entities import ContainerRequest, Resources
from chalicelib.domain.containers.provisioning import ContainerProvisioner
from chalicelib.domain.hosts.entities import Host
from chalicelib.domain.images.service import registry_context
from chalicelib.domain.images.supply import ImageSupply
from tests.fakes.images import FakeImageEngine, FakeRegistries, credential
from tests.fakes.shared import FakeSecretBox
from tests.unit.containers.world import ANN, BOB, MI, World

PRIVATE = "ghcr.io/acme/api:2"


class PullWorld(World):
    def __init__(self, *, pull: bool) -> None:
        super().__init__()
        self.registries = FakeRegistries()
        self.box = FakeSecretBox()
        self.image_engines = {h: FakeImageEngine(e) for h, e in self.engines.items()}
        supply = ImageSupply(self.images_for, self.registries, self.box, pull=pull)
        self.provisioner = ContainerProvisioner(
            self.containers,
            self.hosts,
            self.engine_for,
            publish_ip="127.0.0.1",
            clock=self.clock,
            images=supply,
        )

    def images_for(self, h: Host) -> FakeImageEngine:
        return self.image_engines[h.id]

    def deploy(self, org: str, image: str) -> dict[str, object]:
        p = ANN if org == "o1" else BOB
        c = self.service.create(
            p, ContainerRequest(name="api", image=image, resources=Resources(250, 64 * MI))
        )
        self.run_workflow(org, c.id)
        got = self.containers.get(org, c.id)
        return {"status": got.status, "reason": got.status_reason, "engine": self.engines["h1"]}


def test_an_image_already_on_the_host_is_pulled_again_with_the_organizations_own_login() -> None:
    # Given another organization's private image on the host (pulled with its login)
    world = PullWorld(pull=True)
    world.engines["h1"].images.add(PRIVATE)
    world.image_engines["h1"].pull_error = "unauthorized: authentication required"
    # When an organization without access deploys it, Then the registry's refusal stands
    result = world.deploy("o2", PRIVATE)
    assert result["status"] == "error" and "unauthorized" in str(result["reason"])
    assert world.image_engines["h1"].pulls == [(PRIVATE, None)]


def test_a_missing_public_image_is_pulled_before_the_container_is_created() -> None:
    world = PullWorld(pull=True)
    result = world.deploy("o1", "nginx:1.27")
    assert result["status"] == "running"
    assert world.image_engines["h1"].pulls == [("nginx:1.27", None)]


def test_a_private_image_is_pulled_with_the_organizations_decrypted_login() -> None:
    world = PullWorld(pull=True)
    encrypted = world.box.encrypt("s3cret", registry_context("o1", "ghcr.io"))
    world.registries.add(credential("o1", "ghcr.io"), encrypted)
    assert world.deploy("o1", PRIVATE)["status"] == "running"
    assert world.image_engines["h1"].pulls == [
        (PRIVATE, {"username": "robot", "password": "s3cret", "serveraddress": "ghcr.io"})
    ]


def test_another_organizations_login_is_never_used() -> None:
    world = PullWorld(pull=True)
    world.registries.add(
        credential("o2", "ghcr.io"), world.box.encrypt("bobs", registry_context("o2", "ghcr.io"))
    )
    world.deploy("o1", PRIVATE)
    assert world.image_engines["h1"].pulls == [(PRIVATE, None)]


def test_the_digest_the_container_runs_is_recorded_on_it() -> None:
    world = PullWorld(pull=True)
    world.deploy("o1", "nginx:1.27")
    (replica,) = world.engines["h1"].list_managed({"cs.organization": "o1"})
    digest = world.image_engines["h1"].inspect_image("nginx:1.27")
    assert digest is not None and replica.labels["cs.image-digest"] == digest.id
    (record,) = world.containers.items.values()
    assert (record.status, record.image_digest) == ("running", digest.id)


def test_a_failed_pull_is_a_reason_the_customer_can_act_on() -> None:
    world = PullWorld(pull=True)
    world.image_engines[
        "h1"
    ].pull_error = "pull access denied for ghcr.io/acme/api, repository does not exist"
    result = world.deploy("o1", PRIVATE)
    assert result["status"] == "error"
    reason = str(result["reason"])
    assert "Pulling ghcr.io/acme/api:2 failed: pull access denied" in reason
    assert "save a login for ghcr.io" in reason


def test_the_local_stack_never_pulls_and_says_so() -> None:
    world = PullWorld(pull=False)
    result = world.deploy("o1", "nginx:1.27")
    assert result["status"] == "error"
    assert "never pulls images" in str(result["reason"])
    assert world.image_engines["h1"].pulls == []


def test_an_own_image_runs_from_the_organizations_namespace_and_is_never_pulled() -> None:
    world = PullWorld(pull=True)
    world.engines["h1"].images.add("cs-img-o1/web:1")
    assert world.deploy("o1", "cs.local/web:1")["status"] == "running"
    (replica,) = world.engines["h1"].list_managed({"cs.organization": "o1"})
    assert world.engines["h1"].specs[replica.id].image == "cs-img-o1/web:1"
    assert world.image_engines["h1"].pulls == []


def test_another_organizations_image_is_not_found_for_it() -> None:
    world = PullWorld(pull=True)
    world.engines["h1"].images.add("cs-img-o1/web:1")
    result = world.deploy("o2", "cs.local/web:1")
    assert result["status"] == "error"
    assert "not among your organization's ready images" in str(result["reason"])
    assert world.image_engines["h1"].pulls == []


@pytest.mark.parametrize("image", ["cs-img-o1/web:1", "CS-IMG-o1.example/web:1"])
def test_nobody_names_the_hosts_namespaces(image: str) -> None:
    from chalicelib.domain.shared.errors import ValidationFailed

    world = PullWorld(pull=True)
    with pytest.raises(ValidationFailed):
        world.service.create(BOB, ContainerRequest(name="x", image=image, resources=Resources(250, 64 * MI)))
