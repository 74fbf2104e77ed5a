"""Wire models of the image registry: uploads and builds (with their presigned upload), images, build status
and registry logins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.wire import NextCursor, Out, Strict
from chalicelib.domain.images.entities import (
    DOCKERFILE_PATTERN,
    MAX_DOCKERFILE_CHARS,
    MAX_NAME_LENGTH,
    NAME_PATTERN,
    TAG_PATTERN,
    Image,
    ImageRequest,
    RegistryCredential,
    Upload,
    Usage,
)

ImageName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_NAME_LENGTH,
        pattern=NAME_PATTERN,
        examples=["web"],
        description="Lowercase repository name; deploy it as cs.local/<name>:<tag>",
    ),
]
Tag = Annotated[str, Field(min_length=1, max_length=128, pattern=TAG_PATTERN, examples=["1.0"])]
Size = Annotated[
    int,
    Field(
        ge=1,
        le=5 * 2**40,
        description="Exact bytes of the file you will PUT (over the upload limit or the quota left: 409 "
        "quota_exceeded)",
    ),
]


class ImageUploadIn(Strict):
    """Announce a `docker save` tarball of one image; PUT it to the returned URL, then POST .../complete."""

    name: ImageName
    tag: Tag = "latest"
    size_bytes: Size

    def to_domain(self) -> ImageRequest:
        return ImageRequest(self.name, self.tag, self.size_bytes)


class ImageBuildIn(ImageUploadIn):
    """Announce a build: the Dockerfile here, the context (a tar, gzip allowed) PUT to the returned URL."""

    size_bytes: Size = Field(description="Exact bytes of the context tarball you will PUT")
    dockerfile: str = Field(
        min_length=1,
        max_length=MAX_DOCKERFILE_CHARS,
        pattern=DOCKERFILE_PATTERN,
        description="FROM scratch or cs.local/<name>:<tag> of your organization (upload a base image with "
        "docker save first); built without network and nothing is pulled",
    )

    def to_domain(self) -> ImageRequest:
        return ImageRequest(self.name, self.tag, self.size_bytes, self.dockerfile)


ImageStatusOut = Literal["awaiting_upload", "loading", "building", "ready", "error"]


class ImageOut(Out):
    id: str
    organization_id: str
    name: str
    tag: str
    reference: str = Field(description="What a container's image says to run it: cs.local/<name>:<tag>")
    source: Literal["upload", "build"]
    status: ImageStatusOut
    status_reason: str | None = Field(description="Why it is in error, for people")
    size_bytes: int = Field(description="Size on a host (0 until ready); counts against the quota")
    digest: str | None = Field(description="The image id (sha256:...) once ready")
    repo_tags: list[str] = Field(description="The names an uploaded tarball was saved with")
    created_by: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, i: Image) -> ImageOut:
        return cls(
            id=i.id,
            organization_id=i.organization_id,
            name=i.name,
            tag=i.tag,
            reference=i.reference,
            source=i.source,
            status=i.status,
            status_reason=i.status_reason,
            size_bytes=i.size_bytes,
            digest=i.digest,
            repo_tags=list(i.repo_tags),
            created_by=i.created_by,
            created_at=i.created_at,
            updated_at=i.updated_at,
            finished_at=i.finished_at,
        )


class UploadOut(Out):
    url: str = Field(description="Presigned URL: PUT the file's bytes here with `headers`")
    method: Literal["PUT"]
    headers: dict[str, str]
    expires_at: datetime

    @classmethod
    def of(cls, u: Upload) -> UploadOut:
        return cls(url=u.url, method="PUT", headers=dict(u.headers), expires_at=u.expires_at)


class ImageUploadOut(Out):
    image: ImageOut
    upload: UploadOut


class ImageListOut(Out):
    images: list[ImageOut]
    next_cursor: NextCursor


class ImageUsageOut(Out):
    used_bytes: int
    limit_bytes: int

    @classmethod
    def of(cls, u: Usage) -> ImageUsageOut:
        return cls(used_bytes=u.used_bytes, limit_bytes=u.limit_bytes)


class BuildStatusOut(Out):
    id: str
    status: ImageStatusOut
    status_reason: str | None
    reference: str
    log_tail: list[str] = Field(description="The last lines of the build log (updated every few seconds)")
    finished_at: datetime | None

    @classmethod
    def of(cls, i: Image) -> BuildStatusOut:
        return cls(
            id=i.id,
            status=i.status,
            status_reason=i.status_reason,
            reference=i.reference,
            log_tail=list(i.log_tail),
            finished_at=i.finished_at,
        )


Server = Annotated[
    str,
    Field(
        min_length=3,
        max_length=253,
        pattern=r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::[0-9]{1,5})?$",
        examples=["ghcr.io"],
        description="Registry host name (docker.io for Docker Hub)",
    ),
]


class RegistryIn(Strict):
    server: Server
    username: str = Field(min_length=1, max_length=256)
    password: str = Field(min_length=1, max_length=4096, description="Stored encrypted; never returned")


class RegistryOut(Out):
    id: str
    server: str
    username: str
    created_at: datetime

    @classmethod
    def of(cls, r: RegistryCredential) -> RegistryOut:
        return cls(id=r.id, server=r.server, username=r.username, created_at=r.created_at)


class RegistryListOut(Out):
    registries: list[RegistryOut]
