"""Every route x every kind of caller, each cell a real request with a valid body and real ids.

The rows are keyed by operation_id. A route without a row fails (add one when you add a route), and so does
a row whose route is gone. Run with `-s` to see the expected matrix and its size.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import app  # noqa: F401 - registers every route in ROUTES
from chalicelib.api.http import ROUTES, RouteSpec
from devstack.k8s_http import KubeServer
from devstack.paypal_http import PayPalServer
from tests.support.api import PASSWORD
from tests.support.audit_matrix import AUDIT_ROWS, add_audit_resources
from tests.support.backups_matrix import BACKUP_ROWS, add_backup_resources
from tests.support.billing_matrix import BILLING_ROWS, add_billing_resources
from tests.support.clusters_matrix import CLUSTER_ROWS, add_cluster_resources
from tests.support.images_matrix import IMAGE_ROWS, add_image_resources
from tests.support.market_matrix import MARKET_ROWS, add_market_resources
from tests.support.matrix import (
    MEMBERS,
    Caller,
    Cell,
    Listing,
    Mismatch,
    Row,
    World,
    expectation_table,
    expected,
    judge,
    label,
    open_world,
    ordered,
    table,
)
from tests.support.monitoring_matrix import MONITORING_ROWS, add_monitoring_resources
from tests.support.notifications_matrix import NOTIFICATION_ROWS, add_notification_resources
from tests.support.stack_fixtures import AwsStack
from tests.support.support_matrix import SUPPORT_ROWS, add_support_resources
from tests.support.teams_matrix import TEAM_ROWS, add_team_resources
from tests.support.vps import fake_cloud
from tests.support.vps_matrix import VPS_ROWS, add_vps_resources


def settle_created_containers(world: World, cells: list[Cell]) -> None:
    """Wait until what the create cells started is provisioned (nothing keeps running after the module)."""
    for cell in cells:
        user = world.owner if cell.caller in MEMBERS else world.user_of(cell.caller)
        if cell.reply.status == 202 and user is not None:
            user.wait_for(cell.reply.body["id"])


def remove_added_hosts(world: World, cells: list[Cell]) -> None:
    world.spare_hosts.extend(cell.reply.body["id"] for cell in cells if cell.reply.status == 201)


MATRIX: dict[str, Row] = {
    # meta and auth: open to everyone
    "openapi": Row(),
    "register": Row(
        body=lambda w: {"email": f"{w.unique('new')}@example.com", "password": PASSWORD, "name": "N"}
    ),
    "login": Row(body=lambda w: {"email": w.owner.email, "password": PASSWORD}),
    "logout": Row(fresh_login=True),
    # the caller's own account and organizations
    "get_profile": Row(),
    "update_profile": Row(body=lambda w: {"name": w.unique("Renamed")}),
    "list_organizations": Row(lists=Listing("organizations", "org_id")),
    "get_organization": Row(),
    # containers of the organization acted in
    "list_containers": Row(lists=Listing("containers", "container_id")),
    "create_container": Row(body=World.container_body, after=settle_created_containers),
    "get_container": Row(),
    "update_container": Row(body=lambda w: {"name": w.unique("renamed")}),
    "delete_container": Row(fresh=("container_id",)),
    "start_container": Row(),
    "stop_container": Row(fresh=("container_id",)),
    "restart_container": Row(),
    "scale_container": Row(body=lambda w: {"resources": {"cpu": "0.2", "memory": "32Mi"}}),
    "container_logs": Row(query="?tail=20"),
    "container_metrics": Row(),
    # the host registry: platform admins only
    "list_hosts": Row(),
    "add_host": Row(
        body=lambda w: {"name": w.unique("extra"), "url": w.docker_url}, after=remove_added_hosts
    ),
    "get_host": Row(),
    "drain_host": Row(fresh=("host_id",)),
    "activate_host": Row(fresh=("host_id",)),
    "remove_host": Row(fresh=("host_id",)),
    # billing: wallet, PayPal, invoices (customers) and operators' billing routes
    **BILLING_ROWS,
    # VPS: plans, instances, SSH keys, Linode events (customers) and providers (operators)
    **VPS_ROWS,
    # support tickets (customers) and the operators' desk
    **SUPPORT_ROWS,
    # the audit trail and the admin area (users, organizations, figures)
    **AUDIT_ROWS,
    # notifications (the member's own feed) and the organization's webhooks
    **NOTIFICATION_ROWS,
    # teams: members, invitations, projects
    **TEAM_ROWS,
    # quotas and packages, the marketplace
    **MARKET_ROWS,
    **MONITORING_ROWS,
    # images: uploads, builds and registry logins of the organization acted in
    **IMAGE_ROWS,
    # Kubernetes clusters: the registry (operators) and the choice when deploying (customers)
    **CLUSTER_ROWS,
    # backups of the organization's containers
    **BACKUP_ROWS,
}

BY_ID = {route.operation_id: route for route in ROUTES}
CASES = [*BY_ID, *(operation_id for operation_id in MATRIX if operation_id not in BY_ID)]


def case_id(operation_id: str) -> str:
    route = BY_ID.get(operation_id)
    return label(route) if route else f"stale row {operation_id}"


@pytest.fixture(scope="module")
def world(
    aws: AwsStack,
    docker_url: str,
    test_image: str,
    paypal_server: PayPalServer,
    k8s_server: KubeServer,
    backup_helper_image: str,
) -> Iterator[World]:
    with fake_cloud() as cloud, open_world(aws, docker_url, test_image) as shared:
        add_billing_resources(shared, paypal_server.stub)
        add_vps_resources(shared, cloud)
        add_support_resources(shared)
        add_audit_resources(shared)
        add_notification_resources(shared)
        add_team_resources(shared)
        add_market_resources(shared)
        add_monitoring_resources(shared)
        add_image_resources(shared)
        add_cluster_resources(shared, k8s_server)
        add_backup_resources(shared)
        yield shared
        print(f"\nauthorization matrix: {shared.cells} cells requested")


def test_the_matrix_has_one_row_per_route_and_prints_its_size() -> None:
    """Needs no engine, so it runs with `-m "not docker"` too."""
    missing = sorted(label(BY_ID[op]) for op in BY_ID.keys() - MATRIX.keys())
    stale = sorted(MATRIX.keys() - BY_ID.keys())
    print(f"\n{expectation_table(ROUTES, MATRIX)}")
    size = len(ROUTES) * len(Caller)
    print(f"authorization matrix: {len(ROUTES)} routes x {len(Caller)} caller kinds = {size} cells")
    assert not missing and not stale, (
        f"routes without a row in MATRIX (add one): {missing}; "
        f"rows for routes that no longer exist (remove them): {stale}"
    )
    assert len(ROUTES) == len(BY_ID), "two routes share an operation_id"


@pytest.mark.docker
@pytest.mark.parametrize("operation_id", CASES, ids=case_id)
def test_each_caller_gets_what_the_matrix_says(request: pytest.FixtureRequest, operation_id: str) -> None:
    # Given a route and its row (neither may be missing)
    route: RouteSpec | None = BY_ID.get(operation_id)
    row = MATRIX.get(operation_id)
    assert route is not None, f"MATRIX has a row for {operation_id!r}, which is no longer a route: remove it"
    assert row is not None, f"{label(route)} ({operation_id}) has no row in MATRIX: add one"
    assert (row.body is None) == (route.request is None), (
        f"{label(route)}: a row needs a body iff the route takes one"
    )
    world: World = request.getfixturevalue("world")
    ids = dict(world.ids)
    cells: list[Cell] = []
    mismatches: list[Mismatch] = []
    try:
        ids.update({name: world.fresh(name, row.make.get(name)) for name in row.fresh})
        # When every kind of caller sends it (denied cells first, destructive successes last; each success
        # on a resource it destroys gets its own)
        used = False
        for caller in ordered(route, row):
            if row.fresh and used and expected(route, row, caller) < 400:
                ids.update({name: world.fresh(name, row.make.get(name)) for name in row.fresh})
            path = route.path.format(**ids) + row.query
            body = row.body(world) if row.body else None
            reply = world.send(
                caller, route.method, path, body, fresh_login=row.fresh_login, extra=row.headers
            )
            used = used or reply.status < 400
            cell = Cell(caller, reply)
            found = judge(route, row, cell, ids)
            mismatches += [found] if found else []
            cells += [] if found else [cell]
        if row.after:  # on the cells that answered as expected (the module's teardown removes the rest)
            row.after(world, cells)
    finally:
        world.remove_spare_hosts()
    # Then each answer is the matrix's cell
    assert not mismatches, table(mismatches)
