"""Seed routes for VPS (plans, regions, instances and their actions), the caller's SSH keys, and the Linode
event webhook."""

from __future__ import annotations

from chalicelib.api.http import Call, endpoint
from chalicelib.api.vps import admin_routes as _operators  # noqa: F401 - registers the providers' routes on bp
from chalicelib.api.vps.blueprint import bp as bp
from chalicelib.api.vps.schemas import (
    LinodeWebhookOut,
    RegionListOut,
    RegionOut,
    SshKeyIn,
    SshKeyListOut,
    SshKeyOut,
    VpsCreatedOut,
    VpsCreateIn,
    VpsListOut,
    VpsOut,
    VpsPlanListOut,
    VpsPlanOut,
)
from chalicelib.api.wire import PageQuery
from chalicelib.wiring.vps import get_catalog, get_vps, get_vps_events

TAG = "vps"


@endpoint(
    bp,
    "/api/vps/plans",
    "GET",
    summary="Plans on sale with their prices per hour and month (administrators: every plan, with the "
    "provider's price and the markup)",
    tag=TAG,
    auth="user",
    response=VpsPlanListOut,
)
def list_vps_plans(call: Call) -> VpsPlanListOut:
    admin = call.principal.is_admin
    plans = get_catalog().plans(everything=admin)
    return VpsPlanListOut(plans=[VpsPlanOut.of(p, admin=admin) for p in plans])


@endpoint(
    bp,
    "/api/vps/regions",
    "GET",
    summary="Regions a VPS can be created in, per provider",
    tag=TAG,
    auth="user",
    response=RegionListOut,
)
def list_vps_regions(call: Call) -> RegionListOut:
    return RegionListOut(regions=[RegionOut.of(r) for r in get_catalog().regions()])


@endpoint(
    bp,
    "/api/vps/create",
    "POST",
    summary="Buy a VPS: holds the price of some hours in the wallet (402 when it does not cover them, before "
    "anything is created) and provisions it in the background; the root password is in this answer only",
    tag=TAG,
    status=202,
    request=VpsCreateIn,
    response=VpsCreatedOut,
    errors=(402, 404, 409, 503),
    idempotent=True,
)
def create_vps(call: Call) -> VpsCreatedOut:
    body: VpsCreateIn = call.body
    vps, password = get_vps().create(call.principal, body.to_domain())
    return VpsCreatedOut.created(vps, password)


@endpoint(
    bp,
    "/api/vps",
    "GET",
    summary="The organization's VPS instances, a page at a time",
    tag=TAG,
    query=PageQuery,
    response=VpsListOut,
)
def list_vps(call: Call) -> VpsListOut:
    q: PageQuery = call.query
    page = get_vps().page(call.principal, q.limit, q.cursor)
    return VpsListOut(vps=[VpsOut.of(v) for v in page.items], next_cursor=page.next_cursor)


@endpoint(bp, "/api/vps/{vps_id}", "GET", summary="One VPS", tag=TAG, response=VpsOut, errors=(404,))
def get_vps_instance(call: Call, vps_id: str) -> VpsOut:
    return VpsOut.of(get_vps().get(call.principal, vps_id))


@endpoint(
    bp,
    "/api/vps/{vps_id}/boot",
    "POST",
    summary="Boot a stopped VPS (status booting until the provider reports it running)",
    tag=TAG,
    status=202,
    response=VpsOut,
    errors=(404, 409, 503),
)
def boot_vps(call: Call, vps_id: str) -> VpsOut:
    return VpsOut.of(get_vps().boot(call.principal, vps_id))


@endpoint(
    bp,
    "/api/vps/{vps_id}/shutdown",
    "POST",
    summary="Shut a VPS down (it is still billed while stopped, as the provider bills it)",
    tag=TAG,
    status=202,
    response=VpsOut,
    errors=(404, 409, 503),
)
def shutdown_vps(call: Call, vps_id: str) -> VpsOut:
    return VpsOut.of(get_vps().shutdown(call.principal, vps_id))


@endpoint(
    bp,
    "/api/vps/{vps_id}/reboot",
    "POST",
    summary="Reboot a running VPS",
    tag=TAG,
    status=202,
    response=VpsOut,
    errors=(404, 409, 503),
)
def reboot_vps(call: Call, vps_id: str) -> VpsOut:
    return VpsOut.of(get_vps().reboot(call.principal, vps_id))


@endpoint(
    bp,
    "/api/vps/{vps_id}",
    "DELETE",
    summary="Delete a VPS (in the background; metering stops when the provider confirms)",
    tag=TAG,
    status=202,
    response=VpsOut,
    errors=(404, 409, 503),
)
def delete_vps(call: Call, vps_id: str) -> VpsOut:
    return VpsOut.of(get_vps().delete(call.principal, vps_id))


@endpoint(
    bp,
    "/api/users/ssh-keys",
    "GET",
    summary="The caller's SSH public keys",
    tag="accounts",
    auth="user",
    response=SshKeyListOut,
)
def list_ssh_keys(call: Call) -> SshKeyListOut:
    return SshKeyListOut(ssh_keys=[SshKeyOut.of(k) for k in get_vps().keys(call.principal)])


@endpoint(
    bp,
    "/api/users/ssh-keys",
    "POST",
    summary="Add an SSH public key (OpenSSH format) for root access to new VPS",
    tag="accounts",
    auth="user",
    status=201,
    request=SshKeyIn,
    response=SshKeyOut,
    errors=(409,),
)
def add_ssh_key(call: Call) -> SshKeyOut:
    body: SshKeyIn = call.body
    return SshKeyOut.of(get_vps().add_key(call.principal, body.name, body.public_key))


@endpoint(
    bp,
    "/api/users/ssh-keys/{key_id}",
    "DELETE",
    summary="Forget an SSH key (VPS that have it keep it)",
    tag="accounts",
    auth="user",
    status=204,
    errors=(404,),
)
def remove_ssh_key(call: Call, key_id: str) -> None:
    get_vps().remove_key(call.principal, key_id)


@endpoint(
    bp,
    "/api/webhooks/linode",
    "POST",
    summary="Linode account events relayed to us, signed per provider (X-CS-Provider-Id, X-CS-Signature: "
    "sha256=<HMAC-SHA256 of the body with the provider's webhook secret>); each event applied once",
    tag="webhooks",
    auth="none",
    response=LinodeWebhookOut,
    errors=(400, 503),
)
def linode_webhook(call: Call) -> LinodeWebhookOut:
    request = bp.current_request
    headers = {name.lower(): str(value) for name, value in request.headers.items()}
    raw = request.raw_body or b""
    return LinodeWebhookOut(
        status=get_vps_events().deliver(headers, raw.encode() if isinstance(raw, str) else raw)
    )
