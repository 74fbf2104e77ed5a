"""Seed routes for accounts: register, login, logout, profile; organizations."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.accounts.schemas import (
    LoginIn,
    LoginOut,
    MembershipOut,
    OrganizationListOut,
    OrganizationOut,
    ProfileUpdateIn,
    ProfileUpdateOut,
    RegisterIn,
    UserOut,
)
from chalicelib.api.http import Call, endpoint
from chalicelib.api.wire import SuccessOut
from chalicelib.wiring.accounts import get_accounts

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/api/auth/register",
    "POST",
    summary="Create an account, its organization and wallet",
    tag="auth",
    auth="none",
    status=201,
    request=RegisterIn,
    response=UserOut,
    errors=(409,),
)
def register(call: Call) -> UserOut:
    body: RegisterIn = call.body
    return UserOut.of(get_accounts().register(body.email, body.password, body.name))


@endpoint(
    bp,
    "/api/auth/login",
    "POST",
    summary="Exchange email and password for an access token",
    tag="auth",
    auth="none",
    request=LoginIn,
    response=LoginOut,
    errors=(401, 429),
)
def login(call: Call) -> LoginOut:
    body: LoginIn = call.body
    return LoginOut.of(get_accounts().login(body.email, body.password, client_address=call.client_address))


@endpoint(
    bp,
    "/api/auth/logout",
    "POST",
    summary="Revoke the access token used for this call",
    tag="auth",
    auth="user",
    response=SuccessOut,
)
def logout(call: Call) -> SuccessOut:
    get_accounts().logout(call.principal)
    return SuccessOut()


@endpoint(
    bp,
    "/api/users/profile",
    "GET",
    summary="The caller's profile",
    tag="users",
    auth="user",
    response=UserOut,
    errors=(404,),
)
def get_profile(call: Call) -> UserOut:
    return UserOut.of(get_accounts().profile(call.principal))


@endpoint(
    bp,
    "/api/users/profile",
    "PUT",
    summary="Change name and/or password (needs the current one); a new password ends every older token",
    tag="users",
    auth="user",
    request=ProfileUpdateIn,
    response=ProfileUpdateOut,
    errors=(403, 404, 429),
)
def update_profile(call: Call) -> ProfileUpdateOut:
    body: ProfileUpdateIn = call.body
    update = get_accounts().update_profile(
        call.principal,
        name=body.name,
        current_password=body.current_password,
        new_password=body.new_password,
        client_address=call.client_address,
    )
    return ProfileUpdateOut.of_update(update)


@endpoint(
    bp,
    "/api/organizations",
    "GET",
    summary="Organizations the caller belongs to",
    tag="organizations",
    auth="user",
    response=OrganizationListOut,
)
def list_organizations(call: Call) -> OrganizationListOut:
    memberships = get_accounts().organizations(call.principal)
    return OrganizationListOut(organizations=[MembershipOut.of(m) for m in memberships])


@endpoint(
    bp,
    "/api/organizations/{org_id}",
    "GET",
    summary="One organization the caller belongs to",
    tag="organizations",
    auth="user",
    response=OrganizationOut,
    errors=(404,),
)
def get_organization(call: Call, org_id: str) -> OrganizationOut:
    org, membership = get_accounts().organization(call.principal, org_id)
    return OrganizationOut.of(org, membership)
