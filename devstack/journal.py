"""The local stack's write-ahead journal: every DynamoDB write, durable within a fraction of a second.

After each DynamoDB write request moto answered (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
TransactWriteItems), the resulting image of every item the request named, or a delete marker, is
appended as one JSON line to the current segment `journal-<n>.jsonl` in the data dir. The line is
written before the lock around moto is released, so a killed process loses nothing that was
answered; a flusher fsyncs the segment every `sync_seconds` against a machine crash.

Compaction (periodic and on a clean stop) rotates to a new segment under the lock, writes the
snapshot naming that segment as its first, then deletes the older segments. Start-up restores the
snapshot and replays the segments from the one it names, in order; images are absolute, so a write
both in the snapshot and in a replayed segment ends the same, and the last image of a key wins.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SEGMENT = re.compile(r"^journal-(\d{6})\.jsonl$")
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})
_BATCH_SIZE = 25

Entry = dict[str, Any]


def segment_path(data_dir: Path, number: int) -> Path:
    return data_dir / f"journal-{number:06d}.jsonl"


def segment_numbers(data_dir: Path) -> list[int]:
    """The numbers of the journal segments in `data_dir`, ascending."""
    found = (SEGMENT.match(path.name) for path in data_dir.iterdir()) if data_dir.is_dir() else ()
    return sorted(int(match.group(1)) for match in found if match)


class Journal:
    """Append-only segments in `data_dir`; `append` writes through, a daemon thread fsyncs."""

    def __init__(self, data_dir: Path, sync_seconds: float = 0.2) -> None:
        self._dir = data_dir
        self._sync_seconds = sync_seconds
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._number = 0
        self._dirty = False
        self._stopped = threading.Event()
        self._flusher = threading.Thread(target=self._flush_loop, name="journal-fsync", daemon=True)

    @property
    def number(self) -> int:
        """The segment being written."""
        return self._number

    def open(self) -> None:
        """Start a new segment after any already in the data dir, and the flusher."""
        existing = segment_numbers(self._dir)
        with self._lock:
            self._open_segment((existing[-1] if existing else 0) + 1)
        self._flusher.start()

    def append(self, entries: Iterable[Entry]) -> None:
        """Write `entries` as lines to the current segment (in the OS before this returns)."""
        data = "".join(json.dumps(entry, separators=(",", ":")) + "\n" for entry in entries).encode()
        if not data:
            return
        with self._lock:
            if self._fd is None:
                raise RuntimeError("the journal is closed")
            os.write(self._fd, data)
            self._dirty = True

    def rotate(self) -> int:
        """Close the current segment (fsynced) and start the next; returns the new segment's number."""
        with self._lock:
            self._close_segment()
            self._open_segment(self._number + 1)
            return self._number

    def discard_before(self, number: int) -> None:
        """Delete the segments older than `number` (a snapshot holds what they said)."""
        for old in segment_numbers(self._dir):
            if old < number:
                segment_path(self._dir, old).unlink(missing_ok=True)

    def close(self) -> None:
        """Stop the flusher, fsync and close the segment (removed when nothing was written); idempotent."""
        self._stopped.set()
        if self._flusher.is_alive():
            self._flusher.join()
        with self._lock:
            if self._fd is None:
                return
            empty = os.fstat(self._fd).st_size == 0
            self._close_segment()
            if empty:
                segment_path(self._dir, self._number).unlink(missing_ok=True)

    def _open_segment(self, number: int) -> None:
        path = segment_path(self._dir, number)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._number = number
        _fsync_dir(self._dir)

    def _close_segment(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
            self._dirty = False

    def _flush_loop(self) -> None:
        while not self._stopped.wait(self._sync_seconds):
            with self._lock:
                if self._fd is None or not self._dirty:
                    continue
                # fsync a duplicate outside the lock: appends (under moto's lock) never wait for the disk.
                fd, self._dirty = os.dup(self._fd), False
            try:
                os.fsync(fd)
            except OSError:
                logger.exception("journal fsync failed")
            finally:
                os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_entries(data_dir: Path, first: int) -> Iterator[Entry]:
    """Every entry of the segments numbered `first` and later, in order. A torn last line (the
    process was killed in the middle of a write) is skipped."""
    for number in segment_numbers(data_dir):
        if number < first:
            continue
        for line in segment_path(data_dir, number).read_bytes().splitlines():
            try:
                yield json.loads(line)
            except ValueError:
                logger.warning("skipping a torn journal line in segment %s", number)


def replay(entries: Iterable[Entry], dynamodb: Any) -> int:
    """Apply the last image of every key in `entries` through the DynamoDB client; returns the count."""
    final: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        final[(entry["table"], json.dumps(entry["key"], sort_keys=True))] = entry
    by_table: dict[str, list[dict[str, Any]]] = {}
    for entry in final.values():
        request = (
            {"PutRequest": {"Item": _decode_item(entry["item"])}}
            if entry["item"] is not None
            else {"DeleteRequest": {"Key": _decode_item(entry["key"])}}
        )
        by_table.setdefault(entry["table"], []).append(request)
    for table, requests in by_table.items():
        for start in range(0, len(requests), _BATCH_SIZE):
            pending: dict[str, Any] = {table: requests[start : start + _BATCH_SIZE]}
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return len(final)


def _decode_item(item: dict[str, Any]) -> dict[str, Any]:
    from devstack.snapshot import decode_item

    return decode_item(item)


class DynamoWriteRecorder:
    """The moto_guard observer: after a write request, journal the images of the items it named."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal

    def __call__(self, handler: Any) -> None:
        action = handler._get_action()
        if action not in WRITES:
            return
        try:
            backend = handler.dynamodb_backend
            self._journal.append(_images(backend, _touched(action, getattr(handler, "body", None) or {})))
        except Exception:
            # Never fail the request that already happened; the next compaction still saves it.
            logger.exception("could not journal a DynamoDB %s", action)


def _touched(action: str, body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any] | None, Any]]:
    """(table, key, item) for every item a write request names; Put names its item, the rest a key."""
    if action == "PutItem":
        yield body["TableName"], None, body["Item"]
    elif action in ("UpdateItem", "DeleteItem"):
        yield body["TableName"], body["Key"], None
    elif action == "BatchWriteItem":
        for table, requests in body["RequestItems"].items():
            for request in requests:
                if "PutRequest" in request:
                    yield table, None, request["PutRequest"]["Item"]
                else:
                    yield table, request["DeleteRequest"]["Key"], None
    elif action == "TransactWriteItems":
        for operation in body["TransactItems"]:
            ((kind, details),) = operation.items()
            if kind == "Put":
                yield details["TableName"], None, details["Item"]
            elif kind in ("Update", "Delete"):
                yield details["TableName"], details["Key"], None


def _images(backend: Any, touched: Iterable[tuple[str, dict[str, Any] | None, Any]]) -> list[Entry]:
    from moto.dynamodb.models.dynamo_type import DynamoType

    entries = []
    for table_name, key, item in touched:
        table = backend.get_table(table_name)
        names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
        source = key if key is not None else item
        key_values = {name: source[name] for name in names}
        hash_key = DynamoType(key_values[table.hash_key_attr])
        range_key = DynamoType(key_values[table.range_key_attr]) if table.range_key_attr else None
        current = table.get_item(hash_key, range_key)
        entries.append(
            {
                "table": table.name,
                "key": {name: encode_value(DynamoType(value)) for name, value in key_values.items()},
                "item": None if current is None else encode_attributes(current.attrs),
            }
        )
    return entries


def encode_attributes(attrs: dict[str, Any]) -> dict[str, Any]:
    """moto's attributes as DynamoDB JSON with binary values base64 (the snapshot's encoding)."""
    return {name: encode_value(value) for name, value in attrs.items()}


def encode_value(value: Any) -> dict[str, Any]:
    """One moto attribute value (a DynamoType or typed dict, binary as bytes or base64) as JSON."""
    kind, data = (value.type, value.value) if hasattr(value, "type") else next(iter(value.items()))
    if kind == "B":
        return {"B": _b64(data)}
    if kind == "BS":
        return {"BS": [_b64(part) for part in data]}
    if kind == "M":
        return {"M": {name: encode_value(part) for name, part in data.items()}}
    if kind == "L":
        return {"L": [encode_value(part) for part in data]}
    return {kind: data}


def _b64(data: bytes | str) -> str:
    return base64.b64encode(data).decode() if isinstance(data, bytes | bytearray) else data
