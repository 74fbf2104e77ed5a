"""ImageRepository (ORG#<org> / IMAGE#<id>, IMAGENAME#<name>:<tag>, IMAGEUSAGE) and RegistryRepository
(ORG#<org> / REGISTRY#<server>). Each public method is one DynamoDB call."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from pynamodb.exceptions import DeleteError, DoesNotExist
from pynamodb.expressions.operand import Path

from chalicelib.domain.images.entities import (
    Image,
    ImageQuotaExceeded,
    ImageSource,
    ImageStatus,
    RegistryCredential,
)
from chalicelib.domain.shared.clock import utcnow
from chalicelib.domain.shared.errors import Conflict, NotFound
from chalicelib.domain.shared.paging import Page
from chalicelib.store import keys
from chalicelib.store.cursor import decode_cursor, encode_cursor
from chalicelib.store.images import keys as ikeys
from chalicelib.store.images import meter
from chalicelib.store.images.models import ImageItem, ImageNameItem, ImageUsageItem, RegistryItem
from chalicelib.store.table import (
    Item,
    Transaction,
    TransactionCancelled,
    is_condition_failure,
    store_call,
    transaction,
)

CHANGED = "The image changed meanwhile; reload and try again."


def _image(item: ImageItem) -> Image:
    return Image(
        id=item.id,
        organization_id=item.organization_id,
        name=item.name,
        tag=item.tag,
        source=cast(ImageSource, item.source),
        status=cast(ImageStatus, item.status),
        status_reason=item.status_reason,
        declared_bytes=int(item.declared_bytes),
        size_bytes=int(item.size_bytes or 0),
        held_bytes=int(item.held_bytes or 0),
        digest=item.digest,
        repo_tags=tuple(str(t) for t in item.repo_tags or ()),
        host_ids=tuple(str(t) for t in item.host_ids or ()),
        dockerfile=item.dockerfile,
        log_tail=tuple(str(t) for t in item.log_tail or ()),
        version=int(item.version),
        created_by=item.created_by,
        created_at=item.created_at,
        updated_at=item.updated_at,
        finished_at=item.finished_at,
    )


def _item(i: Image) -> ImageItem:
    return ImageItem(
        keys.org_pk(i.organization_id),
        ikeys.image_sk(i.id),
        id=i.id,
        organization_id=i.organization_id,
        name=i.name,
        tag=i.tag,
        source=i.source,
        status=i.status,
        status_reason=i.status_reason,
        declared_bytes=i.declared_bytes,
        size_bytes=i.size_bytes,
        held_bytes=i.held_bytes,
        digest=i.digest,
        repo_tags=list(i.repo_tags),
        host_ids=list(i.host_ids),
        dockerfile=i.dockerfile,
        log_tail=list(i.log_tail),
        created_by=i.created_by,
        finished_at=i.finished_at,
        version=i.version,
        created_at=i.created_at,
        updated_at=i.updated_at,
    )


def _name(i: Image) -> ImageNameItem:
    return ImageNameItem(
        keys.org_pk(i.organization_id),
        ikeys.image_name_sk(i.name, i.tag),
        image_id=i.id,
        created_at=i.created_at,
        updated_at=i.updated_at,
    )


def _usage_ref(org_id: str) -> ImageUsageItem:
    return ImageUsageItem(keys.org_pk(org_id), ikeys.IMAGE_USAGE_SK)


def _move_usage(tx: Transaction, org_id: str, delta: int, now: datetime, limit: int | None) -> None:
    """Add `delta` bytes to the organization's usage (creating it); growing only while it stays <= limit."""
    condition = None
    if delta > 0 and limit is not None:
        condition = ImageUsageItem.used_bytes.does_not_exist() | (ImageUsageItem.used_bytes <= limit - delta)
    tx.update(
        "usage",
        _usage_ref(org_id),
        actions=[
            ImageUsageItem.used_bytes.add(delta),
            Path("type").set("image_usage"),
            ImageUsageItem.created_at.set(ImageUsageItem.created_at | now),
            ImageUsageItem.updated_at.set(now),
        ],
        condition=condition,
    )


class ImageRepository:
    """Image records, their name guards and the organization's image usage."""

    @store_call
    def add(self, image: Image) -> None:
        try:
            with transaction() as tx:
                tx.save("name", _name(image), condition=Item.pk.does_not_exist())
                tx.save("record", _item(image), condition=Item.pk.does_not_exist())
        except TransactionCancelled as exc:
            if "name" in exc.failed:
                raise Conflict(
                    f"Your organization already has an image {image.name}:{image.tag}; delete it or choose "
                    "another name or tag.",
                    details={"field": "name"},
                ) from exc
            raise

    @store_call
    def get(self, org_id: str, image_id: str, *, consistent: bool = False) -> Image:
        try:
            item = ImageItem.get(keys.org_pk(org_id), ikeys.image_sk(image_id), consistent_read=consistent)
        except (DoesNotExist, ValueError) as exc:
            raise NotFound(f"Image {image_id} was not found.") from exc
        if not isinstance(item, ImageItem):
            raise NotFound(f"Image {image_id} was not found.")
        return _image(item)

    @store_call
    def page(self, org_id: str, limit: int, cursor: str | None) -> Page[Image]:
        """One Query, newest first (ids are ULIDs)."""
        partition = keys.org_pk(org_id)
        result = ImageItem.query(
            partition,
            ImageItem.sk.startswith(ikeys.IMAGE_PREFIX),
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        items = [_image(item) for item in result if isinstance(item, ImageItem)]
        return Page(items=items, next_cursor=encode_cursor(result.last_evaluated_key))

    @store_call
    def update(self, old: Image, new: Image, *, limit_bytes: int | None = None) -> None:
        delta = new.held_bytes - old.held_bytes
        try:
            with transaction() as tx:
                tx.save("record", _item(new), condition=Item.pk.exists() & (ImageItem.version == old.version))
                if delta:
                    _move_usage(tx, new.organization_id, delta, new.updated_at, limit_bytes)
                if not old.held_bytes and new.held_bytes:
                    meter.start(tx, new, new.updated_at)  # billed as storage from now on
                elif old.held_bytes and not new.held_bytes:
                    meter.end(tx, old, new.updated_at)
        except TransactionCancelled as exc:
            if "record" in exc.failed:
                raise Conflict(CHANGED) from exc
            if "usage" in exc.failed:
                raise ImageQuotaExceeded(
                    "The organization's images would take more than its limit.",
                    details={"field": "size_bytes"},
                ) from exc
            raise

    @store_call
    def delete(self, image: Image) -> None:
        try:
            with transaction() as tx:
                tx.delete(
                    "record",
                    ImageItem(keys.org_pk(image.organization_id), ikeys.image_sk(image.id)),
                    condition=ImageItem.version == image.version,
                )
                tx.delete("name", _name(image))
                if image.held_bytes:
                    now = utcnow()
                    _move_usage(tx, image.organization_id, -image.held_bytes, now, None)
                    meter.end(tx, image, now)
        except TransactionCancelled as exc:
            if "record" in exc.failed:
                raise Conflict(CHANGED) from exc
            raise

    @store_call
    def usage(self, org_id: str) -> int:
        try:
            item = ImageUsageItem.get(keys.org_pk(org_id), ikeys.IMAGE_USAGE_SK, consistent_read=True)
        except DoesNotExist:
            return 0
        return int(getattr(item, "used_bytes", 0) or 0)


def _credential(item: RegistryItem) -> RegistryCredential:
    return RegistryCredential(item.id, item.organization_id, item.server, item.username, item.created_at)


class RegistryRepository:
    """Registry logins of an organization, one per registry host."""

    @store_call
    def add(self, credential: RegistryCredential, password_encrypted: str) -> None:
        RegistryItem(
            keys.org_pk(credential.organization_id),
            ikeys.registry_sk(credential.server),
            id=credential.id,
            organization_id=credential.organization_id,
            server=credential.server,
            username=credential.username,
            password_encrypted=password_encrypted,
            created_at=credential.created_at,
            updated_at=credential.created_at,
        ).save()

    @store_call
    def list(self, org_id: str) -> list[RegistryCredential]:
        return [
            _credential(item)
            for item in RegistryItem.query(
                keys.org_pk(org_id), RegistryItem.sk.startswith(ikeys.REGISTRY_PREFIX)
            )
            if isinstance(item, RegistryItem)
        ]

    @store_call
    def remove(self, org_id: str, credential_id: str) -> None:
        for credential in self.list(org_id):
            if credential.id == credential_id:
                try:
                    RegistryItem(keys.org_pk(org_id), ikeys.registry_sk(credential.server)).delete(
                        condition=RegistryItem.id == credential_id
                    )
                except DeleteError as exc:
                    if not is_condition_failure(exc):
                        raise
                return
        raise NotFound(f"Registry login {credential_id} was not found.")

    @store_call
    def for_server(self, org_id: str, server: str) -> tuple[RegistryCredential, str] | None:
        try:
            item = RegistryItem.get(keys.org_pk(org_id), ikeys.registry_sk(server))
        except DoesNotExist:
            return None
        if not isinstance(item, RegistryItem):
            return None
        return _credential(item), item.password_encrypted
