"""Schemathesis against a running local stack: every distinct failure collected, then one readable summary.

Used by tests/e2e/test_fuzz_api.py. Requests go only to the loopback URL the stack printed.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import APIOperation, BaseSchema, Case, CheckFunction, GenerationMode
from schemathesis.config import OutputConfig, SanitizationConfig
from schemathesis.core.result import Ok
from schemathesis.errors import FailureGroup

# What every response must satisfy (schemathesis.checks names). positive_data_acceptance: a request the
# document allows must not be answered 400 (it is how "the schema promises more than the app accepts" shows).
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "positive_data_acceptance",
)
# Rules a JSON Schema cannot state, documented in the fields' descriptions and enforced by the service with a
# 400 naming the field: a cursor this list did not issue, the same volume or host port twice, a fixed host
# port with more than one replica. A valid-looking request refused for one of these is not a finding.
# Registering a host also needs an engine that answers at its `url`. A VPS names a plan on sale, a region of
# its provider and the caller's own SSH keys; an SSH key must be one sshd accepts; a cost report's from is
# before its to; a provider's base_url points at this machine in the local stack; Linode events are signed.
# Money: a saved payment method that does not exist, a setup token PayPal does not know, a webhook whose
# signature PayPal does not verify, and amounts outside the operator's limits (configuration, not document).
SEMANTIC_FIELDS = frozenset(
    {
        "cursor",
        "volumes",
        "ports",
        "replicas",
        "url",
        "payment_method",
        "setup_token",
        "paypal-transmission-sig",
        "plan_id",
        "region",
        "ssh_key_ids",
        "public_key",
        "from",
        "to",
        "configuration.base_url",
        "X-CS-Signature",
        # support: a ticket's resource link names a container or VPS the organization has; a ticket is
        # assigned to a platform administrator
        "resource",
        "assignee_id",
        # Kubernetes clusters: an endpoint must answer as an API server that accepts the token; a container
        # names a registered cluster (and takes no volumes there)
        "endpoint",
        "token",
        "cluster_id",
    }
)
# Fields whose 400 is semantic only with these messages (any other 400 on them is a finding).
SEMANTIC_MESSAGES = {"amount": re.compile(r"^Add between|may hold at most")}
# Methods sent to paths that do not declare them (HEAD and OPTIONS are answered by the gateway itself).
PROBED_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MIN_SLICE = 15.0  # seconds of the budget kept for each operation not fuzzed yet
_SHOWN_BODY = 300
_SHOWN_REQUEST = 1500

Operation = APIOperation[Any, Any, Any, Any]
AnyCase = Case[Any]
HeadersFor = Callable[[Operation], dict[str, str]]
PrepareCase = Callable[[AnyCase], None]


def require_loopback(url: str) -> str:
    """The URL itself, after making sure it points at this machine (DESIGN.md §6)."""
    host = urlparse(url).hostname
    if host not in LOOPBACK_HOSTS:
        raise AssertionError(f"refusing to fuzz {url}: only 127.0.0.1/localhost may be contacted")
    return url.rstrip("/")


def loopback_session() -> requests.Session:
    """A session that ignores proxy settings from the environment."""
    session = requests.Session()
    session.trust_env = False
    return session


def fuzz_config() -> schemathesis.Config:
    """No schemathesis.toml discovery; requests shown unsanitized (a rejected password's length matters).

    Bearer tokens are redacted by FuzzReport instead.
    """
    return schemathesis.Config(output=OutputConfig(sanitization=SanitizationConfig(enabled=False)))


def selected_checks(names: Iterable[str] = CHECKS) -> list[CheckFunction]:
    checks: list[CheckFunction] = [getattr(schemathesis.checks, name) for name in names]
    return checks


@dataclass
class Finding:
    """One distinct problem: the first example seen, and how often it happened."""

    identity: str
    operation: str
    check: str
    status: int | None
    message: str
    request: str
    response: str
    field: str = ""  # the field a 400 names (details.field): one finding per field the server rejects
    count: int = 1

    @property
    def key(self) -> tuple[str, str, str, int | None, str]:
        return (self.identity, self.operation, self.check, self.status, self.field)

    def render(self) -> str:
        message = "\n".join(f"      {line}" for line in self.message.strip().splitlines()[:8])
        shown = self.request.strip()
        if len(shown) > _SHOWN_REQUEST:
            shown = f"{shown[:_SHOWN_REQUEST]}... ({len(shown)} characters in all)"
        request = "\n".join(f"      {line}" for line in shown.splitlines())
        field = f" -- field {self.field}" if self.field else ""
        return (
            f"  [{self.identity}] {self.operation} -- {self.check} -- status {self.status}{field} "
            f"({self.count}x)\n{message}\n    request:\n{request}\n    response: {self.response}"
        )


@dataclass
class FuzzReport:
    """Everything a fuzz run saw; `summary()` is the text the test fails with."""

    findings: dict[tuple[str, str, str, int | None, str], Finding] = field(default_factory=dict)
    cases: Counter[tuple[str, str]] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    operations: dict[str, set[str]] = field(default_factory=dict)
    not_finished: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<token>")
        return text

    def add(self, finding: Finding) -> None:
        finding.request = self.redact(finding.request)
        finding.response = self.redact(finding.response)
        known = self.findings.get(finding.key)
        if known is None:
            self.findings[finding.key] = finding
        else:
            known.count += 1

    def count_case(self, identity: str, operation: str, mode: str) -> None:
        self.cases[(identity, operation)] += 1
        self.modes[mode] += 1

    @property
    def total_cases(self) -> int:
        return sum(self.cases.values())

    def statistics(self) -> str:
        per_identity = ", ".join(
            f"{identity}: {len(ops)} operations, "
            f"{sum(n for (who, _), n in self.cases.items() if who == identity)} cases"
            for identity, ops in self.operations.items()
        )
        modes = ", ".join(f"{mode} {n}" for mode, n in sorted(self.modes.items()))
        return f"{per_identity}; {self.total_cases} cases in all ({modes})"

    def summary(self) -> str:
        lines = [f"{len(self.findings)} distinct failure(s); {self.statistics()}"]
        if self.not_finished:
            lines.append(
                "not fuzzed to the end (time budget, raise CS_FUZZ_BUDGET): " + ", ".join(self.not_finished)
            )
        for finding in sorted(self.findings.values(), key=lambda f: (f.operation, f.identity, f.check)):
            lines.append(finding.render())
        return "\n".join(lines)


def describe_response(response: requests.Response | schemathesis.Response) -> str:
    content_type = response.headers.get("Content-Type") or response.headers.get("content-type") or "-"
    if isinstance(content_type, list):
        content_type = ", ".join(content_type)
    body = response.content.decode("utf-8", "replace") if response.content else ""
    body = " ".join(body.split())
    if len(body) > _SHOWN_BODY:
        body = body[:_SHOWN_BODY] + "..."
    return f"{response.status_code} [{content_type}] {body}"


def _curl(case: AnyCase, headers: Mapping[str, str], base_url: str) -> str:
    try:
        command: str = case.as_curl_command(headers=dict(headers), base_url=base_url)
    except Exception:  # the summary must not fail on how a request is rendered
        return f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"
    return command


def blamed_field(response: requests.Response | schemathesis.Response) -> str:
    """The field a 400 in the project's error shape names first ("" for other responses)."""
    if response.status_code != 400:
        return ""
    try:
        details = response.json()["error"].get("details")
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""
    first = details[0] if isinstance(details, list) and details else details
    return str(first.get("field", "")) if isinstance(first, dict) else ""


def semantic(response: requests.Response | schemathesis.Response) -> bool:
    """A 400 for a rule the document cannot state (SEMANTIC_FIELDS, SEMANTIC_MESSAGES)."""
    field = blamed_field(response)
    if field in SEMANTIC_FIELDS:
        return True
    rule = SEMANTIC_MESSAGES.get(field)
    if rule is None:
        return False
    try:
        message = str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return False
    return rule.search(message) is not None


def _check_name(failure: Exception) -> str:
    names = getattr(type(failure), "checks", ())
    return "/".join(names) if names else type(failure).__name__


def _mode(case: AnyCase) -> str:
    """How the case was made, e.g. "coverage/negative" or "fuzzing/positive"."""
    meta = case.meta
    return f"{meta.phase.name.value}/{meta.generation.mode.value}" if meta is not None else "explicit"


@dataclass(frozen=True)
class Job:
    """One operation fuzzed as one identity."""

    identity: str
    operation: Operation
    headers_for: HeadersFor
    prepare: PrepareCase | None = None


def jobs(
    schema: BaseSchema,
    identity: str,
    headers_for: HeadersFor,
    *,
    include: Callable[[Operation], bool] = lambda _: True,
    prepare: PrepareCase | None = None,
    report: FuzzReport | None = None,
) -> list[Job]:
    """A job per operation `include` selects; operations the schema cannot describe go to `report`."""
    selected = []
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            if include(result.ok()):
                selected.append(Job(identity, result.ok(), headers_for, prepare))
        elif report is not None:
            error = result.err()
            report.add(Finding(identity, str(error.label), "schema", None, str(error), "-", "-"))
    return selected


@dataclass
class Fuzzer:
    """Runs operations and records every failure instead of raising at the first.

    Per operation: schemathesis' coverage cases first (deterministic boundary values, positive and negative:
    empty and maximum-length strings, minimum/maximum numbers, missing optional fields...), then `examples`
    Hypothesis examples mixing positive and negative data. A job may use the time left minus a slice kept
    for each later job, so a tight budget thins the run out instead of skipping the last operations.
    """

    base_url: str
    examples: int
    request_timeout: float
    stop_at: float  # time.monotonic() after which no more requests are sent
    report: FuzzReport
    session: requests.Session
    seed: int
    checks: list[CheckFunction] = field(default_factory=selected_checks)

    def run(self, planned: list[Job]) -> None:
        for index, job in enumerate(planned):
            self.report.operations.setdefault(job.identity, set()).add(job.operation.label)
            now = time.monotonic()
            left = max(0.0, self.stop_at - now)
            later = len(planned) - index - 1
            # Keep back a slice for each later job (MIN_SLICE, or an equal share when time is short).
            reserve = later * min(MIN_SLICE, left / (later + 1))
            self._fuzz_operation(job, now + left - reserve)

    def _strategy(self, operation: Operation) -> st.SearchStrategy[AnyCase]:
        strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
        with contextlib.suppress(Exception):  # some operations have nothing that can be made invalid
            strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        return st.one_of(strategies)

    def _coverage_cases(self, operation: Operation) -> Iterator[AnyCase]:
        """schemathesis' coverage phase, own method only (undeclared methods are probed separately)."""
        schema = operation.schema
        cases: Iterator[AnyCase] = schema.iter_coverage_cases(
            operation,
            generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
            generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        )
        return (case for case in cases if case.method.upper() == operation.method.upper())

    def _fuzz_operation(self, job: Job, stop_at: float) -> None:
        label = job.operation.label
        cut_short = False
        try:
            for case in self._coverage_cases(job.operation):
                if time.monotonic() > stop_at:
                    cut_short = True
                    break
                if job.prepare is not None:
                    job.prepare(case)
                self.exercise(job.identity, case, job.headers_for(job.operation))
        except Exception as exc:  # a definition the coverage generator cannot handle: report it, go on
            self.report.add(
                Finding(
                    job.identity, label, "coverage generation", None, f"{type(exc).__name__}: {exc}", "-", "-"
                )
            )

        @hypothesis.seed(self.seed)
        @hypothesis.settings(
            max_examples=self.examples,
            deadline=None,  # each request has its own timeout; each job its share of the budget
            database=None,
            phases=[Phase.explicit, Phase.generate],  # failures are recorded, not raised: nothing to shrink
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )
        @hypothesis.given(case=self._strategy(job.operation))
        def run(case: AnyCase) -> None:
            nonlocal cut_short
            if time.monotonic() > stop_at:
                cut_short = True
                return
            if job.prepare is not None:
                job.prepare(case)
            self.exercise(job.identity, case, job.headers_for(job.operation))

        try:
            run()
        except Exception as exc:
            self.report.add(
                Finding(job.identity, label, "generation", None, f"{type(exc).__name__}: {exc}", "-", "-")
            )
        if cut_short:
            done = self.report.cases[(job.identity, label)]
            self.report.not_finished.append(f"[{job.identity}] {label} ({done} cases)")

    def exercise(self, identity: str, case: AnyCase, headers: Mapping[str, str]) -> None:
        """Send one case and run the checks on its response; failures go to the report."""
        label = case.operation.label
        self.report.count_case(identity, label, _mode(case))
        sent = dict(headers)
        transport = {"base_url": self.base_url, "session": self.session, "headers": dict(sent)}
        try:
            response = case.call(
                base_url=self.base_url, session=self.session, headers=dict(sent), timeout=self.request_timeout
            )
        except requests.RequestException as exc:
            request = _curl(case, sent, self.base_url)
            self.report.add(Finding(identity, label, "request failed", None, repr(exc), request, "-"))
            return
        try:
            case.validate_response(
                response,
                checks=self.checks,
                headers=dict(sent),
                transport_kwargs={**transport, "timeout": self.request_timeout},
            )
        except FailureGroup as group:
            request = _curl(case, sent, self.base_url)
            for failure in group.exceptions:
                if _check_name(failure) == "positive_data_acceptance" and semantic(response):
                    continue
                self.report.add(
                    Finding(
                        identity,
                        label,
                        _check_name(failure),
                        response.status_code,
                        failure.title + ("\n" + failure.message if failure.message else ""),
                        request,
                        describe_response(response),
                        blamed_field(response),
                    )
                )
        except requests.RequestException as exc:  # a check's own probe request (ignored_auth) failed
            request = _curl(case, sent, self.base_url)
            self.report.add(Finding(identity, label, "check probe failed", None, repr(exc), request, "-"))


def server_errors(output: Iterable[str], limit: int = 10) -> list[str]:
    """Distinct errors the stack logged ("level":"ERROR" JSON lines), each with its exception's last line."""
    found: list[str] = []
    for line in output:
        if '"level":"ERROR"' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        exception = str(record.get("exception") or "").strip().splitlines()
        text = f"{record.get('message')}: {exception[-1] if exception else '-'}"
        if text not in found:
            found.append(text)
    return found[:limit]


# ---------------------------------------------------------------- undeclared methods
def is_error_shape(response: requests.Response) -> bool:
    """The project's one error shape: a JSON object {"error": {"code": str, "message": str, ...}}."""
    if not (response.headers.get("Content-Type") or "").startswith("application/json"):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    error = body.get("error") if isinstance(body, dict) else None
    return (
        isinstance(error, dict)
        and isinstance(error.get("code"), str)
        and isinstance(error.get("message"), str)
    )


def probe_undeclared_methods(
    document: Mapping[str, Any],
    base_url: str,
    session: requests.Session,
    headers: Mapping[str, str],
    report: FuzzReport,
    *,
    identity: str = "user",
    timeout: float = 30.0,
) -> int:
    """Send each method a path does not declare; it must be 405 (or 404) in the JSON error shape.

    Wrong answers are grouped by method and status (one finding lists every path). Returns the requests sent.
    """
    sent = 0
    wrong: dict[tuple[str, int], list[tuple[str, str, str]]] = {}
    for path, item in document.get("paths", {}).items():
        declared = {method.upper() for method in item}
        concrete = re.sub(r"{\w+}", "fuzz-probe", path)
        for method in PROBED_METHODS:
            if method in declared:
                continue
            body = json.dumps({}) if method in ("POST", "PUT", "PATCH") else None
            request_headers = {**headers, **({"Content-Type": "application/json"} if body else {})}
            response = session.request(
                method, f"{base_url}{concrete}", headers=request_headers, data=body, timeout=timeout
            )
            sent += 1
            report.count_case(identity, f"{method} {path}", "undeclared-method")
            if response.status_code in (404, 405) and is_error_shape(response):
                continue
            shown_headers = " ".join(f"-H '{k}: {v}'" for k, v in request_headers.items())
            request = f"curl -X {method} {shown_headers} '{base_url}{concrete}'" + (
                f" -d '{body}'" if body else ""
            )
            wrong.setdefault((method, response.status_code), []).append(
                (path, request, describe_response(response))
            )
    for (method, status), cases in sorted(wrong.items()):
        paths = [path for path, _, _ in cases]
        _, request, response_text = cases[0]
        report.add(
            Finding(
                identity,
                f"{method} on {len(paths)} path(s) not declaring it",
                "undeclared method",
                status,
                'expected 405 (or 404) with {"error": {"code", "message"}}; paths: ' + ", ".join(paths),
                request,
                response_text,
            )
        )
    return sent


# ---------------------------------------------------------------- preparing generated cases
_TCP_PORT = re.compile(r":(\d{1,5})\s*$")
# A well-formed Idempotency-Key (chalicelib/api/idempotency.py KEY_PATTERN); malformed ones are sent as made.
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")


def prepare_case(case: AnyCase) -> None:
    """What every generated case goes through before it is sent."""
    confine_engine_url(case)
    confine_cluster_endpoint(case)
    fresh_idempotency_key(case)


def fresh_idempotency_key(case: AnyCase) -> None:
    """A new key per request: generated keys repeat ("00000000"), and a key reused with another body is
    rightly refused (422), which is no contract violation."""
    headers = case.headers
    if not headers:
        return
    for name in list(headers):
        value = headers[name]
        if name.lower() == "idempotency-key" and isinstance(value, str) and _IDEMPOTENCY_KEY.match(value):
            headers[name] = uuid.uuid4().hex


def confine_engine_url(case: AnyCase) -> None:
    """POST /api/admin/hosts makes the server connect to the body's `url`: keep every TCP URL on loopback.

    A generated `tcp://some.host:2376` becomes `tcp://127.0.0.1:2376` (unix sockets are local already).
    """
    body = case.body
    if not isinstance(body, dict):
        return
    url = body.get("url")
    if isinstance(url, str) and "tcp://" in url.lower():
        port = _TCP_PORT.search(url)
        body["url"] = f"tcp://127.0.0.1:{port.group(1) if port else '2376'}"


def confine_cluster_endpoint(case: AnyCase) -> None:
    """POST/PUT /api/admin/clusters makes the server connect to the body's `endpoint`: keep it on loopback, on
    the discard port where nothing answers (`https://k8s.example.com` becomes `https://127.0.0.1:9`)."""
    body = case.body
    if not isinstance(body, dict) or "/clusters" not in case.path:
        return
    endpoint = body.get("endpoint")
    if isinstance(endpoint, str) and "://" in endpoint:
        body["endpoint"] = f"{endpoint.split('://', 1)[0]}://127.0.0.1:9"
