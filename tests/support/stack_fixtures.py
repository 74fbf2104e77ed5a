"""Pytest fixtures for the local stack's pieces: moto with Lambda dispatch (`aws`), clean tables, SMTP."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from chalicelib.settings import get_settings
from devstack import environment, lambda_dispatch
from devstack.aws import Service, local_client
from devstack.bootstrap import Bootstrapped, bootstrap
from devstack.moto_server import MotoServer
from devstack.smtp import MailServer

_BATCH_SIZE = 25


# moto's DynamoDB backend is not thread-safe: a transaction deep-copies its tables and restores them when it
# is cancelled (wiping a concurrent writer's item), and a copy or query can meet a dict another request is
# changing ("dictionary changed size during iteration"). The threaded server runs requests concurrently, so
# the test session serialises the backend's request handling with one lock. (The local stack's
# devstack/moto_server.py needs the same; the two should become one.)
@dataclass(frozen=True)
class AwsStack:
    """The moto server of the test session and what bootstrap created in it."""

    endpoint: str
    region: str
    resources: Bootstrapped

    def client(self, service: Service) -> Any:
        """A low-level boto3 client against the moto server."""
        return local_client(service, self.endpoint, self.region)


@pytest.fixture(scope="session")
def aws() -> Iterator[AwsStack]:
    """moto on a free port, executing state machines with the real handlers; env set, resources created.

    MotoServer.start() serialises moto's DynamoDB (devstack.moto_guard), as in the local stack: concurrent
    transactions in tests keep each other's writes.
    """
    lambda_dispatch.install()
    server = MotoServer()
    server.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            _set_env(patch, {**environment.chalice_stage_environment("test"), **_test_environment(server)})
            resources = bootstrap(server.endpoint, get_settings())
            _set_env(patch, environment.state_machine_environment(resources.state_machines))
            yield AwsStack(server.endpoint, environment.LOCAL_REGION, resources)
        environment.refresh_app_config()
    finally:
        server.stop()


@pytest.fixture
def clean_tables(aws: AwsStack) -> Iterator[None]:
    """Every DynamoDB table is empty when the test starts and again after it."""
    delete_all_items(aws.client("dynamodb"))
    yield
    delete_all_items(aws.client("dynamodb"))


@pytest.fixture(scope="session")
def smtp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailServer]:
    """The session's SMTP server on a free port; CS_SMTP_HOST/CS_SMTP_PORT point the app at it."""
    server = MailServer(tmp_path_factory.mktemp("mail"))
    server.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            _set_env(patch, environment.smtp_environment(server.port))
            yield server
        environment.refresh_app_config()
    finally:
        server.stop()


@pytest.fixture
def smtp(smtp_server: MailServer) -> Iterator[MailServer]:
    """The SMTP server with an empty mailbox; read what arrived with `.messages()`."""
    smtp_server.clear()
    yield smtp_server
    smtp_server.clear()


def delete_all_items(dynamodb: Any) -> None:
    """Delete every item of every table (Scan + BatchWriteItem; tests only)."""
    for table in dynamodb.list_tables()["TableNames"]:
        schema = dynamodb.describe_table(TableName=table)["Table"]["KeySchema"]
        key_names = [key["AttributeName"] for key in schema]
        keys = [
            {name: item[name] for name in key_names}
            for page in dynamodb.get_paginator("scan").paginate(TableName=table)
            for item in page["Items"]
        ]
        for start in range(0, len(keys), _BATCH_SIZE):
            batch = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + _BATCH_SIZE]]
            dynamodb.batch_write_item(RequestItems={table: batch})


def _test_environment(server: MotoServer) -> dict[str, str]:
    return {
        **environment.aws_environment(server.port),
        "CS_STAGE": "test",
        "CS_JWT_SECRET": secrets.token_urlsafe(48),
    }


def _set_env(patch: pytest.MonkeyPatch, values: Mapping[str, str]) -> None:
    for name, value in values.items():
        patch.setenv(name, value)
    environment.refresh_app_config()
