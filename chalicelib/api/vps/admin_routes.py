"""Administrators' VPS routes: service providers (seed /providers), plan sync and markup, costs against
revenue, reconciliation of instances with our records."""

from __future__ import annotations

from chalicelib.api.http import Call, endpoint
from chalicelib.api.vps.admin_schemas import (
    CostsOut,
    CostsQuery,
    PlanUpdateIn,
    ProviderCheckOut,
    ProviderIn,
    ProviderListOut,
    ProviderOut,
    ProviderSecretOut,
    ProviderUpdateIn,
    SyncOut,
    VpsReconciliationListOut,
    VpsReconciliationOut,
)
from chalicelib.api.vps.blueprint import bp
from chalicelib.api.vps.schemas import VpsPlanOut
from chalicelib.api.wire import PageQuery
from chalicelib.wiring.vps import get_catalog, get_provider_service, get_vps_reconciler

TAG = "providers"


@endpoint(
    bp, "/api/providers", "GET", summary="Service providers", tag=TAG, auth="admin", response=ProviderListOut
)
def list_providers(call: Call) -> ProviderListOut:
    return ProviderListOut(providers=[ProviderOut.of(p) for p in get_provider_service().all()])


@endpoint(
    bp,
    "/api/providers",
    "POST",
    summary="Add a provider account: its API key is encrypted (KMS) and never shown again; the answer "
    "carries the webhook secret once",
    tag=TAG,
    auth="admin",
    status=201,
    request=ProviderIn,
    response=ProviderSecretOut,
    errors=(503,),
    idempotent=True,
)
def create_provider(call: Call) -> ProviderSecretOut:
    body: ProviderIn = call.body
    provider, secret = get_provider_service().create(body.to_domain())
    _key_changed(call, provider.id, "set")
    return ProviderSecretOut.with_secret(provider, secret)


@endpoint(
    bp,
    "/api/providers/{provider_id}",
    "GET",
    summary="One provider",
    tag=TAG,
    auth="admin",
    response=ProviderOut,
    errors=(404,),
)
def get_provider(call: Call, provider_id: str) -> ProviderOut:
    return ProviderOut.of(get_provider_service().get(provider_id))


@endpoint(
    bp,
    "/api/providers/{provider_id}",
    "PUT",
    summary="Rename, reconfigure, (de)activate; rotate the API key or the webhook secret (answered once)",
    tag=TAG,
    auth="admin",
    request=ProviderUpdateIn,
    response=ProviderSecretOut,
    errors=(404, 409, 503),
)
def update_provider(call: Call, provider_id: str) -> ProviderSecretOut:
    body: ProviderUpdateIn = call.body
    provider, secret = get_provider_service().update(provider_id, body.to_domain())
    if body.api_key is not None or body.rotate_webhook_secret:
        _key_changed(call, provider_id, "rotated")
    return ProviderSecretOut.with_secret(provider, secret)


@endpoint(
    bp,
    "/api/providers/{provider_id}",
    "DELETE",
    summary="Remove a provider and its plans (409 while customers have VPS there)",
    tag=TAG,
    auth="admin",
    status=204,
    errors=(404, 409),
)
def remove_provider(call: Call, provider_id: str) -> None:
    get_provider_service().remove(provider_id)
    _key_changed(call, provider_id, "removed")


def _key_changed(call: Call, provider_id: str, change: str) -> None:
    """The audit trail records that a provider's API key or webhook secret changed (never the secret)."""
    from chalicelib.domain.audit.events import credentials_changed
    from chalicelib.wiring.events import audit_trail

    audit_trail().record(credentials_changed(call.principal, "provider", provider_id, change))


@endpoint(
    bp,
    "/api/providers/{provider_id}/test",
    "POST",
    summary="Check the stored credentials against the provider and report what they reach",
    tag=TAG,
    auth="admin",
    response=ProviderCheckOut,
    errors=(400, 404, 503),
)
def test_provider(call: Call, provider_id: str) -> ProviderCheckOut:
    return ProviderCheckOut.of(get_provider_service().check(provider_id))


@endpoint(
    bp,
    "/api/providers/{provider_id}/sync-plans",
    "POST",
    summary="Read the provider's types and regions into plans (new ones at the default markup; a changed "
    "price keeps the plan's markup rule and is listed under changed)",
    tag=TAG,
    auth="admin",
    response=SyncOut,
    errors=(400, 404, 409, 503),
)
def sync_provider_plans(call: Call, provider_id: str) -> SyncOut:
    return SyncOut.of(get_provider_service().sync_plans(provider_id))


@endpoint(
    bp,
    "/api/vps/plans/{plan_id}",
    "PUT",
    summary="Set a plan's markup (percent or USD a month), rename it, or switch it off",
    tag=TAG,
    auth="admin",
    request=PlanUpdateIn,
    response=VpsPlanOut,
    errors=(404,),
)
def update_vps_plan(call: Call, plan_id: str) -> VpsPlanOut:
    body: PlanUpdateIn = call.body
    return VpsPlanOut.of(get_catalog().update_plan(plan_id, body.to_domain()), admin=True)


@endpoint(
    bp,
    "/api/providers/{provider_id}/costs",
    "GET",
    summary="Provider cost (its price x metered hours) against revenue (our price x hours) and margin, per "
    "plan and per organization",
    tag=TAG,
    auth="admin",
    query=CostsQuery,
    response=CostsOut,
    errors=(404,),
)
def provider_costs(call: Call, provider_id: str) -> CostsOut:
    q: CostsQuery = call.query
    return CostsOut.of(get_provider_service().costs(provider_id, q.start, q.end))


@endpoint(
    bp,
    "/api/providers/{provider_id}/reconciliations",
    "GET",
    summary="Reconciliation reports (orphans and ghosts), newest first",
    tag=TAG,
    auth="admin",
    query=PageQuery,
    response=VpsReconciliationListOut,
    errors=(404,),
)
def list_provider_reconciliations(call: Call, provider_id: str) -> VpsReconciliationListOut:
    q: PageQuery = call.query
    page = get_vps_reconciler().reports(provider_id, q.limit, q.cursor)
    return VpsReconciliationListOut(
        reconciliations=[VpsReconciliationOut.of(r) for r in page.items], next_cursor=page.next_cursor
    )


@endpoint(
    bp,
    "/api/providers/{provider_id}/reconcile",
    "POST",
    summary="Compare the provider's instances under our tag with our records now (hourly on a schedule)",
    tag=TAG,
    auth="admin",
    response=VpsReconciliationOut,
    errors=(400, 404, 503),
)
def reconcile_provider(call: Call, provider_id: str) -> VpsReconciliationOut:
    return VpsReconciliationOut.of(get_vps_reconciler().reconcile_provider(provider_id))
