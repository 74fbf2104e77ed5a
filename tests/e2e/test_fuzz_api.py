"""Schemathesis against the running local stack (`make fuzz`): every operation of /api/openapi.json.

As a signed-up user (every operation) and as the platform admin (the /api/admin routes a user gets 403 on):
schemathesis' coverage cases (boundary values) and CS_FUZZ_EXAMPLES Hypothesis examples, positive and
negative, per operation; checks: no 5xx, documented status, documented content type, response
schema, bearer auth enforced (ignored_auth), schema-valid requests accepted. Undeclared methods must answer
405/404 in the JSON error shape. All failures are collected and reported together.

Environment: CS_FUZZ_EXAMPLES (examples per operation, default 50), CS_FUZZ_BUDGET (seconds of fuzzing,
default 900), CS_FUZZ_REQUEST_TIMEOUT (seconds per request, default 30), CS_FUZZ_SEED (the seed;
`make test` uses a fixed one, `make fuzz` a random one), CS_FUZZ_ONLY (a path regex: just those operations).
"""

from __future__ import annotations

import os
import shutil
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis.configuration import set_hypothesis_home_dir

from tests.support.api import remove_engine_leftovers
from tests.support.devstack_process import running_devstack
from tests.support.fuzz import (
    Fuzzer,
    FuzzReport,
    Operation,
    fuzz_config,
    jobs,
    loopback_session,
    prepare_case,
    probe_undeclared_methods,
    require_loopback,
    server_errors,
)
from tests.support.images import docker_url

pytestmark = [pytest.mark.e2e, pytest.mark.docker]

EXAMPLES = int(os.environ.get("CS_FUZZ_EXAMPLES") or 50)
BUDGET = float(os.environ.get("CS_FUZZ_BUDGET") or 900)
REQUEST_TIMEOUT = float(os.environ.get("CS_FUZZ_REQUEST_TIMEOUT") or 30)
# `make test` replays a fixed seed, so a green run stays green; `make fuzz` draws a new one each time.
FIXED_SEED = 2098641672
ONLY = os.environ.get("CS_FUZZ_ONLY")  # a path regex: fuzz just those operations while working on them
SEED = int(os.environ.get("CS_FUZZ_SEED") or FIXED_SEED)
STARTUP_AND_CLEANUP = 600  # seconds on top of the budget before pytest-timeout steps in

ADMIN_EMAIL = "fuzz-admin@example.test"
ADMIN_PASSWORD = "fuzz admin password"
USER = {"email": "fuzz@example.test", "password": "correct horse battery", "name": "Fuzz"}
LOGOUT = "POST /api/auth/logout"
CLEANUP_TIMEOUT = 180.0


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    org_id: str


def _login(session: requests.Session, url: str, email: str, password: str) -> str:
    reply = session.post(f"{url}/api/auth/login", json={"email": email, "password": password}, timeout=30)
    assert reply.status_code == 200, reply.text
    token: str = reply.json()["token"]
    return token


def _sign_up(session: requests.Session, url: str) -> Account:
    reply = session.post(f"{url}/api/auth/register", json=USER, timeout=30)
    assert reply.status_code == 201, reply.text
    return Account(USER["email"], USER["password"], reply.json()["default_organization_id"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _engine_containers(org_id: str) -> list[str]:
    import docker

    client = docker.DockerClient(base_url=docker_url(), timeout=60)
    try:
        found = client.containers.list(all=True, filters={"label": f"cs.organization={org_id}"})
        return [str(c.name) for c in found]
    finally:
        client.close()


def _list_containers(session: requests.Session, url: str, headers: dict[str, str]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    cursor: str | None = None
    while True:
        params = {"limit": "100", **({"cursor": cursor} if cursor else {})}
        reply = session.get(f"{url}/api/containers", params=params, headers=headers, timeout=30)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        found.extend(page["containers"])
        cursor = page["next_cursor"]
        if not cursor:
            return found


def _delete_containers(session: requests.Session, url: str, account: Account) -> list[str]:
    """Delete, through the API as their owner, every container the fuzz user created; returns problems."""
    headers = _bearer(_login(session, url, account.email, account.password))
    problems: list[str] = []
    deadline = time.monotonic() + CLEANUP_TIMEOUT
    while True:
        remaining = _list_containers(session, url, headers)
        if not remaining and not _engine_containers(account.org_id):
            return problems
        if time.monotonic() > deadline:
            names = [f"{c['id']} ({c['status']})" for c in remaining]
            problems.append(f"the API did not delete within {CLEANUP_TIMEOUT:.0f}s: {names}")
            return problems
        for container in remaining:
            reply = session.delete(
                f"{url}/api/containers/{container['id']}",
                params={"purge_volumes": "true"},
                headers=headers,
                timeout=60,
            )
            if reply.status_code not in (202, 204, 404, 409):  # 409: still provisioning, tried again
                problems.append(f"DELETE {container['id']}: {reply.status_code} {reply.text[:200]}")
        time.sleep(1.0)


@pytest.fixture
def hypothesis_home(tmp_path: Path) -> Iterator[None]:
    """Hypothesis' cache (.hypothesis/) goes to the test's temporary directory, not the repository."""
    set_hypothesis_home_dir(tmp_path / "hypothesis")
    yield
    set_hypothesis_home_dir(None)


@pytest.fixture
def stack_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The stack's temporary files (TLS material of fuzzed hosts) stay in, and go with, a directory of ours.

    The stack is stopped with SIGKILL, so it cannot remove them itself.
    """
    directory = tmp_path / "stack-tmp"
    directory.mkdir()
    monkeypatch.setenv("TMPDIR", str(directory))  # running_devstack hands the environment on
    yield
    shutil.rmtree(directory, ignore_errors=True)


@pytest.mark.usefixtures("hypothesis_home", "stack_tmpdir")
@pytest.mark.timeout(BUDGET + STARTUP_AND_CLEANUP)
def test_the_api_keeps_its_openapi_contract_under_fuzzing(tmp_path: Path) -> None:
    started = time.monotonic()
    report = FuzzReport()
    cleanup_problems: list[str] = []
    # Every client of the local stack is 127.0.0.1: the fuzzed login's wrong passwords would use up the
    # address's sign-in limit for the logins this test needs itself. Sign-in limits have their own tests.
    limits = {"CS_LOGIN_ADDRESS_MAX_FAILURES": "1000000", "CS_LOGIN_MAX_FAILURES": "1000000"}
    with running_devstack(tmp_path / "data", ADMIN_EMAIL, ADMIN_PASSWORD, extra_env=limits) as stack:
        url = require_loopback(stack.url)
        session = loopback_session()
        account = _sign_up(session, url)
        try:
            user_token = _login(session, url, account.email, account.password)
            admin_token = _login(session, url, ADMIN_EMAIL, ADMIN_PASSWORD)
            report.secrets.extend([user_token, admin_token])

            def as_user(operation: Operation) -> dict[str, str]:
                if operation.label == LOGOUT:  # logging out revokes the token: give each call its own
                    fresh = _login(session, url, account.email, account.password)
                    report.secrets.append(fresh)
                    return _bearer(fresh)
                return _bearer(user_token)

            def as_admin(operation: Operation) -> dict[str, str]:
                return _bearer(admin_token)

            # The document's own route is left out by schemathesis unless a filter names it.
            # (Two include() filters select what either matches, so CS_FUZZ_ONLY replaces the first.)
            schema = schemathesis.openapi.from_url(
                f"{url}/api/openapi.json", config=fuzz_config(), timeout=30
            ).include(path_regex=ONLY or "^/")
            planned = jobs(schema, "user", as_user, prepare=prepare_case, report=report) + jobs(
                schema,
                "admin",
                as_admin,
                include=lambda operation: operation.path.startswith("/api/admin/"),
                prepare=prepare_case,
                report=report,
            )
            fuzz_started = time.monotonic()
            fuzzer = Fuzzer(
                base_url=url,
                examples=EXAMPLES,
                request_timeout=REQUEST_TIMEOUT,
                stop_at=fuzz_started + BUDGET,
                report=report,
                session=session,
                seed=SEED,
            )
            fuzzer.run(planned)
            probe_undeclared_methods(schema.raw_schema, url, session, _bearer(user_token), report)
            fuzz_seconds = time.monotonic() - fuzz_started
        finally:
            try:
                cleanup_problems = _delete_containers(session, url, account)
            except Exception as exc:  # still remove what is left on the engine, then report it
                cleanup_problems = [f"deleting through the API failed: {exc!r}"]
            finally:
                remove_engine_leftovers([account.org_id])
            stack_output = list(stack.output)
    leftovers = _engine_containers(account.org_id)

    wall = time.monotonic() - started
    stats = (
        f"schemathesis {schemathesis.__version__}, seed {SEED}, {EXAMPLES} examples per operation; "
        f"{report.statistics()}; fuzzing {fuzz_seconds:.0f}s, wall {wall:.0f}s"
    )
    print(stats)
    if report.not_finished:
        warnings.warn(
            f"time budget ({BUDGET:.0f}s) cut {len(report.not_finished)} operation(s) short: "
            + ", ".join(report.not_finished),
            stacklevel=1,
        )
    assert not leftovers, f"engine containers of the fuzz organization left behind: {leftovers}"
    problems = [f"cleanup: {problem}" for problem in cleanup_problems]
    if any(
        f.status is None or (f.status >= 500 and f.check != "undeclared method")
        for f in report.findings.values()
    ):
        logged = server_errors(stack_output) or stack_output[-20:]
        problems.append("the stack logged:\n" + "\n".join(f"  {line}" for line in logged))
    if report.findings or problems:
        summary = [stats, report.summary(), "(<token>: the bearer token of that identity)", *problems]
        pytest.fail("\n".join(summary), pytrace=False)
