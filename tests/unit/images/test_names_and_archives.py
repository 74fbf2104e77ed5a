"""Image names per organization, the Dockerfiles a build accepts, and the tarballs a load or build uses."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from chalicelib.domain.images.entities import (
    build_dockerfile,
    check_dockerfile,
    engine_reference,
    registry_of,
)
from chalicelib.domain.images.tarballs import BUILD_DOCKERFILE, BadArchive, untagged_copy, with_dockerfile
from chalicelib.domain.shared.errors import PermissionDenied, ValidationFailed


def test_own_images_map_into_the_organizations_lowercase_namespace() -> None:
    assert engine_reference("01ABC", "cs.local/web:1") == "cs-img-01abc/web:1"
    assert engine_reference("01ABC", "nginx:1.27") == "nginx:1.27"


def test_registries_are_read_from_the_reference() -> None:
    assert registry_of("nginx:1") == "docker.io"
    assert registry_of("library/nginx:1") == "docker.io"
    assert registry_of("ghcr.io/acme/api:2") == "ghcr.io"
    assert registry_of("localhost:5000/x") == "localhost:5000"


@pytest.mark.parametrize(
    "dockerfile",
    [
        "FROM scratch\nCOPY busybox /bin/busybox\n",
        "FROM cs.local/base:1 AS base\nFROM scratch\nCOPY --from=base /x /x\n",
        "from --platform=linux/amd64 cs.local/alpine:3\n",
    ],
)
def test_builds_start_from_scratch_or_own_images(dockerfile: str) -> None:
    check_dockerfile(dockerfile)


@pytest.mark.parametrize(
    "dockerfile",
    [
        "FROM cs-img-01other/web:1\n",
        "FROM ghcr.io/someone/private:1\n",
        "FROM alpine:3\n",
        "FROM scratch\nCOPY --from=cs-img-01other/web:1 /x /x\n",
        "ARG BASE=cs-img-01other/web:1\nFROM ${BASE}\n",
        "RUN echo no base\n",
        "",
    ],
)
def test_builds_never_start_from_another_organizations_images(dockerfile: str) -> None:
    with pytest.raises((ValidationFailed, PermissionDenied)):
        check_dockerfile(dockerfile)


def test_the_built_dockerfile_names_own_bases_by_the_hosts_names() -> None:
    built = build_dockerfile(
        "01ABC", "FROM cs.local/base:1 AS b\nFROM scratch\nCOPY --from=cs.local/x:2 /a /a\n"
    )
    assert built == "FROM cs-img-01abc/base:1 AS b\nFROM scratch\nCOPY --from=cs-img-01abc/x:2 /a /a\n"


def _tar(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_saved_image_loses_its_names_but_they_are_reported(tmp_path: Path) -> None:
    manifest = [{"Config": "c.json", "RepoTags": ["web:1", "web:latest"], "Layers": ["l/layer.tar"]}]
    source = _tar(
        tmp_path / "in.tar",
        {
            "manifest.json": json.dumps(manifest).encode(),
            "repositories": b"{}",
            "c.json": b"{}",
            "l/layer.tar": b"x",
        },
    )
    tags = untagged_copy(str(source), str(tmp_path / "out.tar"))
    assert tags == ("web:1", "web:latest")
    with tarfile.open(tmp_path / "out.tar") as out:
        assert sorted(out.getnames()) == ["c.json", "l/layer.tar", "manifest.json"]
        written = out.extractfile("manifest.json")
        assert written is not None and json.loads(written.read())[0]["RepoTags"] is None


def test_a_tarball_of_two_images_is_refused(tmp_path: Path) -> None:
    manifest = [{"Config": "a.json", "RepoTags": None}, {"Config": "b.json", "RepoTags": None}]
    source = _tar(tmp_path / "in.tar", {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BadArchive, match="exactly one image"):
        untagged_copy(str(source), str(tmp_path / "out.tar"))


def test_a_file_that_is_not_a_tar_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.tar"
    source.write_bytes(b"not a tarball at all" * 100)
    with pytest.raises(BadArchive):
        untagged_copy(str(source), str(tmp_path / "out.tar"))


def test_a_build_context_gets_the_dockerfile(tmp_path: Path) -> None:
    source = _tar(tmp_path / "ctx.tar", {"busybox": b"binary"})
    with_dockerfile(str(source), str(tmp_path / "out.tar"), "FROM scratch\n")
    with tarfile.open(tmp_path / "out.tar") as out:
        assert sorted(out.getnames()) == sorted(["busybox", BUILD_DOCKERFILE])
