"""Archives as bytes: their checksum, and what they hold (to prove a restore brought every byte back)."""

from __future__ import annotations

import hashlib
import tarfile
from typing import BinaryIO

from chalicelib.domain.backups.entities import ArchiveFacts

CHUNK = 1024 * 1024
ROOT = "backup"  # the archive's top directory: one directory per volume below it

Manifest = dict[str, tuple[str, int, str]]  # path -> (kind, size, sha256 of content or link target)


def facts_of(source: BinaryIO) -> ArchiveFacts:
    """Size and SHA-256 of everything in `source` (read from the start; left at its end)."""
    source.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return ArchiveFacts(size_bytes=size, sha256=digest.hexdigest())


def manifest(source: BinaryIO) -> Manifest:
    """Every entry below the archive's root: its kind, size and content hash (files) or target (links).

    Raises ValueError when `source` is not a readable tar archive.
    """
    source.seek(0)
    found: Manifest = {}
    try:
        with tarfile.open(fileobj=source, mode="r|") as tar:
            for member in tar:
                name = member.name.strip("/")
                if name == ROOT or not name.startswith(f"{ROOT}/"):
                    continue
                path = name[len(ROOT) + 1 :]
                if member.isfile():
                    extracted = tar.extractfile(member)
                    digest = hashlib.sha256()
                    if extracted is not None:
                        while chunk := extracted.read(CHUNK):
                            digest.update(chunk)
                    found[path] = ("file", member.size, digest.hexdigest())
                elif member.isdir():
                    found[path] = ("dir", 0, "")
                elif member.issym() or member.islnk():
                    found[path] = ("link", 0, member.linkname)
                else:
                    found[path] = ("other", 0, "")
    except (tarfile.TarError, EOFError) as exc:
        raise ValueError(f"not a readable archive: {exc}") from exc
    return found


def file_count(found: Manifest) -> int:
    return sum(1 for kind, _, _ in found.values() if kind == "file")
