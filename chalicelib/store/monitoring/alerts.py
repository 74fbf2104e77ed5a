"""AlertRuleRepository, AlertEventRepository and ScrapeTokenRepository."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from chalicelib.domain.monitoring.entities import AlertEvent, AlertRule, ScrapeToken
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.monitoring import keys as mkeys
from chalicelib.store.monitoring.models import (
    AlertEventItem,
    AlertRuleItem,
    ScrapeTokenItem,
    ScrapeTokenRefItem,
)
from chalicelib.store.table import Item, TransactionCancelled, is_condition_failure, store_call, transaction


def _rule(item: AlertRuleItem) -> AlertRule:
    return AlertRule(
        id=item.id,
        organization_id=item.organization_id,
        name=item.name,
        kind=item.kind,  # type: ignore[arg-type]
        metric=item.metric,  # type: ignore[arg-type]
        comparator=item.comparator,  # type: ignore[arg-type]
        threshold=item.threshold,
        duration_minutes=int(item.duration_minutes),
        event=item.event,  # type: ignore[arg-type]
        container_id=item.container_id,
        emails=tuple(str(e) for e in item.emails or ()),
        created_by=item.created_by,
        created_at=item.created_at,
        firing=dict(item.firing or {}),
        version=int(item.version),
    )


class AlertRuleRepository:
    """Implements AlertRules."""

    @store_call
    def add(self, rule: AlertRule, limit: int) -> None:
        if len(self.of_org(rule.organization_id)) >= limit:
            raise Conflict(f"An organization can have at most {limit} alert rules; delete one first.")
        item = AlertRuleItem(
            keys.org_pk(rule.organization_id),
            mkeys.rule_sk(rule.id),
            gsi1pk=mkeys.RULES_GSI_PK,
            gsi1sk=mkeys.rule_index_sk(rule.organization_id, rule.id),
            id=rule.id,
            organization_id=rule.organization_id,
            name=rule.name,
            kind=rule.kind,
            metric=rule.metric,
            comparator=rule.comparator,
            threshold=rule.threshold,
            duration_minutes=rule.duration_minutes,
            event=rule.event,
            container_id=rule.container_id,
            emails=list(rule.emails) or None,
            created_by=rule.created_by,
            firing={},
            version=rule.version,
            created_at=rule.created_at,
            updated_at=rule.created_at,
        )
        item.save(condition=AlertRuleItem.sk.does_not_exist())

    @store_call
    def of_org(self, org_id: str) -> list[AlertRule]:
        result = AlertRuleItem.query(keys.org_pk(org_id), AlertRuleItem.sk.startswith(mkeys.RULE_PREFIX))
        return [_rule(item) for item in result if isinstance(item, AlertRuleItem)]

    @store_call
    def remove(self, org_id: str, rule_id: str) -> None:
        try:
            AlertRuleItem(keys.org_pk(org_id), mkeys.rule_sk(rule_id)).delete(
                condition=AlertRuleItem.sk.exists()
            )
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise NotFound("No such alert rule.") from exc
            raise

    @store_call
    def all_rules(self) -> list[AlertRule]:
        return [
            _rule(item) for item in Item.by_host.query(mkeys.RULES_GSI_PK) if isinstance(item, AlertRuleItem)
        ]

    @store_call
    def save_state(self, old: AlertRule, new: AlertRule) -> bool:
        item = AlertRuleItem(keys.org_pk(old.organization_id), mkeys.rule_sk(old.id))
        try:
            item.update(
                actions=[AlertRuleItem.firing.set(new.firing), AlertRuleItem.version.set(old.version + 1)],
                condition=AlertRuleItem.version == old.version,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True


def _event(org_id: str, item: AlertEventItem) -> AlertEvent:
    return AlertEvent(
        id=item.id,
        organization_id=org_id,
        rule_id=item.rule_id,
        rule_name=item.rule_name,
        subject=item.subject,
        state=item.state,  # type: ignore[arg-type]
        message=item.message,
        value=item.value,
        at=item.at,
        resolved_at=item.resolved_at,
    )


class AlertEventRepository:
    """Implements AlertEvents: ORG#<org>#ALERTEVENTS / <ulid> in the ephemeral table."""

    @store_call
    def add(self, event: AlertEvent, expires: datetime) -> None:
        AlertEventItem(
            mkeys.events_pk(event.organization_id),
            event.id,
            id=event.id,
            rule_id=event.rule_id,
            rule_name=event.rule_name,
            subject=event.subject,
            state=event.state,
            message=event.message[:1000],
            value=event.value,
            at=event.at,
            expires=expires,
        ).save()

    @store_call
    def resolve(self, org_id: str, event_id: str, at: datetime) -> AlertEvent | None:
        item = AlertEventItem(mkeys.events_pk(org_id), event_id)
        try:
            item.update(
                actions=[AlertEventItem.state.set("resolved"), AlertEventItem.resolved_at.set(at)],
                condition=AlertEventItem.sk.exists(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return _event(org_id, item)

    @store_call
    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[AlertEvent]:
        partition = mkeys.events_pk(org_id)
        result = AlertEventItem.query(
            partition,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_event(org_id, item) for item in result]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))


def _token(item: ScrapeTokenItem) -> ScrapeToken:
    return ScrapeToken(
        id=item.id,
        organization_id=item.organization_id,
        name=item.name,
        prefix=item.prefix,
        created_by=item.created_by,
        created_at=item.created_at,
    )


class ScrapeTokenRepository:
    """Implements ScrapeTokens: the token under its organization and its lookup item by hash, written and
    removed together."""

    @store_call
    def add(self, token: ScrapeToken, secret_hash: str, limit: int) -> None:
        if len(self.of_org(token.organization_id)) >= limit:
            raise Conflict(f"An organization can have at most {limit} scrape tokens; revoke one first.")
        now = token.created_at
        stamps: dict[str, Any] = {"created_at": now, "updated_at": now}
        with transaction() as tx:
            tx.save(
                "token",
                ScrapeTokenItem(
                    keys.org_pk(token.organization_id),
                    mkeys.token_sk(token.id),
                    id=token.id,
                    organization_id=token.organization_id,
                    name=token.name,
                    prefix=token.prefix,
                    secret_hash=secret_hash,
                    created_by=token.created_by,
                    **stamps,
                ),
                condition=ScrapeTokenItem.sk.does_not_exist(),
            )
            tx.save(
                "ref",
                ScrapeTokenRefItem(
                    mkeys.token_ref_pk(secret_hash),
                    mkeys.TOKEN_REF_SK,
                    token_id=token.id,
                    organization_id=token.organization_id,
                    **stamps,
                ),
                condition=ScrapeTokenRefItem.sk.does_not_exist(),
            )

    @store_call
    def of_org(self, org_id: str) -> list[ScrapeToken]:
        result = ScrapeTokenItem.query(keys.org_pk(org_id), ScrapeTokenItem.sk.startswith(mkeys.TOKEN_PREFIX))
        return [_token(item) for item in result if isinstance(item, ScrapeTokenItem)]

    @store_call
    def remove(self, org_id: str, token_id: str) -> None:
        try:
            item = ScrapeTokenItem.get(keys.org_pk(org_id), mkeys.token_sk(token_id), consistent_read=True)
        except DoesNotExist as exc:
            raise NotFound("No such scrape token.") from exc
        try:
            with transaction() as tx:
                tx.delete("token", item, condition=ScrapeTokenItem.sk.exists())
                tx.delete("ref", ScrapeTokenRefItem(mkeys.token_ref_pk(item.secret_hash), mkeys.TOKEN_REF_SK))
        except TransactionCancelled as exc:
            raise NotFound("No such scrape token.") from exc

    @store_call
    def find(self, secret_hash: str) -> ScrapeToken | None:
        try:
            ref = ScrapeTokenRefItem.get(mkeys.token_ref_pk(secret_hash), mkeys.TOKEN_REF_SK)
        except DoesNotExist:
            return None
        if not isinstance(ref, ScrapeTokenRefItem):
            return None
        now = ref.created_at
        return ScrapeToken(ref.token_id, ref.organization_id, "", "", "", now)
