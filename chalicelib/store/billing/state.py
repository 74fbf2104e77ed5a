"""BillingStateRepository: per-organization billing state, the price list, billing runs, reconciliations."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.domain.billing.entities import (
    BillingRun,
    BillingState,
    Pricing,
    Reconciliation,
    ReconciliationFinding,
)
from chalicelib.domain.shared.errors import NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.billing import keys as bkeys
from chalicelib.store.billing.models import BillingRunItem, BillingStateItem, PricingItem, ReconciliationItem
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.table import Item, is_condition_failure


def _run(item: BillingRunItem) -> BillingRun:
    return BillingRun(
        id=item.id,
        until=item.until,
        status="completed" if item.status == "completed" else "running",
        started_at=item.created_at,
        organizations=int(item.organizations or 0),
        resources=int(item.resources or 0),
        charged_cents=int(item.charged_cents or 0),
        finished_at=item.finished_at,
    )


def _reconciliation(item: ReconciliationItem) -> Reconciliation:
    return Reconciliation(
        id=item.id,
        day=item.day,
        ran_at=item.created_at,
        paypal_captures=int(item.paypal_captures),
        ledger_topups=int(item.ledger_topups),
        paypal_refunds=int(item.paypal_refunds or 0),
        ledger_refunds=int(item.ledger_refunds or 0),
        matched=int(item.matched),
        findings=tuple(ReconciliationFinding(**f) for f in item.findings or []),
    )


class BillingStateRepository:
    def get(self, org_id: str) -> BillingState:
        try:
            item = BillingStateItem.get(keys.org_pk(org_id), bkeys.BILLING_SK, consistent_read=True)
        except DoesNotExist:
            return BillingState(organization_id=org_id)
        return BillingState(
            organization_id=org_id,
            zero_since=item.zero_since,
            suspended_at=item.suspended_at,
            suspended_ids=tuple(str(i) for i in item.suspended_ids or ()),
            warned_below_hours=int(item.warned_below_hours) if item.warned_below_hours is not None else None,
            termination_notice_at=item.termination_notice_at,
            terminated_at=item.terminated_at,
        )

    def put(self, state: BillingState, now: datetime) -> None:
        BillingStateItem(
            keys.org_pk(state.organization_id),
            bkeys.BILLING_SK,
            organization_id=state.organization_id,
            zero_since=state.zero_since,
            suspended_at=state.suspended_at,
            suspended_ids=list(state.suspended_ids) or None,
            warned_below_hours=state.warned_below_hours,
            termination_notice_at=state.termination_notice_at,
            terminated_at=state.terminated_at,
            created_at=now,
            updated_at=now,
        ).save()

    def pricing(self) -> Pricing:
        try:
            item = PricingItem.get(bkeys.PRICING_PK, bkeys.PRICING_SK)
        except DoesNotExist:
            return Pricing()
        return Pricing(
            cpu_hour_micros=int(item.cpu_hour_micros),
            memory_gib_hour_micros=int(item.memory_gib_hour_micros),
            storage_gib_month_micros=int(item.storage_gib_month_micros),
            currency=item.currency,
        )

    def set_pricing(self, pricing: Pricing, now: datetime) -> None:
        PricingItem(
            bkeys.PRICING_PK,
            bkeys.PRICING_SK,
            cpu_hour_micros=pricing.cpu_hour_micros,
            memory_gib_hour_micros=pricing.memory_gib_hour_micros,
            storage_gib_month_micros=pricing.storage_gib_month_micros,
            currency=pricing.currency,
            created_at=now,
            updated_at=now,
        ).save()

    def start_run(self, run: BillingRun) -> None:
        try:
            BillingRunItem(
                bkeys.RUNS_PK,
                bkeys.run_sk(run.id),
                id=run.id,
                until=run.until,
                status=run.status,
                created_at=run.started_at,
                updated_at=run.started_at,
            ).save(condition=Item.pk.does_not_exist())
        except PutError as exc:
            if not is_condition_failure(exc):
                raise

    def add_to_run(self, run_id: str, organizations: int, resources: int, cents: int) -> None:
        BillingRunItem(bkeys.RUNS_PK, bkeys.run_sk(run_id)).update(
            actions=[
                BillingRunItem.organizations.add(organizations),
                BillingRunItem.resources.add(resources),
                BillingRunItem.charged_cents.add(cents),
            ]
        )

    def finish_run(self, run_id: str, now: datetime) -> BillingRun:
        item = BillingRunItem(bkeys.RUNS_PK, bkeys.run_sk(run_id))
        item.update(
            actions=[
                BillingRunItem.status.set("completed"),
                BillingRunItem.finished_at.set(now),
                BillingRunItem.updated_at.set(now),
            ]
        )
        return self.get_run(run_id)

    def get_run(self, run_id: str) -> BillingRun:
        try:
            return _run(BillingRunItem.get(bkeys.RUNS_PK, bkeys.run_sk(run_id), consistent_read=True))
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Billing run {run_id} was not found.") from exc

    def runs(self, limit: int) -> list[BillingRun]:
        return [
            _run(item)
            for item in BillingRunItem.query(bkeys.RUNS_PK, scan_index_forward=False, limit=limit)
            if isinstance(item, BillingRunItem)
        ]

    def add_reconciliation(self, report: Reconciliation) -> None:
        ReconciliationItem(
            bkeys.RECONCILIATIONS_PK,
            bkeys.reconciliation_sk(report.day, report.id),
            id=report.id,
            day=report.day,
            paypal_captures=report.paypal_captures,
            ledger_topups=report.ledger_topups,
            paypal_refunds=report.paypal_refunds,
            ledger_refunds=report.ledger_refunds,
            matched=report.matched,
            findings=[asdict(f) for f in report.findings],
            created_at=report.ran_at,
            updated_at=report.ran_at,
        ).save()

    def reconciliations(self, limit: int, cursor: str | None) -> Page[Reconciliation]:
        result = ReconciliationItem.query(
            bkeys.RECONCILIATIONS_PK,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, bkeys.RECONCILIATIONS_PK),
        )
        items = [_reconciliation(item) for item in result if isinstance(item, ReconciliationItem)]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))
