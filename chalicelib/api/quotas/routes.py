"""Quotas and packages: the organization's limits against its usage (/resources), and the operators'
packages and their assignment to organizations."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.http import Call, endpoint
from chalicelib.api.quotas.schemas import (
    AssignIn,
    AssignOut,
    OrgResourcesOut,
    PackageIn,
    PackageListOut,
    PackageOut,
)
from chalicelib.wiring.billing import billing_policy
from chalicelib.wiring.quotas import get_quotas

bp = Blueprint(__name__)
ADMIN = "admin"


@endpoint(
    bp,
    "/api/resources",
    "GET",
    summary="The organization's package: each limit against what it uses, and the prices it pays",
    tag="resources",
    response=OrgResourcesOut,
)
def get_resources(call: Call) -> OrgResourcesOut:
    return OrgResourcesOut.of(get_quotas().resources(call.principal))


@endpoint(
    bp,
    "/api/admin/packages",
    "GET",
    summary="Every package",
    tag=ADMIN,
    auth="admin",
    response=PackageListOut,
)
def list_packages(call: Call) -> PackageListOut:
    return PackageListOut(packages=[PackageOut.of(p) for p in get_quotas().packages()])


@endpoint(
    bp,
    "/api/admin/packages",
    "POST",
    summary="Define a package: limits (null: unlimited) and optionally its own container prices",
    tag=ADMIN,
    auth="admin",
    status=201,
    request=PackageIn,
    response=PackageOut,
    idempotent=True,
)
def create_package(call: Call) -> PackageOut:
    body: PackageIn = call.body
    return PackageOut.of(
        get_quotas().create_package(
            call.principal,
            body.name,
            body.description,
            body.limits.to_domain(),
            body.pricing_domain(billing_policy().currency),
        )
    )


@endpoint(
    bp,
    "/api/admin/packages/{package_id}",
    "GET",
    summary="One package",
    tag=ADMIN,
    auth="admin",
    response=PackageOut,
    errors=(404,),
)
def get_package(call: Call, package_id: str) -> PackageOut:
    return PackageOut.of(get_quotas().package(package_id))


@endpoint(
    bp,
    "/api/admin/packages/{package_id}",
    "PUT",
    summary="Redefine a package (organizations on it get the new limits and prices at once)",
    tag=ADMIN,
    auth="admin",
    request=PackageIn,
    response=PackageOut,
    errors=(404, 409),
)
def update_package(call: Call, package_id: str) -> PackageOut:
    body: PackageIn = call.body
    return PackageOut.of(
        get_quotas().update_package(
            call.principal,
            package_id,
            body.name,
            body.description,
            body.limits.to_domain(),
            body.pricing_domain(billing_policy().currency),
        )
    )


@endpoint(
    bp,
    "/api/admin/packages/{package_id}",
    "DELETE",
    summary="Delete a package (its organizations are on the default package from then on)",
    tag=ADMIN,
    auth="admin",
    status=204,
    errors=(404, 409),
)
def delete_package(call: Call, package_id: str) -> None:
    get_quotas().delete_package(call.principal, package_id)


@endpoint(
    bp,
    "/api/admin/organizations/{org_id}/package",
    "PUT",
    summary="Put an organization on a package",
    tag=ADMIN,
    auth="admin",
    request=AssignIn,
    response=AssignOut,
    errors=(404, 409),
)
def assign_package(call: Call, org_id: str) -> AssignOut:
    body: AssignIn = call.body
    package = get_quotas().assign(call.principal, org_id, body.package_id)
    return AssignOut(organization_id=org_id, package=PackageOut.of(package))
