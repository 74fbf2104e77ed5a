"""The local stack's DynamoDB journal and lock against a real moto server."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.settings import get_settings
from devstack.journal import DynamoWriteRecorder, Journal, read_entries, replay
from devstack.moto_guard import set_observer
from tests.support.stack_fixtures import AwsStack, delete_all_items


@pytest.fixture
def journal(aws: AwsStack, clean_tables: None, tmp_path: Path) -> Iterator[Journal]:
    """A journal in a temporary dir recording every DynamoDB write of the session's moto."""
    journal = Journal(tmp_path)
    journal.open()
    set_observer(DynamoWriteRecorder(journal))
    yield journal
    set_observer(None)
    journal.close()


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _get(aws: AwsStack, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    item: dict[str, Any] | None = aws.client("dynamodb").get_item(TableName=table, Key=key).get("Item")
    return item


def test_replaying_the_journal_gives_back_every_write(
    aws: AwsStack, journal: Journal, tmp_path: Path
) -> None:
    settings = get_settings()
    table, ephemeral = settings.table_name, settings.ephemeral_table_name
    dynamodb = aws.client("dynamodb")
    # Given puts (binary and nested values), an update, a delete, a batch and a transaction
    blob = {
        **_key("ORG#j", "TEST#1"),
        "blob": {"B": b"\x00\xff"},
        "nested": {"M": {"n": {"N": "5"}, "l": {"L": [{"BS": [b"a", b"b"]}, {"NULL": True}]}}},
    }
    dynamodb.put_item(TableName=table, Item=blob)
    dynamodb.update_item(
        TableName=table,
        Key=_key("ORG#j", "TEST#1"),
        UpdateExpression="SET #n = :v",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":v": {"M": {"x": {"B": b"\x02"}}}},
    )
    dynamodb.put_item(TableName=table, Item={**_key("ORG#j", "TEST#gone"), "v": {"N": "1"}})
    dynamodb.delete_item(TableName=table, Key=_key("ORG#j", "TEST#gone"))
    dynamodb.batch_write_item(
        RequestItems={
            ephemeral: [{"PutRequest": {"Item": {**_key("REVOKED#t", "TOKEN"), "expires": {"N": "9"}}}}]
        }
    )
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": {**_key("ORG#j", "TEST#2"), "v": {"S": "two"}}}},
            {
                "Update": {
                    "TableName": table,
                    "Key": _key("ORG#j", "TEST#3"),
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"S": "three"}},
                }
            },
        ]
    )
    before = {
        (name, sk): _get(aws, name, _key(pk, sk))
        for name, pk, sk in [
            (table, "ORG#j", "TEST#1"),
            (table, "ORG#j", "TEST#2"),
            (table, "ORG#j", "TEST#3"),
            (ephemeral, "REVOKED#t", "TOKEN"),
        ]
    }

    # When every table is emptied and the journal is replayed
    set_observer(None)
    delete_all_items(dynamodb)
    replay(read_entries(tmp_path, 0), dynamodb)

    # Then every item is back as it was, and the deleted one stays deleted
    for (name, sk), item in before.items():
        pk = "REVOKED#t" if name == ephemeral else "ORG#j"
        assert item is not None
        assert _get(aws, name, _key(pk, sk)) == item
    assert _get(aws, table, _key("ORG#j", "TEST#gone")) is None


def test_a_rotated_journal_replays_only_from_the_segment_asked_for(
    aws: AwsStack, journal: Journal, tmp_path: Path
) -> None:
    table = get_settings().table_name
    dynamodb = aws.client("dynamodb")
    # Given one write before a rotation and one after
    dynamodb.put_item(TableName=table, Item={**_key("ORG#r", "TEST#old"), "v": {"S": "old"}})
    first = journal.rotate()
    dynamodb.put_item(TableName=table, Item={**_key("ORG#r", "TEST#new"), "v": {"S": "new"}})
    # When the older segments are discarded
    journal.discard_before(first)
    # Then only the newer write is read back
    assert [entry["key"]["sk"]["S"] for entry in read_entries(tmp_path, first)] == ["TEST#new"]


def test_concurrent_transactions_keep_each_others_writes(aws: AwsStack, clean_tables: None) -> None:
    table = get_settings().table_name
    dynamodb = aws.client("dynamodb")
    # Given half of the organizations already taken
    for n in range(0, 48, 2):
        dynamodb.put_item(TableName=table, Item=_key(f"ORG#c{n}", "A"))

    def claim(n: int) -> None:
        items = [
            {
                "Put": {
                    "TableName": table,
                    "Item": {**_key(f"ORG#c{n}", sk), "v": {"N": str(n)}},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for sk in ("A", "B", "C")
        ]
        try:
            aws.client("dynamodb").transact_write_items(TransactItems=items)
        except ClientError as error:  # a taken organization: cancelled, as it should be
            assert error.response["Error"]["Code"] == "TransactionCanceledException"

    # When many clients claim every organization at the same time
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(claim, range(48)))
    # Then every free one was claimed whole, and no cancelled transaction undid another's writes
    count = sum(page["Count"] for page in dynamodb.get_paginator("scan").paginate(TableName=table))
    assert count == 24 + 24 * 3
