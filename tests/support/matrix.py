"""The authorization matrix: caller kinds (columns), expectation rows per route, and the check of one cell.

A cell's expected status is derived from the route's `auth` level, its organization roles (the `roles` of
its `endpoint`: a member whose role is not among them gets 403) and whether its path names the owning
organization's resource; a route's row overrides single cells. Every organization role is a caller kind:
a member of the owning organization with that role, acting in it with X-Organization-Id (the owner acts in
its own organization without the header).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chalicelib.api.http import ORG_HEADER, RouteSpec
from chalicelib.domain.containers.naming import LABEL_CONTAINER
from chalicelib.domain.shared.roles import OrgRole
from tests.support.api import PASSWORD, Api, Reply, User, remove_engine_leftovers
from tests.support.docker_fixtures import cleanup_labels
from tests.support.stack_fixtures import AwsStack, delete_all_items


class Caller(StrEnum):
    """Who calls. Listed in the order cells run (expected successes are moved last, see `ordered`)."""

    ANONYMOUS = "anonymous"  # no Authorization header
    EXPIRED = "expired token"  # the owner's token, validly signed, past its exp
    REVOKED = "revoked token"  # the owner's token after POST /api/auth/logout
    OTHER_ORG = "other org"  # a member of another organization naming the owner's resources
    NON_MEMBER = "non-member header"  # the same, sending X-Organization-Id: <the owner's organization>
    ADMIN = "platform admin"  # not a member of customer organizations
    OWNER = "owner"  # a member of the organization owning the resources, with the owner role
    ORG_ADMIN = "org admin"  # members of the owning organization with the other roles
    DEVELOPER = "developer"
    BILLING = "billing"
    VIEWER = "viewer"


UNAUTHENTICATED = frozenset({Caller.ANONYMOUS, Caller.EXPIRED, Caller.REVOKED})
# Members of the owning organization, one kind per organization role.
ROLE_OF: Mapping[Caller, OrgRole] = {
    Caller.OWNER: "owner",
    Caller.ORG_ADMIN: "admin",
    Caller.DEVELOPER: "developer",
    Caller.BILLING: "billing",
    Caller.VIEWER: "viewer",
}
MEMBERS = frozenset(ROLE_OF)
JOINED = frozenset(MEMBERS - {Caller.OWNER})  # joined by invitation: they act in it with X-Organization-Id
DENIALS = {401: "unauthorized", 403: "forbidden", 404: "not_found"}
TOKEN_REASONS = {Caller.EXPIRED: "expired", Caller.REVOKED: "revoked"}


@dataclass(frozen=True)
class Listing:
    """A list route: the owner's resource (`World.ids[resource]`) is listed for members and nobody else."""

    key: str
    resource: str
    field: str = "id"
    personal: bool = False  # the owner's own (an SSH key, a notification): other members don't see it either


@dataclass(frozen=True)
class Cell:
    caller: Caller
    reply: Reply


@dataclass(frozen=True)
class Row:
    """One route's expectations and how to call it with a valid request.

    body: a valid example body (a fresh one per cell: names are unique per organization).
    expect: cells that differ from the derived expectation.
    scoped: the path names the owning organization's resource (default: it has a path parameter).
    fresh: path parameters given a new resource for this route, because a success cell destroys (or
        spoils) it: the denied cells share one, and each success cell gets its own.
    fresh_login: every caller with an identity logs in again first (the call uses up the token).
    after: runs on the cells that answered as expected (wait for what they started, remove what they added).
    """

    body: Callable[[World], Any] | None = None
    query: str = ""
    expect: Mapping[Caller, int] = field(default_factory=dict)
    scoped: bool | None = None
    lists: Listing | None = None
    fresh: tuple[str, ...] = ()
    fresh_login: bool = False
    make: Mapping[str, Callable[[World], str]] = field(default_factory=dict)  # this row's fresh resources
    after: Callable[[World, list[Cell]], None] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)  # sent by every cell (e.g. Accept)


@dataclass(frozen=True)
class Mismatch:
    route: str
    caller: Caller
    expected: str
    got: str
    code: str


def label(route: RouteSpec) -> str:
    return f"{route.method} {route.path}"


def expected(route: RouteSpec, row: Row, caller: Caller) -> int:
    """The status `caller` gets from `route`: the row's override, else derived from the auth level."""
    if caller in row.expect:
        return row.expect[caller]
    scoped = row.scoped if row.scoped is not None else "{" in route.path
    if route.auth == "none":
        return route.status
    if caller in UNAUTHENTICATED:
        return 401
    if route.auth == "admin":  # the edge checks the role before the handler runs
        return route.status if caller is Caller.ADMIN else 403
    if caller in MEMBERS:  # the edge checks the member's role before the handler runs
        return route.status if route.auth != "org" or ROLE_OF[caller] in route.roles else 403
    if route.auth == "org" and caller is Caller.NON_MEMBER:  # membership is checked at the edge
        return 403
    return 404 if scoped else route.status  # another organization's resource is answered like a missing one


def ordered(route: RouteSpec, row: Row) -> list[Caller]:
    """Denied cells first, so a destructive success (delete, stop, logout) cannot spoil another cell."""
    return sorted(Caller, key=lambda caller: expected(route, row, caller) < 400)


def error_code(reply: Reply) -> str:
    body = reply.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("code"))
    return "-"


def judge(route: RouteSpec, row: Row, cell: Cell, ids: Mapping[str, str]) -> Mismatch | None:
    """The cell's mismatch, if any: its status, a denial's error shape, a list leaking or losing it."""
    want, reply, caller = expected(route, row, cell.caller), cell.reply, cell.caller
    code = error_code(reply)

    def mismatch(wanted: str, got: str) -> Mismatch:
        return Mismatch(label(route), caller, wanted, got, code)

    if reply.status != want:
        return mismatch(str(want), str(reply.status))
    if want in DENIALS:
        error = reply.body.get("error") if isinstance(reply.body, dict) else None
        if (
            not isinstance(error, dict)
            or set(reply.body) != {"error"}
            or not {"code", "message"} <= set(error) <= {"code", "message", "details"}
            or not isinstance(error["message"], str)
            or not error["message"]
            or code != DENIALS[want]
        ):
            return mismatch(f"{want} {{error: {{code: {DENIALS[want]}, message}}}}", f"{want} {reply.body}")
        reason = TOKEN_REASONS.get(caller) if want == 401 else None
        if reason and reason not in error["message"].lower():
            return mismatch(f"{want} saying '{reason}'", f"{want} {error['message']!r}")
    if row.lists and reply.status < 300:
        listed = {str(item[row.lists.field]) for item in reply.body[row.lists.key]}
        owned = ids[row.lists.resource]
        sees = caller is Caller.OWNER if row.lists.personal else caller in MEMBERS
        if sees and owned not in listed:
            return mismatch(f"{want} listing {row.lists.resource}", f"{want} without it")
        if not sees and owned in listed:
            return mismatch(f"{want} without the owner's {row.lists.resource}", f"{want} listing it")
    return None


def table(mismatches: list[Mismatch]) -> str:
    heading = ("route", "caller", "expected", "got", "error code")
    rows = [heading, *((m.route, str(m.caller), m.expected, m.got, m.code) for m in mismatches)]
    widths = [min(60, max(len(r[i]) for r in rows)) for i in range(len(heading))]
    lines = ["  ".join(text[:60].ljust(width) for text, width in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(["authorization matrix mismatches:", *lines])


def expectation_table(routes: list[RouteSpec], rows: Mapping[str, Row]) -> str:
    """The whole matrix as expected statuses, one line per route (printed with `pytest -s`)."""
    width, column = max(len(label(r)) for r in routes), max(len(c.value) for c in Caller)
    lines = [" ".join(["route".ljust(width), *(c.value.rjust(column) for c in Caller)])]
    for route in routes:
        row = rows.get(route.operation_id)
        cells = (str(expected(route, row, c) if row else "?").rjust(column) for c in Caller)
        lines.append(" ".join([label(route).ljust(width), *cells]))
    return "\n".join(lines)


@dataclass
class World:
    """The users, tokens and resources every cell shares; `ids` maps path parameters to the owner's ids."""

    api: Api
    image: str
    docker_url: str
    owner: User
    other: User
    admin: User
    expired_token: str
    revoked_token: str
    members: dict[Caller, User] = field(default_factory=dict)  # the owner's organization, one per role
    ids: dict[str, str] = field(default_factory=dict)
    spare_hosts: list[str] = field(default_factory=list)
    started: list[str] = field(
        default_factory=list
    )  # ids answered 202: their engine containers go at the end
    cells: int = 0
    makers: dict[str, Callable[[World], str]] = field(default_factory=dict)  # fresh ids other slices add

    @staticmethod
    def unique(prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:10]}"

    def user_of(self, caller: Caller) -> User | None:
        return {
            Caller.OWNER: self.owner,
            Caller.OTHER_ORG: self.other,
            Caller.NON_MEMBER: self.other,
            Caller.ADMIN: self.admin,
            **self.members,
        }.get(caller)

    def credentials(self, caller: Caller, fresh_login: bool = False) -> tuple[str | None, dict[str, str]]:
        """The token and extra headers `caller` sends."""
        acts_in_owners = caller is Caller.NON_MEMBER or caller in JOINED
        headers = {ORG_HEADER: self.owner.org_id} if acts_in_owners else {}
        if caller is Caller.EXPIRED:
            return self.expired_token, headers
        if caller is Caller.REVOKED:
            return self.revoked_token, headers
        user = self.user_of(caller)
        if user is None:
            return None, headers
        return (login(self.api, user.email) if fresh_login else user.token), headers

    def send(
        self,
        caller: Caller,
        method: str,
        path: str,
        body: Any,
        fresh_login: bool = False,
        extra: Mapping[str, str] | None = None,
    ) -> Reply:
        """One cell: `caller`'s request, with their token and headers."""
        token, headers = self.credentials(caller, fresh_login)
        reply = self.api.call(method, path, body, token=token, headers={**headers, **(extra or {})})
        self.cells += 1
        if reply.status == 202 and isinstance(reply.body, dict) and "id" in reply.body:
            self.started.append(str(reply.body["id"]))
        return reply

    def container_body(self) -> dict[str, Any]:
        return {
            "name": self.unique("web"),
            "image": self.image,
            "resources": {"cpu": "0.1", "memory": "16Mi"},
        }

    def fresh(self, parameter: str, maker: Callable[[World], str] | None = None) -> str:
        """A new resource of the owner's (or the admin's host) for a path parameter."""
        if maker is not None:
            return maker(self)
        if parameter in self.makers:
            return self.makers[parameter](self)
        if parameter == "container_id":
            reply = self.owner.call("POST", "/api/containers", self.container_body())
            assert reply.status == 202, reply.body
            assert self.owner.wait_for(reply.body["id"])["status"] == "running"
            return str(reply.body["id"])
        if parameter == "host_id":
            reply = self.admin.call(
                "POST", "/api/admin/hosts", {"name": self.unique("spare"), "url": self.docker_url}
            )
            assert reply.status == 201, reply.body
            self.spare_hosts.append(reply.body["id"])
            return str(reply.body["id"])
        raise AssertionError(f"no way to make a fresh {parameter}: teach World.fresh")

    def remove_spare_hosts(self) -> None:
        while self.spare_hosts:
            reply = self.admin.call("DELETE", f"/api/admin/hosts/{self.spare_hosts.pop()}")
            assert reply.status in (204, 404), reply.body


def login(api: Api, email: str) -> str:
    reply = api.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD})
    assert reply.status == 200, reply.body
    return str(reply.body["token"])


def expired_token(user: User) -> str:
    """The user's token as the app signs it, issued two lifetimes (and an hour) ago."""
    from chalicelib.adapters.crypto.tokens import JwtTokenIssuer
    from chalicelib.wiring import settings
    from chalicelib.wiring.accounts import signing_key

    current = settings()
    issuer = JwtTokenIssuer(
        signing_key(), current.jwt_issuer, current.jwt_audience, current.token_ttl_seconds
    )
    long_ago = int(time.time()) - 2 * current.token_ttl_seconds - 3600
    token, _ = issuer.issue(user.id, "user", user.org_id, long_ago)
    return token


def join(owner: User, member: User, role: str) -> None:
    """`member` joins `owner`'s organization with `role` (an invitation, accepted)."""
    issued = owner.call("POST", "/api/organization/invites", {"email": member.email, "role": role})
    assert issued.status == 201, issued.body
    accepted = member.call("POST", f"/api/invites/{issued.body['token']}/accept")
    assert accepted.status == 200, accepted.body


def revoked_token(api: Api, user: User) -> str:
    token = login(api, user.email)
    assert api.call("POST", "/api/auth/logout", token=token).status == 200
    return token


@contextmanager
def open_world(aws: AwsStack, docker_url: str, image: str) -> Iterator[World]:
    """Fresh tables, the local engine as the default host, an owner with a running container, another
    organization's member and an admin; everything they made is removed afterwards."""
    from chalicelib import wiring
    from chalicelib.wiring.hosts import get_hosts

    delete_all_items(aws.client("dynamodb"))
    wiring.reset()
    api = Api()
    world: World | None = None
    try:
        host_id = get_hosts().ensure_default_host(docker_url).id
        owner, other, admin = api.user("Owner"), api.user("Other"), api.admin()
        api.org_ids.append(admin.org_id)  # what the admin deploys is cleaned up too
        world = World(
            api, image, docker_url, owner, other, admin, expired_token(owner), revoked_token(api, owner)
        )
        for caller in sorted(JOINED):
            world.members[caller] = member = api.user(ROLE_OF[caller].title())
            join(owner, member, ROLE_OF[caller])
        world.ids = {"org_id": owner.org_id, "host_id": host_id, "container_id": world.fresh("container_id")}
        yield world
    finally:
        remove_engine_leftovers(api.org_ids)
        for container_id in world.started if world else []:  # also those a broken edge let in elsewhere
            cleanup_labels({LABEL_CONTAINER: container_id})
        delete_all_items(aws.client("dynamodb"))
        wiring.reset()
