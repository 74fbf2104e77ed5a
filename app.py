"""ContainerStacks API: Chalice app, middleware and blueprint registration. No logic here."""

from __future__ import annotations

import time
from typing import Any

from chalice.app import Chalice, Response

from chalicelib.api import openapi
from chalicelib.api.accounts import routes as accounts
from chalicelib.api.admin import routes as admin
from chalicelib.api.audit import routes as audit
from chalicelib.api.backups import routes as backups
from chalicelib.api.billing import routes as billing
from chalicelib.api.clusters import routes as clusters
from chalicelib.api.containers import routes as containers
from chalicelib.api.edge import framework_error, unknown_route_response
from chalicelib.api.hosts import routes as hosts
from chalicelib.api.images import routes as images
from chalicelib.api.marketplace import routes as marketplace
from chalicelib.api.monitoring import routes as monitoring
from chalicelib.api.notifications import routes as notifications
from chalicelib.api.quotas import routes as quotas
from chalicelib.api.support import routes as support
from chalicelib.api.teams import routes as teams
from chalicelib.api.vps import routes as vps
from chalicelib.observability import logger, metrics, tracer

app = Chalice(app_name="containerstacks")
app.experimental_feature_flags.update(["BLUEPRINTS"])

# One entry per capability.
for blueprint in (
    accounts.bp,
    containers.bp,
    hosts.bp,
    billing.bp,
    vps.bp,
    support.bp,
    admin.bp,
    audit.bp,
    notifications.bp,
    teams.bp,
    quotas.bp,
    marketplace.bp,
    monitoring.bp,
    images.bp,
    clusters.bp,
    backups.bp,
    openapi.bp,
):
    app.register_blueprint(blueprint)


@app.middleware("http")
def observe(event: Any, get_response: Any) -> Response:
    """Request id and route in every log line, one request metric, a trace segment per request; errors the
    framework itself produces (405, 415, ...) are answered in the one error shape."""
    began = time.perf_counter()
    context = event.context or {}
    # Keys are per thread (the local server is threaded) and cleared after each request.
    logger.thread_safe_append_keys(request_id=context.get("requestId"), route=context.get("resourcePath"))
    try:
        with tracer().provider.in_subsegment("## request"):
            response = framework_error(get_response(event))
        metrics.add_metric(name="Requests", unit="Count", value=1)
        if response.status_code >= 500:
            metrics.add_metric(name="ServerErrors", unit="Count", value=1)
        metrics.flush_metrics()
        metrics.clear_metrics()  # flushing clears them, except where metrics are disabled (local, test)
        logger.info(
            "request",
            extra={
                "method": event.method,
                "path": context.get("path") or event.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - began) * 1000),
            },
        )
        result: Response = response
        return result
    finally:
        logger.thread_safe_clear_keys()


@app.route("/api/{proxy+}", methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
def unknown_route() -> Response:
    """Unknown API paths answer in the same error shape as everything else."""
    return unknown_route_response()
