"""`make admin`: the first platform admin of a deployment, created with the deployment's own settings."""

from __future__ import annotations

import os
import uuid

import pytest

from infra.operate import create_admin
from tests.support.api import PASSWORD, Api


def test_the_first_admin_can_log_in_and_administer_hosts(api: Api) -> None:
    # Given a deployment's settings (here: the test stack's) and an address nobody uses yet
    settings = {k: v for k, v in os.environ.items() if k.startswith("CS_")}
    email = f"ops-{uuid.uuid4().hex[:8]}@example.com"
    # When the operator creates the first admin, twice (the second run changes nothing)
    assert create_admin(settings, email, PASSWORD) is True
    assert create_admin(settings, email, PASSWORD) is False
    # Then that account logs in as an admin and may list the hosts
    login = api.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD})
    assert login.status == 200 and login.body["user"]["role"] == "admin"
    assert api.call("GET", "/api/admin/hosts", token=login.body["token"]).status == 200


def test_an_ordinary_account_is_never_promoted(api: Api) -> None:
    from chalicelib.domain.shared.errors import Conflict

    ann = api.user("Ann")
    with pytest.raises(Conflict):
        create_admin({k: v for k, v in os.environ.items() if k.startswith("CS_")}, ann.email, PASSWORD)
