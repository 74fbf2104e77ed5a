"""Images of an organization: uploaded `docker save` tarballs or builds from a Dockerfile, kept on the hosts
under the organization's own namespace, and the registry credentials hosts pull with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from chalicelib.domain.shared.errors import Conflict, PermissionDenied, ValidationFailed

ImageSource = Literal["upload", "build"]
ImageStatus = Literal["awaiting_upload", "loading", "building", "ready", "error"]
AWAITING_UPLOAD: ImageStatus = "awaiting_upload"
LOADING: ImageStatus = "loading"
BUILDING: ImageStatus = "building"
READY: ImageStatus = "ready"
ERROR: ImageStatus = "error"
SETTLED = (READY, ERROR)

LOAD_IMAGE = "load-image"  # state machines (functions.registry.STATE_MACHINES)
BUILD_IMAGE = "build-image"

# What customers write to deploy their organization's image: cs.local/<name>:<tag>. A `.local` registry is
# never a public one, so the reference cannot mean an image anyone else publishes.
OWN_REGISTRY = "cs.local"
# On the hosts an organization's images live under cs-img-<org>/<name>:<tag>; nobody names those directly.
ENGINE_PREFIX = "cs-img-"
NAME_PATTERN = r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)?$"
TAG_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"
MAX_NAME_LENGTH = 128
MAX_DOCKERFILE_CHARS = 64 * 1024
# A FROM line somewhere (the request model's pattern; the service checks what each FROM names).
DOCKERFILE_PATTERN = r"(^|\n)[ \t]*[Ff][Rr][Oo][Mm][ \t]+[^\s$]"
LOG_TAIL_LINES = 50
MAX_LOG_LINE = 500  # characters of one log line kept in the record's tail
_NAME = re.compile(NAME_PATTERN)
_TAG = re.compile(TAG_PATTERN)
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.IGNORECASE | re.MULTILINE)
_COPY_FROM = re.compile(r"--from=(\S+)", re.IGNORECASE)
_STAGE_NAME = re.compile(r"^\s*FROM\s+\S+(?:\s+\S+)*?\s+AS\s+(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


class ImageQuotaExceeded(Conflict):
    """The organization's images would take more space than its limit allows."""

    code = "quota_exceeded"


@dataclass(frozen=True)
class Image:
    """One image of an organization: its reference, where it came from, its state and what the engine said."""

    id: str
    organization_id: str
    name: str
    tag: str
    source: ImageSource
    status: ImageStatus
    status_reason: str | None
    declared_bytes: int  # the size of the tarball/context the client said it would upload
    size_bytes: int  # the image's size on a host (0 until ready); counts against the quota
    digest: str | None  # the engine's image id (sha256:...)
    repo_tags: tuple[str, ...]  # as saved in an uploaded tarball
    host_ids: tuple[str, ...]  # the hosts it is loaded on
    dockerfile: str | None  # builds only
    log_tail: tuple[str, ...]  # builds: the last lines of the build log
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    held_bytes: int = field(default=0)  # what it counts in the organization's usage right now

    @property
    def reference(self) -> str:
        """What a container's `image` says to run it."""
        return f"{OWN_REGISTRY}/{self.name}:{self.tag}"

    def engine_reference(self) -> str:
        return engine_reference(self.organization_id, self.reference)


@dataclass(frozen=True)
class ImageRequest:
    name: str
    tag: str
    size_bytes: int
    dockerfile: str | None = None


@dataclass(frozen=True)
class Usage:
    used_bytes: int
    limit_bytes: int


@dataclass(frozen=True)
class Upload:
    """Where the client PUTs the tarball (a presigned URL) and what it must send with it."""

    url: str
    method: str
    headers: dict[str, str]
    expires_at: datetime


@dataclass(frozen=True)
class RegistryCredential:
    """A registry login of an organization; the password is only ever stored encrypted."""

    id: str
    organization_id: str
    server: str
    username: str
    created_at: datetime


def upload_key(image: Image) -> str:
    """Where the client uploads: the tarball of an upload, the context of a build."""
    kind = "uploads" if image.source == "upload" else "contexts"
    return f"images/{image.organization_id}/{image.id}/{kind}.tar"


def log_key(image: Image) -> str:
    return f"images/{image.organization_id}/{image.id}/build.log"


def namespace(org_id: str) -> str:
    """The organization's repository prefix on the hosts (engine names are lowercase; ULIDs are not)."""
    return f"{ENGINE_PREFIX}{org_id.lower()}"


def is_own(reference: str) -> bool:
    return reference.startswith(f"{OWN_REGISTRY}/")


def engine_reference(org_id: str, reference: str) -> str:
    """The name the host knows `reference` by: the organization's own images map into its namespace, others
    stay as written. Raises ValidationFailed for a reference into any engine namespace."""
    check_reference(reference)
    if is_own(reference):
        return f"{namespace(org_id)}/{reference.removeprefix(OWN_REGISTRY + '/')}"
    return reference


def check_reference(reference: str, field_name: str = "image") -> None:
    """Any image but the hosts' per-organization namespaces (an organization names its own cs.local/...)."""
    first = reference.split("/", 1)[0]
    if first.lower().startswith(ENGINE_PREFIX):
        raise ValidationFailed(
            f"{field_name}: images under {ENGINE_PREFIX}... are internal; name your organization's images "
            f"{OWN_REGISTRY}/<name>:<tag> (see GET /api/images).",
            details={"field": field_name},
        )


def not_an_engine_namespace(reference: str) -> str:
    """A request model's check of an image reference (ValueError: a 400 naming the field)."""
    if reference.split("/", 1)[0].lower().startswith(ENGINE_PREFIX):
        raise ValueError(
            f"images under {ENGINE_PREFIX}... are internal; name your organization's images "
            f"{OWN_REGISTRY}/<name>:<tag> (see GET /api/images)"
        )
    return reference


def registry_of(reference: str) -> str:
    """The registry a reference is pulled from (docker.io when its first part is not a host name)."""
    first, _, rest = reference.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first.lower()
    return "docker.io"


def check_request(req: ImageRequest, max_bytes: int) -> None:
    if len(req.name) > MAX_NAME_LENGTH or not _NAME.match(req.name):
        raise ValidationFailed(
            "name: lowercase letters, digits and separators (., _, -), with at most one '/'.",
            details={"field": "name"},
        )
    if not _TAG.match(req.tag):
        raise ValidationFailed("tag: letters, digits, '_', '.', '-' (at most 128).", details={"field": "tag"})
    if req.size_bytes < 1:
        raise ValidationFailed("size_bytes: at least 1 byte.", details={"field": "size_bytes"})
    if req.size_bytes > max_bytes:
        raise ImageQuotaExceeded(
            f"An upload may be at most {max_bytes} bytes.",
            details={"field": "size_bytes", "limit": max_bytes},
        )
    if req.dockerfile is not None:
        check_dockerfile(req.dockerfile)


def check_dockerfile(text: str) -> None:
    """Builds start FROM scratch or the organization's own images (cs.local/...): never from whatever else is
    on a host, which may be another organization's pulled private image; a FROM computed from build
    arguments cannot be checked, so it is refused."""
    if not text.strip() or len(text) > MAX_DOCKERFILE_CHARS:
        raise ValidationFailed(
            f"dockerfile: 1 to {MAX_DOCKERFILE_CHARS} characters.", details={"field": "dockerfile"}
        )
    bases = _FROM.findall(text)
    if not bases:
        raise ValidationFailed("dockerfile: it has no FROM line.", details={"field": "dockerfile"})
    stages = {s.lower() for s in _STAGE_NAME.findall(text)}
    for base in [*bases, *_COPY_FROM.findall(text)]:
        if base.lower() in stages or base.isdigit() or base.lower() == "scratch":
            continue
        # Anything else on a host may be another organization's (a private image pulled with its login), and a
        # base computed from build arguments cannot be checked: 403, the base is not this organization's.
        if "$" in base or not is_own(base) or base.split("/", 1)[0].lower().startswith(ENGINE_PREFIX):
            raise PermissionDenied(
                f"dockerfile: {base[:200]} is not yours to build from; start FROM scratch or one of your "
                f"images ({OWN_REGISTRY}/<name>:<tag>; upload a base image with docker save first).",
                details={"field": "dockerfile"},
            )


def build_dockerfile(org_id: str, text: str) -> str:
    """The Dockerfile as the host builds it: cs.local/... bases mapped into the organization's namespace."""

    def mapped(match: re.Match[str]) -> str:
        return match.group(0).replace(match.group(1), engine_reference(org_id, match.group(1)))

    text = _FROM.sub(lambda m: mapped(m) if is_own(m.group(1)) else m.group(0), text)
    return _COPY_FROM.sub(lambda m: mapped(m) if is_own(m.group(1)) else m.group(0), text)


def tail(lines: list[str] | tuple[str, ...], more: list[str]) -> tuple[str, ...]:
    """The last LOG_TAIL_LINES of `lines` + `more`, each cut to MAX_LOG_LINE characters."""
    kept = [*lines, *(line[:MAX_LOG_LINE] for line in more)]
    return tuple(kept[-LOG_TAIL_LINES:])
