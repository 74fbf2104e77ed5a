"""Stage configuration and the names and key patterns the stack shares with the code it deploys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STAGES = ("dev", "prod")
APP = "containerstacks"
API_STAGE = "api"  # API Gateway stage (.chalice/config.json); the routes themselves start with /api too
METRICS_NAMESPACE = "ContainerStacks"  # Powertools metrics (chalicelib/observability.py)
METRICS_SERVICE = "containerstacks"
BILLING_RUN = "billing-run"  # registry name of the billing run's state machine, once billing lands
TENANT_TAG = "org"  # session tag carrying the organization id (chalicelib/adapters/aws/tenancy.py)
# The VPS adapter's Linode API (chalicelib/adapters/linode/compute.py LINODE_API); each provider's API key is
# entered by an admin on /providers and kept in the table, envelope-encrypted with the stack's key.
LINODE_API_URL = "https://api.linode.com/v4"

# dynamodb:LeadingKeys patterns. Tenant items: pk is ORG#<org> exactly, or ORG#<org>#... Two patterns rather
# than "ORG#<org>*" so that the grant cannot reach an organization whose id merely starts with <org>.
TENANT_PARTITIONS = (f"ORG#${{aws:PrincipalTag/{TENANT_TAG}}}", f"ORG#${{aws:PrincipalTag/{TENANT_TAG}}}#*")
# Platform partitions of the tables (chalicelib/store/keys.py; tests/infra checks that every key the code
# builds is either a tenant key or matches one of these).
PLATFORM_PARTITIONS = (
    "USER#*",
    "EMAIL#*",
    "HOSTS",
    "REVOKED#*",
    "LOGINFAIL#*",
    "LOGINADDR#*",
    # billing: invoice numbers and their yearly counters, PayPal webhook events, reconciliation reports
    "INVOICENO#*",
    "INVOICECOUNTER#*",
    "PAYPALEVENT#*",
    "RECONCILIATIONS",
    "PRICING",
    "BILLINGRUNS",
    # VPS: provider accounts, plans, applied provider events (ephemeral), reconciliation reports
    "PROVIDERS",
    "PLANS",
    "VPSEVENT#*",
    "VPSRECONCILIATIONS",
    # support: the admin index (platform administrators, mailed new tickets), ticket pointers (ticket -> org)
    "ADMINS",
    "TICKETREF#*",
    # admin and audit: platform counters (STATS#TOTAL, STATS#<month>), audit entries of no organization
    "STATS#*",
    "AUDIT#*",
    # notifications: the sharded queue of webhook deliveries waiting for their next attempt (ephemeral table)
    "WEBHOOKQUEUE#*",
    # quotas and marketplace: the operators' packages and their changes to the template catalog
    "PACKAGES",
    "MARKETPLACE",
    # monitoring: the hosts' latest metrics (ephemeral table), scrape tokens looked up by their hash
    "METRICS",
    "SCRAPETOKEN#*",
    # Kubernetes clusters: the registry (endpoint, CA, token encrypted)
    "CLUSTERS",
)
# Platform partitions of the gsi1 index (containers by host, top-ups by day, meters by shard, months due an
# invoice, VPS records by provider, tickets by status, the directories, audit by day). The mail outbox
# (MAILOUTBOX) is the workers'.
PLATFORM_INDEX_PARTITIONS = (
    "HOST#*",
    "TOPUPS#*",
    "BILLABLE#*",
    "INVOICEDUE#*",
    # VPS records by provider, every organization's tickets by status
    "PROVIDER#*",
    "TICKETS#*",
    # admin and audit: the user and organization directories, every audit entry by day
    "USERS",
    "USERNAMES",
    "ORGS",
    "AUDIT#*",
    # monitoring: every organization's alert rules (the evaluator)
    "ALERTRULES",
    # containers by the Kubernetes cluster they target (a cluster in use is not removed)
    "CLUSTER#*",
)
# Partitions of the append-only audit trail (chalicelib/store/audit/keys.py): every role is denied changing or
# removing their items; entries are only ever put (on condition that they do not exist yet).
AUDIT_PARTITIONS = ("ORG#*#AUDIT", "AUDIT#*")
AUDIT_IMMUTABLE = ("dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem")

# Item-level DynamoDB actions. Transactions need the same actions per item; Scan is never granted (a Scan
# has no leading key, so a LeadingKeys condition could not confine it).
DYNAMODB_READ = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem")
DYNAMODB_WRITE = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem")


@dataclass(frozen=True)
class StageConfig:
    """What differs between stages. `destroy_data` (context destroy_data=true) lets the tables, the backup
    bucket, the key and the secrets go with the stack; by default they are retained."""

    stage: str
    destroy_data: bool = False
    alarm_email: str | None = None

    @property
    def prod(self) -> bool:
        return self.stage == "prod"

    @property
    def stack_name(self) -> str:
        return f"ContainerStacks-{self.stage}"

    def name(self, suffix: str) -> str:
        """A physical name unique per stage: containerstacks-<stage>-<suffix>."""
        return f"{APP}-{self.stage}-{suffix}"

    @classmethod
    def from_context(cls, stage: str, context: Any) -> StageConfig:
        """From the CDK context (`-c destroy_data=true`, `-c alarm_email=ops@example.com`)."""
        if stage not in STAGES:
            raise SystemExit(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
        destroy = str(context("destroy_data") or "false").lower() in ("1", "true", "yes")
        email = context("alarm_email") or None
        return cls(stage=stage, destroy_data=destroy, alarm_email=str(email) if email else None)
