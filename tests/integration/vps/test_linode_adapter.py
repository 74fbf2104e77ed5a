"""The real Linode adapter (linode_api4) against the Linode sandbox stub over HTTP: what a provider
account answers, an instance's life, events since a cursor, and each failure mapped onto the port's errors."""

from __future__ import annotations

import ipaddress
import logging
import time
import traceback

import pytest

from chalicelib.adapters.linode.compute import LinodeProviders
from chalicelib.domain.vps.ports import (
    CloudProvider,
    NewInstance,
    ProviderAuthFailed,
    ProviderInstance,
    ProviderRejected,
    ProviderUnavailable,
)
from devstack.linode_http import LinodeServer
from devstack.linode_stub import SANDBOX_TOKEN, LinodeStub
from devstack.net import free_port
from tests.support.linode import BOOT_SECONDS, eventually

PASSWORD = "Root-Passw0rd-for-tests"
DOCUMENTATION = ipaddress.ip_network("192.0.2.0/24")


@pytest.fixture
def linode(linode_server: LinodeServer, linode_stub: LinodeStub) -> CloudProvider:
    """The sandbox account through the adapter, with small pages (25) so paging is exercised."""
    return LinodeProviders(default_base_url=linode_server.api_url, timeout=1.0, page_size=25).connect(
        "linode", SANDBOX_TOKEN
    )


def spec(label: str, *tags: str, type_id: str = "g6-nanode-1", password: str = PASSWORD) -> NewInstance:
    return NewInstance(
        label=label,
        region="us-east",
        type_id=type_id,
        tags=tags or ("cs-vps-test",),
        root_password=password,
        authorized_keys=("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample test@example.com",),
    )


def chain(error: BaseException | None) -> str:
    """Every message of `error` and the exceptions behind it (what a logged traceback shows of them)."""
    shown = ""
    while error is not None:
        shown += "".join(traceback.format_exception_only(error)) + repr(error)
        error = error.__cause__ or error.__context__
    return shown


def status(linode: CloudProvider, instance_id: str) -> str | None:
    found = linode.instance(instance_id)
    return found.status if found else None


def running(linode: CloudProvider, instance_id: str) -> ProviderInstance:
    def probe() -> ProviderInstance | None:
        found = linode.instance(instance_id)
        return found if found is not None and found.status == "running" else None

    return eventually(probe)


def test_check_reports_the_account_and_what_it_can_see(linode: CloudProvider) -> None:
    found = linode.check()

    assert (found.account, found.regions, found.types, found.instances) == ("sandbox@example.com", 11, 5, 0)


def test_types_and_regions_are_the_catalog(linode: CloudProvider) -> None:
    types = {t.id: t for t in linode.types()}
    regions = {r.id: r for r in linode.regions()}

    assert len(types) == 5 and (types["g6-nanode-1"].hourly_cents, types["g6-nanode-1"].monthly_cents) == (
        1,
        500,
    )
    assert len(regions) == 11 and regions["us-east"].country == "us"


def test_a_new_instance_boots_to_running_and_is_found_by_its_tag(linode: CloudProvider) -> None:
    # Given one instance of someone else's
    linode.create_instance(spec("other-1", "cs-vps-other"))

    # When ours is created
    created = linode.create_instance(spec("vps-one", "cs-vps-0001", "containerstacks"))

    # Then it starts provisioning, has a documentation-range address, reaches running, and its tag finds it
    assert created.status == "provisioning" and created.type_id == "g6-nanode-1"
    assert all(ipaddress.ip_address(a) in DOCUMENTATION for a in created.ipv4)
    assert running(linode, created.id).ipv4 == created.ipv4
    assert [i.id for i in linode.instances(tag="cs-vps-0001")] == [created.id]
    assert {i.label for i in linode.instances()} == {"other-1", "vps-one"}
    assert linode.instances(tag="cs-vps-none") == []


def test_instances_are_listed_across_pages(linode: CloudProvider, linode_stub: LinodeStub) -> None:
    for n in range(30):
        linode.create_instance(spec(f"many-{n:02d}", "cs-many" if n < 27 else "cs-few"))

    assert len(linode.instances()) == 30
    assert len(linode.instances(tag="cs-many")) == 27


def test_shutdown_boot_and_reboot_change_the_instance_and_are_events(
    linode: CloudProvider, linode_stub: LinodeStub
) -> None:
    created = linode.create_instance(spec("vps-power"))
    running(linode, created.id)

    linode.shutdown(created.id)
    eventually(lambda: status(linode, created.id) == "offline")
    linode.boot(created.id)
    running(linode, created.id)
    linode.reboot(created.id)
    assert status(linode, created.id) == "rebooting"
    running(linode, created.id)

    events = [(e.action, e.entity_type, e.entity_id) for e in linode.events()]
    assert events == [
        (action, "linode", created.id)
        for action in ("linode_create", "linode_shutdown", "linode_boot", "linode_reboot")
    ]


def test_deleting_twice_is_safe(linode: CloudProvider) -> None:
    created = linode.create_instance(spec("vps-gone"))

    assert linode.delete_instance(created.id) is True
    assert linode.delete_instance(created.id) is False
    assert linode.instance(created.id) is None
    assert linode.delete_instance("not-a-linode-id") is False and linode.instance("../profile") is None
    with pytest.raises(ProviderRejected) as refused:
        linode.boot(created.id)
    assert refused.value.status == 404


def test_events_after_a_cursor_come_oldest_first_across_pages(
    linode_server: LinodeServer, linode: CloudProvider, linode_stub: LinodeStub
) -> None:
    # Given 31 events: a create, then 30 migrations done at Linode
    created = linode.create_instance(spec("vps-events"))
    for _ in range(30):
        linode_stub.outside(int(created.id), "migrate")

    # When all are read, then those after the tenth
    everything = linode.events()
    after_tenth = linode.events(after_id=everything[9].id)

    # Then they come oldest first, none twice, in more than one page, and nothing is after the last
    ids = [e.id for e in everything]
    assert len(ids) == 31 and ids == sorted(set(ids))
    assert [e.id for e in after_tenth] == ids[10:]
    assert {e.action for e in after_tenth} == {"linode_migrate"}
    assert linode.events(after_id=ids[-1]) == []
    pages = [r for r in linode_stub.requests if r["operation"] == "events"]
    assert len(pages) >= 2


def test_changes_made_at_linode_show_in_the_instance_and_the_events(
    linode: CloudProvider, linode_stub: LinodeStub
) -> None:
    created = linode.create_instance(spec("vps-outside"))
    running(linode, created.id)
    cursor = linode.events()[-1].id

    linode_stub.outside(int(created.id), "shutdown")
    eventually(lambda: status(linode, created.id) == "offline")
    linode_stub.outside(int(created.id), "delete")

    assert linode.instance(created.id) is None
    assert [(e.action, e.entity_id) for e in linode.events(after_id=cursor)] == [
        ("linode_shutdown", created.id),
        ("linode_delete", created.id),
    ]


def test_a_wrong_key_fails_authentication_without_showing_the_key(
    linode_server: LinodeServer, linode_stub: LinodeStub, caplog: pytest.LogCaptureFixture
) -> None:
    key = "wrong-key-0123456789abcdef"
    caplog.set_level(logging.DEBUG)
    wrong = LinodeProviders(default_base_url=linode_server.api_url, timeout=1.0).connect("linode", key)

    with pytest.raises(ProviderAuthFailed) as failed:
        wrong.check()

    assert failed.value.status == 401
    shown = chain(failed.value) + repr(wrong) + caplog.text
    assert key not in shown and key[-8:] not in shown


@pytest.mark.parametrize("fault", ["500", "503"])
def test_a_server_error_is_retryable(linode: CloudProvider, linode_stub: LinodeStub, fault: str) -> None:
    linode_stub.inject("create", fault)

    with pytest.raises(ProviderUnavailable) as failed:
        linode.create_instance(spec("vps-500"))

    assert fault in failed.value.message
    assert linode.instances() == []  # nothing was made
    assert linode.create_instance(spec("vps-500")).label == "vps-500"  # the next try works


def test_rate_limiting_is_retryable_after_linodes_retry_after(
    linode: CloudProvider, linode_stub: LinodeStub
) -> None:
    linode_stub.inject("list", "429", retry_after=4)

    with pytest.raises(ProviderUnavailable) as failed:
        linode.instances()

    assert failed.value.retry_after == 4.0
    assert linode.instances() == []


def test_a_refused_request_names_the_field(linode: CloudProvider) -> None:
    with pytest.raises(ProviderRejected) as unknown_type:
        linode.create_instance(spec("vps-bad", type_id="g9-enormous"))
    with pytest.raises(ProviderRejected) as weak_password:
        linode.create_instance(spec("vps-weak", password="onlylowercaseletters"))

    assert (unknown_type.value.status, unknown_type.value.field) == (400, "type")
    assert not isinstance(unknown_type.value, ProviderAuthFailed)
    assert weak_password.value.field == "root_pass"
    assert "onlylowercaseletters" not in chain(weak_password.value)


def test_an_answer_that_never_comes_is_retryable_and_the_work_may_be_done(
    linode: CloudProvider, linode_stub: LinodeStub
) -> None:
    # Given Linode creates the instance but answers after the adapter stopped waiting
    linode_stub.inject("create", "timeout")

    with pytest.raises(ProviderUnavailable):
        linode.create_instance(spec("vps-slow", "cs-vps-slow"))

    # Then the instance is there, found by its tag (what a retried create looks for first)
    assert [i.label for i in linode.instances(tag="cs-vps-slow")] == ["vps-slow"]


def test_a_create_that_never_reaches_running_stays_provisioning(
    linode: CloudProvider, linode_stub: LinodeStub
) -> None:
    linode_stub.inject("create", "never_running")
    stuck = linode.create_instance(spec("vps-stuck"))
    normal = linode.create_instance(spec("vps-normal"))

    running(linode, normal.id)
    time.sleep(BOOT_SECONDS)  # well past the normal boot

    assert status(linode, stuck.id) == "provisioning"
    assert [e.status for e in linode.events() if e.entity_id == stuck.id] == ["started"]


def test_an_unreachable_api_is_retryable() -> None:
    nowhere = LinodeProviders(default_base_url=f"http://127.0.0.1:{free_port()}/v4", timeout=1.0)

    with pytest.raises(ProviderUnavailable):
        nowhere.connect("linode", SANDBOX_TOKEN).types()
