"""Image registry routes: the organization's images, uploads and builds through presigned S3 uploads, build
status with the log tail, and the registry logins hosts pull with."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.http import Call, endpoint
from chalicelib.api.images.schemas import (
    BuildStatusOut,
    ImageBuildIn,
    ImageListOut,
    ImageOut,
    ImageUploadIn,
    ImageUploadOut,
    ImageUsageOut,
    RegistryIn,
    RegistryListOut,
    RegistryOut,
    UploadOut,
)
from chalicelib.api.wire import PageQuery
from chalicelib.wiring.images import get_images

bp = Blueprint(__name__)
TAG = "images"


@endpoint(
    bp,
    "/api/images",
    "GET",
    summary="The organization's images, newest first",
    tag=TAG,
    query=PageQuery,
    response=ImageListOut,
)
def list_images(call: Call) -> ImageListOut:
    q: PageQuery = call.query
    page = get_images().page(call.principal, q.limit, q.cursor)
    return ImageListOut(images=[ImageOut.of(i) for i in page.items], next_cursor=page.next_cursor)


@endpoint(
    bp,
    "/api/images/usage",
    "GET",
    summary="Bytes the organization's images use, and its limit",
    tag=TAG,
    response=ImageUsageOut,
)
def image_usage(call: Call) -> ImageUsageOut:
    return ImageUsageOut.of(get_images().usage(call.principal))


@endpoint(
    bp,
    "/api/images/upload",
    "POST",
    summary="Announce a docker save tarball: answers a presigned URL to PUT it to; then POST "
    "/api/images/{image_id}/complete loads it onto the hosts (409 quota_exceeded when it does not fit)",
    tag=TAG,
    status=201,
    request=ImageUploadIn,
    response=ImageUploadOut,
    errors=(409, 503),
    idempotent=True,
)
def upload_image(call: Call) -> ImageUploadOut:
    body: ImageUploadIn = call.body
    image, upload = get_images().request_upload(call.principal, body.to_domain())
    return ImageUploadOut(image=ImageOut.of(image), upload=UploadOut.of(upload))


@endpoint(
    bp,
    "/api/images/build",
    "POST",
    summary="Announce a build: answers a presigned URL to PUT the context tarball to; then POST "
    "/api/images/{image_id}/complete builds it on a host (follow GET /api/images/build/{build_id}/status)",
    tag=TAG,
    status=201,
    request=ImageBuildIn,
    response=ImageUploadOut,
    errors=(409, 503),
    idempotent=True,
)
def build_image(call: Call) -> ImageUploadOut:
    body: ImageBuildIn = call.body
    image, upload = get_images().request_build(call.principal, body.to_domain())
    return ImageUploadOut(image=ImageOut.of(image), upload=UploadOut.of(upload))


@endpoint(
    bp,
    "/api/images/build/{build_id}/status",
    "GET",
    summary="A build's state and the last lines of its log",
    tag=TAG,
    response=BuildStatusOut,
    errors=(404,),
)
def build_status(call: Call, build_id: str) -> BuildStatusOut:
    return BuildStatusOut.of(get_images().get(call.principal, build_id))


@endpoint(
    bp,
    "/api/images/registries",
    "GET",
    summary="Registry logins the hosts pull the organization's images with (passwords never shown)",
    tag=TAG,
    response=RegistryListOut,
)
def list_registries(call: Call) -> RegistryListOut:
    return RegistryListOut(registries=[RegistryOut.of(r) for r in get_images().registries(call.principal)])


@endpoint(
    bp,
    "/api/images/registries",
    "POST",
    summary="Save (or replace) the login for a registry host; the password is stored encrypted",
    tag=TAG,
    status=201,
    request=RegistryIn,
    response=RegistryOut,
    errors=(503,),
)
def add_registry(call: Call) -> RegistryOut:
    body: RegistryIn = call.body
    return RegistryOut.of(
        get_images().add_registry(call.principal, body.server, body.username, body.password)
    )


@endpoint(
    bp,
    "/api/images/registries/{registry_id}",
    "DELETE",
    summary="Forget a registry login",
    tag=TAG,
    status=204,
    errors=(404,),
)
def remove_registry(call: Call, registry_id: str) -> None:
    get_images().remove_registry(call.principal, registry_id)


@endpoint(bp, "/api/images/{image_id}", "GET", summary="One image", tag=TAG, response=ImageOut, errors=(404,))
def get_image(call: Call, image_id: str) -> ImageOut:
    return ImageOut.of(get_images().get(call.principal, image_id))


@endpoint(
    bp,
    "/api/images/{image_id}/complete",
    "POST",
    summary="The upload is done: load the tarball onto the hosts (or build) in the background; poll it",
    tag=TAG,
    status=202,
    response=ImageOut,
    errors=(404, 409, 503),
)
def complete_image(call: Call, image_id: str) -> ImageOut:
    return ImageOut.of(get_images().complete(call.principal, image_id))


@endpoint(
    bp,
    "/api/images/{image_id}",
    "DELETE",
    summary="Remove the image from the hosts and forget it (409 while a container uses it)",
    tag=TAG,
    status=204,
    errors=(404, 409, 503),
)
def delete_image(call: Call, image_id: str) -> None:
    get_images().delete(call.principal, image_id)
