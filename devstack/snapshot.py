"""Persistence of the local stack: every DynamoDB item, S3 object and KMS key in one JSON file.

DynamoDB items keep their typed attribute values ({"S": ...}); binary values and S3 bodies
are base64. KMS keys cannot be exported through the API, so their material is read from
and written to moto's in-process backend: without it, ciphertexts stored in DynamoDB would
be undecryptable after a restart.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devstack.aws import local_client

SNAPSHOT_VERSION = 1
_BATCH_SIZE = 25

Snapshot = dict[str, Any]


def save_snapshot(path: Path, endpoint: str, region: str, journal_from: int = 0) -> None:
    """Write every table item, bucket object and KMS key to `path` (atomically, mode 0600, fsynced).

    `journal_from` is the first journal segment whose writes may be missing from it (devstack.journal).
    """
    snapshot: Snapshot = {
        "version": SNAPSHOT_VERSION,
        "saved_at": datetime.now(UTC).isoformat(),
        "journal_from": journal_from,
        "tables": _dump_tables(local_client("dynamodb", endpoint, region)),
        "buckets": _dump_buckets(local_client("s3", endpoint, region)),
        "kms_keys": _dump_keys(region),
    }
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        json.dump(snapshot, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def read_snapshot(path: Path) -> Snapshot | None:
    """The snapshot at `path`, or None when there is none."""
    if not path.is_file():
        return None
    snapshot: Snapshot = json.loads(path.read_text())
    if snapshot.get("version") != SNAPSHOT_VERSION:
        raise ValueError(f"{path}: unsupported snapshot version {snapshot.get('version')}")
    return snapshot


def restore_keys(snapshot: Snapshot, region: str) -> None:
    """Recreate the snapshot's KMS keys (same ids, material and aliases); run before bootstrap."""
    backend = _kms_backend(region)
    for saved in snapshot["kms_keys"]:
        if saved["id"] not in backend.keys:
            _adopt_key(backend, saved)


def restore_data(snapshot: Snapshot, endpoint: str, region: str) -> None:
    """Put the snapshot's items and objects back; run after bootstrap created tables and buckets."""
    dynamodb = local_client("dynamodb", endpoint, region)
    existing = set(dynamodb.list_tables()["TableNames"])
    for table, items in snapshot["tables"].items():
        if table in existing:
            _put_items(dynamodb, table, [decode_item(item) for item in items])
    s3 = local_client("s3", endpoint, region)
    for bucket, objects in snapshot["buckets"].items():
        _put_objects(s3, bucket, objects, region)


def _dump_tables(dynamodb: Any) -> dict[str, list[dict[str, Any]]]:
    return {
        table: [_encode_item(item) for item in _scan(dynamodb, table)]
        for table in dynamodb.list_tables()["TableNames"]
    }


def _scan(dynamodb: Any, table: str) -> Iterator[dict[str, Any]]:
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        yield from page["Items"]


def _put_items(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), _BATCH_SIZE):
        requests = {table: [{"PutRequest": {"Item": item}} for item in items[start : start + _BATCH_SIZE]]}
        while requests:
            requests = dynamodb.batch_write_item(RequestItems=requests).get("UnprocessedItems") or {}


def _dump_buckets(s3: Any) -> dict[str, list[dict[str, Any]]]:
    return {bucket["Name"]: _dump_objects(s3, bucket["Name"]) for bucket in s3.list_buckets()["Buckets"]}


def _dump_objects(s3: Any, bucket: str) -> list[dict[str, Any]]:
    objects = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for summary in page.get("Contents", []):
            response = s3.get_object(Bucket=bucket, Key=summary["Key"])
            objects.append(
                {
                    "key": summary["Key"],
                    "body": base64.b64encode(response["Body"].read()).decode(),
                    "content_type": response.get("ContentType", "binary/octet-stream"),
                    "metadata": response.get("Metadata", {}),
                }
            )
    return objects


def _put_objects(s3: Any, bucket: str, objects: list[dict[str, Any]], region: str) -> None:
    from devstack.bootstrap import ensure_bucket

    ensure_bucket(s3, bucket, region)
    for saved in objects:
        s3.put_object(
            Bucket=bucket,
            Key=saved["key"],
            Body=base64.b64decode(saved["body"]),
            ContentType=saved["content_type"],
            Metadata=saved["metadata"],
        )


def _encode_item(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _encode_value(value) for name, value in item.items()}


def decode_item(item: dict[str, Any]) -> dict[str, Any]:
    """A stored item (binary values base64) as the SDK takes it."""
    return {name: _decode_value(value) for name, value in item.items()}


def _encode_value(value: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB attribute value with its binary parts base64-encoded."""
    ((kind, data),) = value.items()
    if kind == "B":
        return {"B": base64.b64encode(data).decode()}
    if kind == "BS":
        return {"BS": [base64.b64encode(part).decode() for part in data]}
    if kind == "M":
        return {"M": _encode_item(data)}
    if kind == "L":
        return {"L": [_encode_value(element) for element in data]}
    return value


def _decode_value(value: dict[str, Any]) -> dict[str, Any]:
    """Inverse of _encode_value."""
    ((kind, data),) = value.items()
    if kind == "B":
        return {"B": base64.b64decode(data)}
    if kind == "BS":
        return {"BS": [base64.b64decode(part) for part in data]}
    if kind == "M":
        return {"M": decode_item(data)}
    if kind == "L":
        return {"L": [_decode_value(element) for element in data]}
    return value


def _kms_backend(region: str) -> Any:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.kms.models import kms_backends

    return kms_backends[DEFAULT_ACCOUNT_ID][region]


def _dump_keys(region: str) -> list[dict[str, Any]]:
    return [
        {
            "id": key.id,
            "material": base64.b64encode(key.key_material).decode(),
            "description": key.description,
            "aliases": sorted(key.aliases),
        }
        for key in _kms_backend(region).keys.values()
        if key.key_spec == "SYMMETRIC_DEFAULT" and key.key_state == "Enabled"
    ]


def _adopt_key(backend: Any, saved: dict[str, Any]) -> None:
    """Create a key in moto, then give it the saved id and material (moto cannot import either)."""
    key = backend.create_key(
        policy=None,
        key_usage="ENCRYPT_DECRYPT",
        key_spec="SYMMETRIC_DEFAULT",
        description=saved["description"],
        tags=None,
    )
    del backend.keys[key.id]
    key.arn = key.arn.replace(key.id, saved["id"])
    key.id = saved["id"]
    key.key_material = base64.b64decode(saved["material"])
    backend.keys[key.id] = key
    for alias in saved["aliases"]:
        if not backend.alias_exists(alias):
            backend.create_alias(key.id, alias)
