"""The edge every route shares: idempotency keys, framework errors in the one shape, admin checks."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest

from tests.integration.containers.test_api import body, engine_containers
from tests.support.api import Api

pytestmark = pytest.mark.docker


def _key() -> str:
    return f"test-{uuid.uuid4()}"


def _host_allocation(api: Api, admin_token: str, host_id: str) -> dict[str, Any]:
    reply = api.call("GET", f"/api/admin/hosts/{host_id}", token=admin_token)
    assert reply.status == 200, reply.body
    return dict(reply.body["allocated"])


def test_a_retried_create_with_the_same_key_makes_one_container_and_one_claim(
    api: Api, default_host: str, test_image: str
) -> None:
    # Given a user and an Idempotency-Key
    ann, admin = api.user("Ann"), api.admin()
    key, doc = _key(), body(test_image, None)
    # When the create is sent twice with that key (a client retrying after a timeout)
    first = ann.call("POST", "/api/containers", doc, headers={"Idempotency-Key": key})
    second = ann.call("POST", "/api/containers", doc, headers={"Idempotency-Key": key})
    # Then the second answer is the first one, replayed, and there is one container and one claim
    assert first.status == 202, first.body
    assert (second.status, second.body) == (first.status, first.body)
    assert second.headers.get("idempotent-replayed") == "true"
    listed = ann.call("GET", "/api/containers").body["containers"]
    assert [c["id"] for c in listed] == [first.body["id"]]
    assert _host_allocation(api, admin.token, default_host)["cpu"] == "0.5"
    ann.wait_for(first.body["id"])
    assert len(engine_containers(first.body["id"])) == 1


def test_the_same_key_with_another_body_is_422_and_changes_nothing(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user("Ann")
    key = _key()
    first = ann.call("POST", "/api/containers", body(test_image, None), headers={"Idempotency-Key": key})
    assert first.status == 202, first.body
    other = ann.call(
        "POST", "/api/containers", body(test_image, None, {"name": "other"}), headers={"Idempotency-Key": key}
    )
    assert other.status == 422 and other.body["error"]["code"] == "idempotency_key_reused"
    assert len(ann.call("GET", "/api/containers").body["containers"]) == 1


def test_keys_are_per_organization(api: Api, default_host: str, test_image: str) -> None:
    ann, bob = api.user("Ann"), api.user("Bob")
    key = _key()
    a = ann.call("POST", "/api/containers", body(test_image, None), headers={"Idempotency-Key": key})
    b = bob.call("POST", "/api/containers", body(test_image, None), headers={"Idempotency-Key": key})
    assert a.status == b.status == 202 and a.body["id"] != b.body["id"]


def test_concurrent_retries_with_one_key_create_one_container(
    api: Api, default_host: str, test_image: str
) -> None:
    ann = api.user("Ann")
    key, doc = _key(), body(test_image, None)
    replies: list[int] = []

    def send() -> None:
        replies.append(ann.call("POST", "/api/containers", doc, headers={"Idempotency-Key": key}).status)

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each retry either got the one container (202) or was told the first is still running (409)
    assert set(replies) <= {202, 409} and 202 in replies
    assert len(ann.call("GET", "/api/containers").body["containers"]) == 1


def test_a_malformed_key_is_400_naming_the_header(api: Api, default_host: str, test_image: str) -> None:
    ann = api.user("Ann")
    reply = ann.call("POST", "/api/containers", body(test_image, None), headers={"Idempotency-Key": "x"})
    assert reply.status == 400 and reply.body["error"]["details"][0]["field"] == "Idempotency-Key"


def test_a_failed_request_is_not_stored_and_can_be_retried(api: Api, default_host: str) -> None:
    ann = api.user("Ann")
    key = _key()
    huge = body("containerstacks/hello:local", None, {"resources": {"cpu": "64", "memory": "1024Gi"}})
    assert ann.call("POST", "/api/containers", huge, headers={"Idempotency-Key": key}).status == 409
    again = ann.call("POST", "/api/containers", huge, headers={"Idempotency-Key": key})
    assert again.status == 409 and "idempotent-replayed" not in again.headers


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("PATCH", "/api/containers", 405, "method_not_allowed"),
        ("DELETE", "/api/users/profile", 405, "method_not_allowed"),
        ("GET", "/api/nothing-here", 404, "not_found"),
    ],
)
def test_framework_errors_come_in_the_one_error_shape(
    api: Api, method: str, path: str, status: int, code: str
) -> None:
    ann = api.user("Ann")
    reply = ann.call(method, path)
    assert reply.status == status
    assert reply.body["error"]["code"] == code and reply.body["error"]["message"]


def test_a_body_that_is_not_json_is_415_in_the_error_shape(api: Api) -> None:
    reply = api.call("POST", "/api/auth/login", raw=b"email=a", headers={"Content-Type": "text/plain"})
    assert reply.status == 415 and reply.body["error"]["code"] == "unsupported_media_type"


def test_a_body_over_the_limit_is_413(api: Api) -> None:
    raw = b'{"email": "a@b.co", "password": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    reply = api.call("POST", "/api/auth/login", raw=raw)
    assert reply.status == 413 and reply.body["error"]["code"] == "payload_too_large"


def test_admin_routes_refuse_ordinary_users_at_the_edge(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a service that would answer anyone (as if its own check were forgotten)
    from chalicelib.wiring.hosts import get_hosts

    monkeypatch.setattr(get_hosts(), "list_hosts", lambda principal: [])
    ann = api.user("Ann")
    # Then the edge still refuses a non-admin before the handler runs
    reply = ann.call("GET", "/api/admin/hosts")
    assert reply.status == 403 and reply.body["error"]["code"] == "forbidden"


def test_a_duplicate_container_name_is_409_naming_the_field(
    api: Api, default_host: str, test_image: str
) -> None:
    ann, admin = api.user("Ann"), api.admin()
    first = ann.call("POST", "/api/containers", body(test_image, None))
    again = ann.call("POST", "/api/containers", body(test_image, None))
    assert first.status == 202, first.body
    assert again.status == 409 and again.body["error"]["details"][0]["field"] == "name", again.body
    assert _host_allocation(api, admin.token, default_host)["cpu"] == "0.5"


def _request_lines(output: str) -> list[dict[str, Any]]:
    import json

    lines = []
    for line in output.splitlines():
        if line.startswith("{") and '"message":"request"' in line.replace(" ", ""):
            lines.append(json.loads(line))
    return lines


def test_request_logs_carry_the_real_path_and_no_key_of_an_earlier_request(api: Api) -> None:
    import io
    import logging

    from chalicelib.observability import logger

    # Given request lines captured as AWS gets them (JSON), at INFO, and a request in Ann's organization
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    level = logger.log_level
    logger.setLevel("INFO")
    logging.getLogger(logger.name).addHandler(handler)
    try:
        ann = api.user("Ann")
        buffer.seek(0)
        buffer.truncate(0)
        assert ann.call("GET", "/api/containers/01NOSUCHCONTAINER").status == 404
        # When an anonymous request follows
        anonymous = api.call("POST", "/api/auth/login", {"email": "nobody@example.com", "password": "x"})
        assert anonymous.status == 401
    finally:
        logging.getLogger(logger.name).removeHandler(handler)
        logger.setLevel(level)
    # Then the first line has the real path and Ann's organization, the second neither
    first, second = _request_lines(buffer.getvalue())[-2:]
    assert first["path"] == "/api/containers/01NOSUCHCONTAINER" and first["status"] == 404
    assert first["organization_id"] == ann.org_id
    assert "organization_id" not in second and second["path"] == "/api/auth/login"
    assert "function_name" not in second
