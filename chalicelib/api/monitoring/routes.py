"""Monitoring: metric history, the system view, Prometheus exposition and scrape tokens, alert rules and
their events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalice.app import Blueprint, Response

from chalicelib.api.http import Call, endpoint
from chalicelib.api.monitoring.schemas import (
    AlertEventListOut,
    AlertEventOut,
    AlertRuleIn,
    AlertRuleListOut,
    AlertRuleOut,
    EventQuery,
    RangeQuery,
    ScrapeTokenCreatedOut,
    ScrapeTokenIn,
    ScrapeTokenListOut,
    ScrapeTokenOut,
    SeriesOut,
    SystemOut,
)
from chalicelib.domain.monitoring.entities import EVENT_KINDS
from chalicelib.domain.monitoring.series import PROMETHEUS_CONTENT_TYPE
from chalicelib.wiring.monitoring import get_alerts, get_metrics

bp = Blueprint(__name__)
TAG = "monitoring"


def _text(body: str) -> Response:
    return Response(body=body, status_code=200, headers={"Content-Type": PROMETHEUS_CONTENT_TYPE})


@endpoint(
    bp,
    "/api/metrics/containers/{container_id}/history",
    "GET",
    summary="CPU, memory, network and disk of a container over a range, one point per step",
    tag=TAG,
    query=RangeQuery,
    response=SeriesOut,
)
def container_history(call: Call, container_id: str) -> SeriesOut:
    q: RangeQuery = call.query
    end = (q.to or datetime.now(UTC)).astimezone(UTC)
    start = (q.from_ or end - timedelta(hours=1)).astimezone(UTC)
    points = get_metrics().container_points(call.principal, container_id, start, end, q.step)
    return SeriesOut.model_validate(
        {"container_id": container_id, "from": start, "to": end, "step": q.step, "points": points}
    )


@endpoint(
    bp,
    "/api/metrics/system",
    "GET",
    summary="Platform admins: every host's capacity and use; customers: their organization's totals",
    tag=TAG,
    response=SystemOut,
)
def system_metrics(call: Call) -> SystemOut:
    return SystemOut.of(get_metrics().system(call.principal))


@endpoint(
    bp,
    "/api/metrics/containers/{container_id}/prometheus",
    "GET",
    summary="The container's latest sample in Prometheus' text exposition format",
    tag=TAG,
    errors=(404,),
)
def container_prometheus(call: Call, container_id: str) -> Response:
    return _text(get_metrics().container_prometheus(call.principal, container_id))


@endpoint(
    bp,
    "/api/metrics/prometheus",
    "GET",
    summary="Every container of the organization in Prometheus' text format (Bearer: a scrape token)",
    tag=TAG,
    auth="none",
    errors=(401,),
)
def scrape_metrics(call: Call) -> Response:
    header = bp.current_request.headers.get("authorization") or ""
    scheme, _, secret = header.partition(" ")
    return _text(get_metrics().scrape(secret.strip() if scheme.lower() == "bearer" else ""))


@endpoint(
    bp,
    "/api/metrics/tokens",
    "GET",
    summary="The organization's read-only scrape tokens (never their secrets)",
    tag=TAG,
    response=ScrapeTokenListOut,
)
def list_scrape_tokens(call: Call) -> ScrapeTokenListOut:
    return ScrapeTokenListOut(tokens=[ScrapeTokenOut.of(t) for t in get_metrics().tokens(call.principal)])


@endpoint(
    bp,
    "/api/metrics/tokens",
    "POST",
    summary="Create a read-only scrape token for /api/metrics/prometheus; its secret is in this answer only",
    tag=TAG,
    status=201,
    request=ScrapeTokenIn,
    response=ScrapeTokenCreatedOut,
    errors=(409,),
    idempotent=True,
)
def create_scrape_token(call: Call) -> ScrapeTokenCreatedOut:
    body: ScrapeTokenIn = call.body
    return ScrapeTokenCreatedOut.created(get_metrics().create_token(call.principal, body.name))


@endpoint(
    bp,
    "/api/metrics/tokens/{token_id}",
    "DELETE",
    summary="Revoke a scrape token",
    tag=TAG,
    status=204,
    errors=(404,),
)
def revoke_scrape_token(call: Call, token_id: str) -> None:
    get_metrics().revoke_token(call.principal, token_id)


@endpoint(
    bp,
    "/api/alerts",
    "GET",
    summary="The organization's alert rules (with what fires now) and the event kinds a rule can watch",
    tag=TAG,
    response=AlertRuleListOut,
)
def list_alert_rules(call: Call) -> AlertRuleListOut:
    rules = get_alerts().list(call.principal)
    return AlertRuleListOut(rules=[AlertRuleOut.of(r) for r in rules], event_kinds=dict(EVENT_KINDS))


@endpoint(
    bp,
    "/api/alerts",
    "POST",
    summary="Add an alert rule: a metric sustained past a threshold, or an event",
    tag=TAG,
    status=201,
    request=AlertRuleIn,
    response=AlertRuleOut,
    errors=(409,),
    idempotent=True,
)
def create_alert_rule(call: Call) -> AlertRuleOut:
    body: AlertRuleIn = call.body
    return AlertRuleOut.of(get_alerts().create(call.principal, body.to_domain()))


@endpoint(
    bp,
    "/api/alerts/{rule_id}",
    "DELETE",
    summary="Remove an alert rule (its events stay in the list)",
    tag=TAG,
    status=204,
    errors=(404,),
)
def delete_alert_rule(call: Call, rule_id: str) -> None:
    get_alerts().delete(call.principal, rule_id)


@endpoint(
    bp,
    "/api/alerts/events",
    "GET",
    summary="Alert events, newest first: firing, or resolved and when",
    tag=TAG,
    query=EventQuery,
    response=AlertEventListOut,
)
def list_alert_events(call: Call) -> AlertEventListOut:
    q: EventQuery = call.query
    page = get_alerts().events(call.principal, q.limit, q.cursor)
    return AlertEventListOut(events=[AlertEventOut.of(e) for e in page.items], next_cursor=page.next_cursor)
