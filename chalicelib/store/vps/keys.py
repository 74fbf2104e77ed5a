"""Key strings of the VPS records (the VPS slice of store/keys.py's grammar)."""

from __future__ import annotations

from datetime import datetime

PROVIDERS_PK = "PROVIDERS"
PROVIDER_PREFIX = "PROVIDER#"
PLANS_PK = "PLANS"
PLAN_PREFIX = "PLAN#"
SSH_KEY_PREFIX = "SSHKEY#"
VPS_PREFIX = "VPS#"
ENDED_VPS_PREFIX = "VPSENDED#"
VPS_RECONCILIATIONS_PK = "VPSRECONCILIATIONS"
LIVE_GSI_PREFIX = "VPS#"
ENDED_GSI_PREFIX = "ENDED#"


def provider_sk(provider_id: str) -> str:
    return f"{PROVIDER_PREFIX}{provider_id}"


def plan_sk(plan_id: str) -> str:
    return f"{PLAN_PREFIX}{plan_id}"


def ssh_key_sk(key_id: str) -> str:
    """Under the user's partition (USER#<user_id>): keys belong to people, not organizations."""
    return f"{SSH_KEY_PREFIX}{key_id}"


def vps_sk(vps_id: str) -> str:
    return f"{VPS_PREFIX}{vps_id}"


def ended_vps_sk(vps_id: str) -> str:
    """A VPS the provider deleted: out of the organization's list, kept for cost reports."""
    return f"{ENDED_VPS_PREFIX}{vps_id}"


def provider_gsi_pk(provider_id: str) -> str:
    """gsi1 partition of one provider's VPS records (events, reconciliation, costs)."""
    return f"{PROVIDER_PREFIX}{provider_id}"


def live_gsi_sk(instance_id: str) -> str:
    """A live VPS by its provider instance id (an event names the instance)."""
    return f"{LIVE_GSI_PREFIX}{instance_id}"


def stamp(t: datetime) -> str:
    """Fixed-width UTC time: lexical order is time order."""
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ended_gsi_sk(ended_at: datetime, vps_id: str) -> str:
    return f"{ENDED_GSI_PREFIX}{stamp(ended_at)}#{vps_id}"


def vps_event_pk(provider_id: str, event_id: int) -> str:
    """Ephemeral table: a provider account event already applied."""
    return f"VPSEVENT#{provider_id}#{event_id}"


def vps_reconciliation_sk(provider_id: str, ran_at: datetime, report_id: str) -> str:
    return f"RECON#{provider_id}#{stamp(ran_at)}#{report_id}"


def vps_reconciliation_prefix(provider_id: str) -> str:
    return f"RECON#{provider_id}#"
