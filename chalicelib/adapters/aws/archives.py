"""S3ArchiveStore: backup archives in the backup bucket, encrypted with the deployment's KMS key."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from chalicelib.adapters.aws.clients import client, is_transient
from chalicelib.domain.backups.entities import ArchiveFacts
from chalicelib.domain.shared.errors import NotFound, ServiceUnavailable

CHUNK = 1024 * 1024
_UNAVAILABLE = "Object storage did not answer; try again shortly."


class S3ArchiveStore:
    """Implements the ArchiveStore port (SSE-KMS on every object, the SHA-256 in its metadata)."""

    def __init__(self, bucket: str, region: str, kms_key_id: str | None) -> None:
        self._bucket = bucket
        self._region = region
        self._kms_key_id = kms_key_id

    def put(self, key: str, source: BinaryIO, facts: ArchiveFacts) -> str | None:
        s3 = client("s3", self._region)
        source.seek(0)
        extra = {"SSEKMSKeyId": self._kms_key_id} if self._kms_key_id else {}
        try:
            response = s3.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=source.read(),
                ContentLength=facts.size_bytes,
                ContentType="application/x-tar",
                ServerSideEncryption="aws:kms",
                Metadata={"sha256": facts.sha256, "size": str(facts.size_bytes)},
                **extra,
            )
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable(_UNAVAILABLE) from exc
            raise
        return str(response.get("ServerSideEncryption") or "aws:kms")

    def fetch(self, key: str, into: BinaryIO) -> ArchiveFacts:
        s3 = client("s3", self._region)
        try:
            response = s3.get_object(Bucket=self._bucket, Key=key)
        except s3.exceptions.NoSuchKey as exc:
            raise NotFound("The backup's archive is not in storage.") from exc
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable(_UNAVAILABLE) from exc
            raise
        into.seek(0)
        into.truncate()
        digest = hashlib.sha256()
        size = 0
        body = response["Body"]
        try:
            while chunk := body.read(CHUNK):
                digest.update(chunk)
                into.write(chunk)
                size += len(chunk)
        finally:
            body.close()
        into.seek(0)
        return ArchiveFacts(size, digest.hexdigest(), response.get("ServerSideEncryption"))

    def delete(self, key: str) -> None:
        s3 = client("s3", self._region)
        try:
            s3.delete_object(Bucket=self._bucket, Key=key)
        except Exception as exc:
            if is_transient(exc):
                raise ServiceUnavailable(_UNAVAILABLE) from exc
            raise
