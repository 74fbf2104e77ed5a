"""`make dev`'s Linode sandbox: the stack prints its URL, the real adapter works against it, and its
instances survive the stack being killed and started again (as the stack's own records do)."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

from chalicelib.adapters.linode.compute import LinodeProviders
from chalicelib.domain.vps.ports import CloudProvider, NewInstance
from devstack.linode_stub import SANDBOX_TOKEN
from tests.support.devstack_process import RunningStack, running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker]
STUB_LINE = re.compile(r"^Linode sandbox stub at (http://127\.0\.0\.1:\d+/v4) … ok$")


def sandbox(stack: RunningStack) -> CloudProvider:
    url = next(m.group(1) for line in stack.output if (m := STUB_LINE.match(line)))
    return LinodeProviders(default_base_url=url, timeout=10).connect("linode", SANDBOX_TOKEN)


def test_the_linode_sandbox_keeps_its_instances_across_a_kill(tmp_path: Path) -> None:
    data, fast = tmp_path / "data", {"CS_LINODE_STUB_BOOT_SECONDS": "0"}
    # Given a local stack whose sandbox Linode account has one instance
    with running_devstack(data, "operator@example.test", "operator-password", extra_env=fast) as first:
        linode = sandbox(first)
        assert linode.check().regions == 11
        created = linode.create_instance(
            NewInstance("kept-vps", "us-east", "g6-nanode-1", ("cs-vps-e2e",), "Root-Passw0rd-e2e")
        )
        # When the stack is killed
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=30)

    # Then the restarted stack's sandbox (on another port) still has it, running, and its event
    with running_devstack(data, "operator@example.test", "operator-password", extra_env=fast) as second:
        linode = sandbox(second)
        again = linode.instance(created.id)
        assert again is not None and again.status == "running" and again.ipv4 == created.ipv4
        assert [e.action for e in linode.events()] == ["linode_create"]
