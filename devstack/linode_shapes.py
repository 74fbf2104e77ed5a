"""Linode API v4 shapes for the sandbox stub: errors, request validation (Linode's reasons and fields), and
the objects that need no state (profile, account, an instance's IP addresses)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

PROFILE = {"username": "sandbox", "email": "sandbox@example.com"}
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9])){2,63}$")
_KEY_TYPES = ("ssh-dss", "ssh-rsa", "ecdsa-sha2-nistp", "ssh-ed25519")
LABEL_RULE = (
    "Label must be 3-64 characters of ASCII letters, numbers, dashes, underscores or periods, begin and end "
    "with a letter or number, and not have two dashes/underscores/periods in a row"
)


class StubError(Exception):
    """An error answer in Linode's shape: `{"errors": [{"reason", "field"}]}`."""

    def __init__(
        self, status: int, reason: str, field: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(reason)
        self.status = status
        error: dict[str, str] = {"reason": reason}
        if field:
            error["field"] = field
        self.body: dict[str, Any] = {"errors": [error]}
        self.headers = headers or {}


def not_found() -> StubError:
    return StubError(404, "Not found")


def stamp(wall: float) -> str:
    """Linode's timestamps: UTC without a zone."""
    return datetime.fromtimestamp(wall, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def validate_create(
    body: Any, regions: Sequence[dict[str, Any]], types: Sequence[dict[str, Any]], labels: Collection[str]
) -> dict[str, Any]:
    """What POST /v4/linode/instances checks, first failure first; the request with defaults filled in."""
    if not isinstance(body, dict):
        raise StubError(400, "Request body must be a JSON object")
    for name in ("region", "type"):
        if not body.get(name):
            raise StubError(400, f"{name} is required", name)
        if not isinstance(body[name], str):
            raise StubError(400, "Must be a string", name)
    if not any(r["id"] == body["region"] for r in regions):
        raise StubError(400, "region is not valid", "region")
    if not any(t["id"] == body["type"] for t in types):
        raise StubError(400, "A valid plan type by that ID was not found", "type")
    label = body.get("label")
    if label is not None:
        if not isinstance(label, str) or not _LABEL.match(label):
            raise StubError(400, LABEL_RULE, "label")
        if label in labels:
            raise StubError(400, "Label must be unique among your linodes", "label")
    image, root_pass, keys = body.get("image"), body.get("root_pass"), body.get("authorized_keys") or []
    if image is not None and (not isinstance(image, str) or not image.startswith("linode/")):
        raise StubError(400, "image is not valid", "image")
    if not isinstance(keys, list) or not all(isinstance(k, str) and k.startswith(_KEY_TYPES) for k in keys):
        raise StubError(400, "SSH Key must be a valid public key", "authorized_keys")
    if image and root_pass is None and not keys:
        raise StubError(400, "root_pass is required when specifying an image", "root_pass")
    if root_pass is not None:
        check_password(root_pass)
    tags = body.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and 3 <= len(t) <= 50 for t in tags):
        raise StubError(400, "Length must be 3-50 characters", "tags")
    return {
        **body,
        "label": label,
        "image": image,
        "tags": list(dict.fromkeys(tags)),
        "booted": body.get("booted", True) is not False,
    }


def check_password(root_pass: Any) -> None:
    """Linode scores a root password's strength (zxcvbn); the sandbox asks for 7-128 characters of three of
    the four kinds (lower case, upper case, digits, others)."""
    if not isinstance(root_pass, str):
        raise StubError(400, "Must be a string", "root_pass")
    if not 7 <= len(root_pass) <= 128:
        raise StubError(400, "Password must be between 7 and 128 characters", "root_pass")
    kinds = sum(
        any(test(c) for c in root_pass)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    if kinds < 3:
        raise StubError(400, "Password does not meet strength requirement", "root_pass")


def profile() -> dict[str, Any]:
    """GET /v4/profile (readable with any token: what the adapter's check() reads)."""
    return {
        "uid": 1,
        **PROFILE,
        "timezone": "UTC",
        "email_notifications": True,
        "restricted": False,
        "two_factor_auth": False,
        "referrals": {
            "code": "sandbox",
            "url": "https://www.linode.com/?r=sandbox",
            "total": 0,
            "completed": 0,
            "pending": 0,
            "credit": 0,
        },
        "authorized_keys": None,
        "lish_auth_method": "keys_only",
        "authentication_type": "password",
        "verified_phone_number": None,
    }


def account() -> dict[str, Any]:
    """GET /v4/account."""
    return {
        "email": PROFILE["email"],
        "company": "ContainerStacks sandbox",
        "first_name": "Sandbox",
        "last_name": "Account",
        "address_1": "",
        "address_2": "",
        "city": "",
        "state": "",
        "zip": "",
        "country": "US",
        "phone": "",
        "tax_id": "",
        "balance": 0,
        "balance_uninvoiced": 0,
        "capabilities": ["Linodes"],
        "active_since": "2024-01-01T00:00:00",
        "euuid": "SANDBOX",
        "billing_source": "linode",
        "active_promotions": [],
    }


def ips(linode_id: int, region: str, ipv4: str, ipv6: str) -> dict[str, Any]:
    """GET /v4/linode/instances/{id}/ips."""

    def address(value: str, kind: str, public: bool, gateway: str, prefix: int, mask: str) -> dict[str, Any]:
        return {
            "address": value,
            "gateway": gateway,
            "linode_id": linode_id,
            "prefix": prefix,
            "public": public,
            "rdns": f"{value.replace('.', '-')}.ip.sandbox.invalid" if kind == "ipv4" else None,
            "region": region,
            "subnet_mask": mask,
            "type": kind,
        }

    v6_mask = "ffff:ffff:ffff:ffff::"
    return {
        "ipv4": {
            "private": [],
            "public": [address(ipv4, "ipv4", True, ipv4.rsplit(".", 1)[0] + ".1", 24, "255.255.255.0")],
            "reserved": [],
            "vpc": [],
            "shared": [],
        },
        "ipv6": {
            "global": [],
            "link_local": address(f"fe80::{linode_id:x}", "ipv6", False, "fe80::1", 64, v6_mask),
            "slaac": address(ipv6.split("/")[0], "ipv6", True, "fe80::1", 64, v6_mask),
        },
    }
