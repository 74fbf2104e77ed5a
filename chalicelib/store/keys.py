"""Every key string of the tables, built in one place.

Tenant items start with ORG#<organization_id>; platform items never do.
"""

from __future__ import annotations

ORG_PREFIX = "ORG#"


def user_pk(user_id: str) -> str:
    return f"USER#{user_id}"


USER_SK = "PROFILE"


def email_pk(email: str) -> str:
    return f"EMAIL#{email.strip().lower()}"


EMAIL_SK = "EMAIL"


def org_pk(org_id: str) -> str:
    return f"{ORG_PREFIX}{org_id}"


ORG_SK = "ORG"
WALLET_SK = "WALLET"


def member_sk(user_id: str) -> str:
    """Membership seen from the organization: pk=ORG#org, sk=MEMBER#user."""
    return f"MEMBER#{user_id}"


def membership_sk(org_id: str) -> str:
    """Membership seen from the user: pk=USER#user, sk=MEMBERSHIP#org."""
    return f"MEMBERSHIP#{org_id}"


MEMBERSHIP_PREFIX = "MEMBERSHIP#"
CONTAINER_PREFIX = "CONTAINER#"


def container_sk(container_id: str) -> str:
    return f"{CONTAINER_PREFIX}{container_id}"


ADMINS_PK = "ADMINS"
ADMIN_PREFIX = "ADMIN#"


def admin_sk(user_id: str) -> str:
    """The admin index (store/accounts/admins.py): pk=ADMINS, one item per platform administrator."""
    return f"{ADMIN_PREFIX}{user_id}"


HOSTS_PK = "HOSTS"
HOST_PREFIX = "HOST#"


def host_sk(host_id: str) -> str:
    return f"{HOST_PREFIX}{host_id}"


def host_gsi_pk(host_id: str) -> str:
    """GSI1 partition listing the containers placed on one host (reconciliation)."""
    return f"{HOST_PREFIX}{host_id}"


def host_gsi_sk(org_id: str, container_id: str) -> str:
    return f"{CONTAINER_PREFIX}{org_id}#{container_id}"


CLUSTERS_PK = "CLUSTERS"
CLUSTER_PREFIX = "CLUSTER#"


def cluster_sk(cluster_id: str) -> str:
    """The cluster registry (store/clusters): pk=CLUSTERS, one item per Kubernetes cluster."""
    return f"{CLUSTER_PREFIX}{cluster_id}"


def cluster_gsi_pk(cluster_id: str) -> str:
    """GSI1 partition listing the containers that target one cluster (gsi1sk as host_gsi_sk)."""
    return f"{CLUSTER_PREFIX}{cluster_id}"


# Ephemeral table (TTL)
def revoked_pk(jti: str) -> str:
    return f"REVOKED#{jti}"


def login_failures_pk(email: str) -> str:
    """Sign-in attempts on one account (its back-off)."""
    return f"LOGINFAIL#{email.strip().lower()}"


def login_address_pk(address: str) -> str:
    """Sign-in attempts from one client address (IPv4) or IPv6 /64, across accounts."""
    return f"LOGINADDR#{address}"


EPHEMERAL_SK = "_"


def container_name_sk(name: str) -> str:
    """Guard item reserving a container name inside its organization (case-insensitive)."""
    return f"CONTAINERNAME#{name.lower()}"


def idempotency_sk(operation: str, key_hash: str) -> str:
    """An idempotency record in the ephemeral table, under the organization's partition."""
    return f"IDEMPOTENCY#{operation}#{key_hash}"


# Quotas and packages: the platform's packages, and each organization's counters (its package and usage).
PACKAGES_PK = "PACKAGES"
PACKAGE_PREFIX = "PACKAGE#"
QUOTA_SK = "QUOTA"


def package_sk(package_id: str) -> str:
    return f"{PACKAGE_PREFIX}{package_id}"


# Marketplace: what the operator added to, or changed in, the catalog of the repository's template files.
MARKETPLACE_PK = "MARKETPLACE"
TEMPLATE_PREFIX = "TEMPLATE#"


def template_sk(slug: str) -> str:
    return f"{TEMPLATE_PREFIX}{slug}"
