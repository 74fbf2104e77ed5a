"""The admin area's users over HTTP against moto: search a page at a time, suspend (sign-in and tokens stop),
unsuspend, change the platform role; each change in the audit trail with who, from where, before and after."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.api import PASSWORD, Api, User


def users(admin: User, query: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(20):
        reply = admin.call("GET", f"/api/admin/users?limit=2{query}{cursor}")
        assert reply.status == 200, reply.body
        found += reply.body["users"]
        if not reply.body["next_cursor"]:
            return found
        cursor = f"&cursor={reply.body['next_cursor']}"
    raise AssertionError("the list did not end")


def admin_trail(admin: User, action: str) -> list[dict[str, Any]]:
    reply = admin.call("GET", f"/api/admin/audit?limit=100&action={action}")
    assert reply.status == 200, reply.body
    return list(reply.body["entries"])


def login(api: Api, email: str) -> Any:
    return api.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD})


def test_admins_find_users_by_email_or_name_prefix_a_page_at_a_time(api: Api) -> None:
    # Given three people whose addresses share a prefix, and one whose name starts differently
    tag = uuid.uuid4().hex[:6]
    made = []
    for name in ("Zoe", "Zack", "Yann"):
        email = f"{tag}-{name.lower()}@example.com"
        reply = api.call("POST", "/api/auth/register", {"email": email, "password": PASSWORD, "name": name})
        assert reply.status == 201
        made.append(reply.body)
    admin = api.admin()
    # When an admin searches by the address prefix (any case), two per page
    found = users(admin, f"&q={tag.upper()}")
    # Then all three come, in address order, with their role and status, and never a password hash
    assert [u["email"] for u in found] == sorted(u["email"] for u in made)
    assert all(u["status"] == "active" and u["role"] == "user" for u in found)
    assert all("password" not in key for u in found for key in u)
    # And by name: "za" finds Zack only, "Z" finds both Z's
    assert [u["name"] for u in users(admin, "&by=name&q=za")] == ["Zack"]
    assert {"Zack", "Zoe"} <= {u["name"] for u in users(admin, "&by=name&q=Z")}
    # And a renamed user is found by the new name
    zoe = login(api, made[0]["email"]).body["token"]
    renamed = f"Quinn {tag}"
    assert api.call("PUT", "/api/users/profile", {"name": renamed}, token=zoe).status == 200
    assert [u["id"] for u in users(admin, f"&by=name&q=quinn {tag}")] == [made[0]["id"]]


def test_a_suspended_user_cannot_sign_in_and_their_tokens_stop_working(api: Api) -> None:
    # Given Ann, signed in
    ann, admin = api.user("Ann"), api.admin()
    assert ann.call("GET", "/api/users/profile").status == 200
    # When an administrator suspends her
    reply = admin.call("POST", f"/api/admin/users/{ann.id}/suspend", {"reason": "chargeback fraud"})
    assert reply.status == 200 and reply.body["status"] == "suspended"
    # Then her token is refused at once, and so is her right password
    refused = ann.call("GET", "/api/containers")
    assert refused.status == 401 and "suspended" in refused.body["error"]["message"]
    again = login(api, ann.email)
    assert again.status == 401 and "suspended" in again.body["error"]["message"]
    # And the trail says who suspended her, why, from where, with the status before and after
    [entry] = admin_trail(admin, "user.suspended")
    assert (entry["actor_id"], entry["actor_email"], entry["target_id"]) == (admin.id, admin.email, ann.id)
    assert entry["before"] == {"email": ann.email, "status": "active"}
    assert entry["after"] == {"status": "suspended", "reason": "chargeback fraud"}
    assert entry["ip"] == "127.0.0.1" and entry["organization_id"] == ann.org_id
    assert [e["action"] for e in admin_trail(admin, "auth.login_refused")] == ["auth.login_refused"]
    # When the suspension is lifted, she signs in again, but the token from before stays void
    lifted = admin.call("POST", f"/api/admin/users/{ann.id}/unsuspend")
    assert lifted.status == 200 and lifted.body["status"] == "active"
    assert login(api, ann.email).status == 200
    assert ann.call("GET", "/api/containers").status == 401
    [unsuspended] = admin_trail(admin, "user.unsuspended")
    assert (unsuspended["before"]["status"], unsuspended["after"]["status"]) == ("suspended", "active")


def test_a_role_change_applies_from_the_next_sign_in(api: Api) -> None:
    # Given Ann, an ordinary user, signed in
    ann, admin = api.user("Ann"), api.admin()
    assert ann.call("GET", "/api/admin/users").status == 403
    # When an administrator makes her an administrator
    reply = admin.call("PUT", f"/api/admin/users/{ann.id}/role", {"role": "admin"})
    assert reply.status == 200 and reply.body["role"] == "admin"
    # Then the token she holds (it carries the old role) stops working, and her next sign-in is an admin's
    assert ann.call("GET", "/api/users/profile").status == 401
    fresh = login(api, ann.email)
    assert fresh.status == 200 and fresh.body["user"]["role"] == "admin"
    assert api.call("GET", "/api/admin/users", token=fresh.body["token"]).status == 200
    [entry] = admin_trail(admin, "user.role_changed")
    assert (entry["before"]["role"], entry["after"]["role"], entry["actor_id"]) == ("user", "admin", admin.id)


def test_an_administrator_cannot_lock_themselves_out(api: Api) -> None:
    admin = api.admin()
    suspend = admin.call("POST", f"/api/admin/users/{admin.id}/suspend", {"reason": "oops"})
    demote = admin.call("PUT", f"/api/admin/users/{admin.id}/role", {"role": "user"})
    assert (suspend.status, demote.status) == (409, 409)
    assert admin.call("GET", "/api/admin/users").status == 200


def test_unknown_users_are_404_and_bad_cursors_400(api: Api) -> None:
    admin = api.admin()
    assert admin.call("POST", f"/api/admin/users/{uuid.uuid4()}/unsuspend").status == 404
    assert admin.call("PUT", f"/api/admin/users/{'x' * 300}/role", {"role": "user"}).status == 404
    assert admin.call("GET", "/api/admin/users?cursor=abc").status == 400
    assert admin.call("GET", "/api/admin/organizations?cursor=abc").status == 400
