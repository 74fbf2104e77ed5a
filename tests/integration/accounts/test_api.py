"""Accounts over HTTP against moto: register, login, tokens, profile, organizations."""

from __future__ import annotations

import os
import time

import jwt

from tests.support.api import PASSWORD, Api


def test_register_login_and_profile(api: Api) -> None:
    reply = api.call(
        "POST", "/api/auth/register", {"email": "Ann@Example.com", "password": PASSWORD, "name": "Ann"}
    )
    assert reply.status == 201
    assert reply.body["email"] == "ann@example.com" and "password_hash" not in reply.body
    login = api.call("POST", "/api/auth/login", {"email": "ann@example.com", "password": PASSWORD})
    assert login.status == 200
    assert login.body["success"] is True and login.body["user"]["name"] == "Ann"
    profile = api.call("GET", "/api/users/profile", token=login.body["token"])
    assert profile.status == 200 and profile.body["id"] == reply.body["id"]


def test_registration_gives_an_owned_organization(api: Api) -> None:
    ann = api.user()
    orgs = ann.call("GET", "/api/organizations")
    assert orgs.status == 200
    assert orgs.body["organizations"] == [{"id": ann.org_id, "name": "Ann's organization", "role": "owner"}]
    org = ann.call("GET", f"/api/organizations/{ann.org_id}")
    assert org.status == 200 and org.body["owner_id"] == ann.id


def test_a_duplicate_email_is_409(api: Api) -> None:
    ann = api.user()
    again = api.call(
        "POST", "/api/auth/register", {"email": ann.email.upper(), "password": PASSWORD, "name": "X"}
    )
    assert again.status == 409
    assert again.body["error"]["code"] == "conflict"


def test_bad_bodies_are_400_naming_the_field(api: Api) -> None:
    short = api.call("POST", "/api/auth/register", {"email": "a@b.co", "password": "short", "name": "A"})
    assert short.status == 400 and short.body["error"]["details"][0]["field"] == "password"
    unknown = api.call(
        "POST", "/api/auth/register", {"email": "a@b.co", "password": PASSWORD, "name": "A", "role": "admin"}
    )
    assert unknown.status == 400 and unknown.body["error"]["details"][0]["field"] == "role"
    broken = api.call("POST", "/api/auth/login", raw=b"{not json")
    assert broken.status == 400 and "JSON" in broken.body["error"]["message"]
    empty = api.call("POST", "/api/auth/login")
    assert empty.status == 400


def test_missing_expired_tampered_alg_none_and_revoked_tokens_are_401(api: Api) -> None:
    ann = api.user()
    now = int(time.time())
    claims = {
        "sub": ann.id,
        "role": "admin",
        "org": ann.org_id,
        "jti": "j1",
        "iss": "containerstacks",
        "aud": "containerstacks-api",
        "iat": now - 7200,
        "exp": now - 3600,
    }
    secret = os.environ["CS_JWT_SECRET"]
    expired = jwt.encode(claims, secret, algorithm="HS256")
    unsigned = jwt.encode({**claims, "exp": now + 3600}, key="", algorithm="none")
    head, body, sig = ann.token.split(".")
    tampered = f"{head}.{body[:-2]}{'AA' if body[-2:] != 'AA' else 'BB'}.{sig}"
    for token in (None, expired, unsigned, tampered, "garbage"):
        reply = api.call("GET", "/api/users/profile", token=token)
        assert reply.status == 401, token
        assert reply.body["error"]["code"] == "unauthorized"
    assert ann.call("POST", "/api/auth/logout").status == 200
    revoked = ann.call("GET", "/api/users/profile")
    assert revoked.status == 401 and "revoked" in revoked.body["error"]["message"]


def test_profile_update_changes_name_and_password(api: Api) -> None:
    ann = api.user()
    wrong = ann.call(
        "PUT", "/api/users/profile", {"current_password": "nope nope nope", "new_password": "x" * 12}
    )
    assert wrong.status == 403
    ok = ann.call(
        "PUT",
        "/api/users/profile",
        {"name": "Ann B", "current_password": PASSWORD, "new_password": "a new long password"},
    )
    assert ok.status == 200 and ok.body["name"] == "Ann B" and ok.body["token"]
    assert (
        api.call("POST", "/api/auth/login", {"email": ann.email, "password": "a new long password"}).status
        == 200
    )


def test_another_organization_is_404_and_acting_in_it_is_403(api: Api) -> None:
    ann, bob = api.user("Ann"), api.user("Bob")
    assert ann.call("GET", f"/api/organizations/{bob.org_id}").status == 404
    forbidden = ann.call("GET", "/api/containers", headers={"X-Organization-Id": bob.org_id})
    assert forbidden.status == 403


def test_unknown_routes_answer_in_the_common_error_shape(api: Api) -> None:
    reply = api.call("GET", "/api/nothing")
    assert reply.status == 404 and reply.body["error"]["code"] == "not_found"
