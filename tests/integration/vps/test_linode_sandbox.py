"""The Linode sandbox's own controls over HTTP (what a test or a person uses against `make dev`), and its
state file, which keeps the sandbox matching the local stack's VPS records after a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from devstack.linode_http import LinodeServer
from devstack.linode_stub import SANDBOX_TOKEN, LinodeStub

REQUEST = {
    "type": "g6-nanode-1",
    "region": "us-east",
    "image": "linode/debian12",
    "root_pass": "Sandbox-Passw0rd",
    "tags": ["cs-vps-1"],
}


def test_the_sandbox_keeps_its_instances_and_events_across_a_restart(tmp_path: Path) -> None:
    # Given a sandbox with a state file, one instance left and one deleted
    state = tmp_path / "linode-sandbox.json"
    before = LinodeStub(boot_seconds=0, state_file=state)
    kept = before.create({**REQUEST, "label": "kept"})
    gone = before.create({**REQUEST, "label": "gone", "tags": ["cs-vps-2"]})
    before.delete(gone["id"])

    # When a new stub restores it
    after = LinodeStub(boot_seconds=0, state_file=state)
    after.restore()

    # Then the instance (running, same address), the events and the tags are back
    assert after.instances() == [before.get(kept["id"])]
    assert after.instances()[0]["status"] == "running"
    assert after.event_list() == before.event_list()
    assert {t["label"] for t in after.tag_list()} == {"cs-vps-1", "cs-vps-2"}
    # and new ids and addresses never repeat old ones
    again = after.create({**REQUEST, "label": "again"})
    assert again["id"] > gone["id"] and again["ipv4"] not in (kept["ipv4"], gone["ipv4"])


def control(server: LinodeServer, method: str, path: str, body: Any = None) -> requests.Response:
    return requests.request(method, f"{server.url}/__control/{path}", json=body, timeout=5)


def api(server: LinodeServer, method: str, path: str, body: Any = None, token: str = SANDBOX_TOKEN) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, f"{server.api_url}{path}", json=body, headers=headers, timeout=5)


def test_the_controls_inject_faults_make_outside_changes_and_reset(
    linode_server: LinodeServer, linode_stub: LinodeStub
) -> None:
    # Given an instance made through the API and a second accepted key
    assert control(linode_server, "POST", "config", {"boot_seconds": 0}).status_code == 200
    assert control(linode_server, "POST", "tokens", {"token": "second-sandbox-key"}).status_code == 200
    made = api(linode_server, "POST", "/linode/instances", {**REQUEST, "label": "controlled"}).json()

    # When a 429 is injected, and the instance is shut down at Linode
    fault = {"operation": "get", "fault": "429", "count": 1, "retry_after": 9}
    assert control(linode_server, "POST", "faults", fault).status_code == 200
    limited = api(linode_server, "GET", f"/linode/instances/{made['id']}", token="second-sandbox-key")
    assert control(linode_server, "POST", f"instances/{made['id']}/shutdown").status_code == 200

    # Then the next read was rate limited, the one after sees the instance offline, the requests are listed
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "9")
    assert api(linode_server, "GET", f"/linode/instances/{made['id']}").json()["status"] == "offline"
    seen = control(linode_server, "GET", "requests").json()["data"]
    assert [(r["operation"], r["status"]) for r in seen] == [("create", 200), ("get", 429), ("get", 200)]
    events = api(linode_server, "GET", "/account/events").json()["data"]
    assert [(e["action"], e["username"]) for e in events] == [
        ("linode_shutdown", None),
        ("linode_create", "sandbox"),
    ]

    # and a reset forgets it all; nonsense is refused
    assert control(linode_server, "POST", "reset").status_code == 200
    assert api(linode_server, "GET", "/linode/instances").json()["results"] == 0
    assert control(linode_server, "POST", "faults", {"operation": "get", "fault": "418"}).status_code == 400
    assert control(linode_server, "POST", f"instances/{made['id']}/shutdown").status_code == 404
    assert control(linode_server, "POST", "nosuch").status_code == 404


def test_concurrent_creates_get_their_own_ids_and_addresses(
    linode_server: LinodeServer, linode_stub: LinodeStub
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def create(n: int) -> Any:
        return api(linode_server, "POST", "/linode/instances", {**REQUEST, "label": f"burst-{n:02d}"}).json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(pool.map(create, range(24)))

    assert len({m["id"] for m in made}) == len({m["ipv4"][0] for m in made}) == 24
    assert len([e for e in linode_stub.event_list() if e["action"] == "linode_create"]) == 24
