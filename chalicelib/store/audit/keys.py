"""Key strings of the audit trail (the audit slice of store/keys.py's grammar).

An organization's entries live in their own partition ORG#<org>#AUDIT (a tenant partition: the tenant role
reaches it, another organization's session does not), not in ORG#<org> itself, so that IAM can deny every
UpdateItem/DeleteItem on audit partitions by partition key alone (dynamodb:LeadingKeys cannot see sort keys).
Entries of no organization live in the platform partition AUDIT#<day>. Every entry is also indexed on gsi1
under AUDIT#<day> (the platform view reads one index partition per day).
"""

from __future__ import annotations

from chalicelib.store.keys import org_pk

AUDIT_PREFIX = "AUDIT#"
ORG_AUDIT_SUFFIX = "#AUDIT"


def org_audit_pk(org_id: str) -> str:
    return f"{org_pk(org_id)}{ORG_AUDIT_SUFFIX}"


def platform_audit_pk(day: str) -> str:
    """Entries that belong to no organization (a failed sign-in for an unknown address), by UTC day."""
    return f"{AUDIT_PREFIX}{day}"


def audit_sk(entry_id: str) -> str:
    return f"{AUDIT_PREFIX}{entry_id}"


def audit_day_gsi_pk(day: str) -> str:
    """gsi1 partition of one UTC day's entries, every organization's and the platform's."""
    return f"{AUDIT_PREFIX}{day}"
