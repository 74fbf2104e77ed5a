"""Key strings of the team records (the teams slice of store/keys.py's grammar). All are tenant keys."""

from __future__ import annotations

MEMBER_PREFIX = "MEMBER#"  # store/keys.member_sk builds the full key
INVITE_PREFIX = "INVITE#"
PROJECT_PREFIX = "PROJECT#"


def invite_sk(invite_id: str) -> str:
    """An invitation, in the ephemeral table under ORG#<org> (its TTL is the invitation's expiry)."""
    return f"{INVITE_PREFIX}{invite_id}"


def project_sk(project_id: str) -> str:
    return f"{PROJECT_PREFIX}{project_id}"


def project_name_sk(name: str) -> str:
    """Guard reserving a project name inside its organization (case-insensitive)."""
    return f"PROJECTNAME#{name.lower()}"
