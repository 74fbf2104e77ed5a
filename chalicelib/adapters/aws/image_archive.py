"""S3ImageArchive: uploads (presigned PUTs), build contexts and build logs of the image registry in S3."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from chalicelib.adapters.aws.clients import is_transient
from chalicelib.domain.images.entities import Upload
from chalicelib.domain.shared.errors import NotFound, ServiceUnavailable


@lru_cache(maxsize=4)
def _s3(region: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(  # type: ignore[call-overload]
        "s3", region_name=region, config=Config(signature_version="s3v4")
    )


class S3ImageArchive:
    """Implements the ImageArchive port on one bucket. Raises ServiceUnavailable when S3 does not answer."""

    def __init__(self, bucket: str, region: str) -> None:
        self._bucket = bucket
        self._region = region

    def upload_url(self, key: str, size_bytes: int, expires_seconds: int) -> Upload:
        url = _s3(self._region).generate_presigned_url(
            "put_object",
            Params={"Bucket": self._bucket, "Key": key, "ContentType": "application/x-tar"},
            ExpiresIn=expires_seconds,
        )
        return Upload(
            url=str(url),
            method="PUT",
            headers={"Content-Type": "application/x-tar"},
            expires_at=datetime.now(UTC) + timedelta(seconds=expires_seconds),
        )

    def size_of(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = _s3(self._region).head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise self._translated(exc) from exc
        except Exception as exc:
            raise self._translated(exc) from exc
        return int(head["ContentLength"])

    def download(self, key: str, path: str) -> None:
        from botocore.exceptions import ClientError

        try:
            _s3(self._region).download_file(self._bucket, key, path)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise NotFound("The uploaded file is gone; upload it again.") from exc
            raise self._translated(exc) from exc

    def put_text(self, key: str, text: str) -> None:
        try:
            _s3(self._region).put_object(
                Bucket=self._bucket, Key=key, Body=text.encode(), ContentType="text/plain; charset=utf-8"
            )
        except Exception as exc:
            raise self._translated(exc) from exc

    def delete(self, key: str) -> None:
        try:
            _s3(self._region).delete_object(Bucket=self._bucket, Key=key)
        except Exception as exc:
            raise self._translated(exc) from exc

    @staticmethod
    def _translated(exc: Exception) -> Exception:
        if is_transient(exc):
            return ServiceUnavailable("The object store did not answer; try again.")
        return exc
