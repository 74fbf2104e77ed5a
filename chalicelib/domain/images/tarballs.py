"""Tarballs on local disk (stdlib tarfile): a `docker save` archive stripped of its names, so that loading it
can never re-tag an image another organization loads at the same moment, and a build context with the
platform's Dockerfile added."""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

from chalicelib.domain.shared.errors import ValidationFailed

BUILD_DOCKERFILE = ".cs-build.Dockerfile"
_NAME_ANNOTATIONS = ("io.containerd.image.name", "org.opencontainers.image.ref.name")


class BadArchive(ValidationFailed):
    """The uploaded file is not what it should be (a `docker save` tarball of one image, a tar context)."""

    code = "bad_archive"


def untagged_copy(source: str, target: str) -> tuple[str, ...]:
    """Copy the `docker save` tarball `source` to `target` without its repository names; returns the names
    it had. Raises BadArchive unless it is a tar (gzip allowed) holding exactly one image."""
    try:
        with tarfile.open(source, "r:*") as tar:
            manifest = _json(tar, "manifest.json")
            if not isinstance(manifest, list) or len(manifest) != 1 or not isinstance(manifest[0], dict):
                raise BadArchive(
                    "The tarball must hold exactly one image (docker save <one image> > image.tar)."
                )
            tags = tuple(str(t) for t in manifest[0].get("RepoTags") or [])
            manifest[0]["RepoTags"] = None
            with tarfile.open(target, "w") as out:
                for member in tar:
                    if member.name == "repositories":
                        continue
                    if member.name == "manifest.json":
                        _add_bytes(out, member, json.dumps(manifest).encode())
                    elif member.name == "index.json":
                        _add_bytes(out, member, json.dumps(_unnamed_index(_json(tar, "index.json"))).encode())
                    elif member.isreg():
                        out.addfile(member, tar.extractfile(member))
                    else:
                        out.addfile(member)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, BadArchive):
            raise
        raise BadArchive(f"The upload is not a readable docker save tarball ({exc}).") from exc
    return tags


def with_dockerfile(source: str, target: str, dockerfile: str) -> None:
    """Copy the build context `source` (tar, gzip allowed) to `target` with `dockerfile` added as
    BUILD_DOCKERFILE. Raises BadArchive for anything but a tar."""
    try:
        with tarfile.open(source, "r:*") as tar, tarfile.open(target, "w") as out:
            for member in tar:
                if member.name.lstrip("./") == BUILD_DOCKERFILE:
                    continue
                out.addfile(member, tar.extractfile(member) if member.isreg() else None)
            info = tarfile.TarInfo(BUILD_DOCKERFILE)
            _add_bytes(out, info, dockerfile.encode())
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BadArchive(f"The build context is not a readable tar archive ({exc}).") from exc


def _json(tar: tarfile.TarFile, name: str) -> Any:
    try:
        member = tar.getmember(name)
    except KeyError as exc:
        raise BadArchive(f"The tarball has no {name}: make it with docker save.") from exc
    handle = tar.extractfile(member)
    if handle is None:
        raise BadArchive(f"The tarball's {name} is not a file.")
    try:
        return json.loads(handle.read())
    except ValueError as exc:
        raise BadArchive(f"The tarball's {name} is not JSON.") from exc


def _unnamed_index(index: Any) -> Any:
    if isinstance(index, dict):
        for entry in index.get("manifests") or []:
            annotations = entry.get("annotations") if isinstance(entry, dict) else None
            if isinstance(annotations, dict):
                for key in _NAME_ANNOTATIONS:
                    annotations.pop(key, None)
    return index


def _add_bytes(out: tarfile.TarFile, member: tarfile.TarInfo, data: bytes) -> None:
    info = tarfile.TarInfo(member.name)
    info.mode = member.mode or 0o644
    info.mtime = member.mtime
    info.size = len(data)
    out.addfile(info, io.BytesIO(data))
