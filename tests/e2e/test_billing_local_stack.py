"""A top-up in the local stack as a person does it: add funds, open PayPal's (sandbox) approval page, click
Approve, come back, capture; the stub's signed webhook for the same capture changes nothing."""

from __future__ import annotations

import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.devstack_process import RunningStack, running_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.docker]


@pytest.fixture
def devstack(tmp_path: Path) -> Iterator[RunningStack]:
    with running_devstack(tmp_path / "data", "operator@example.test", "operator-password") as stack:
        yield stack


def test_a_paypal_top_up_through_the_sandbox_approval_page(devstack: RunningStack) -> None:
    url = devstack.url
    account = {
        "email": f"payer-{uuid.uuid4().hex[:6]}@example.test",
        "password": "correct horse battery",
        "name": "P",
    }
    assert requests.post(f"{url}/api/auth/register", json=account, timeout=30).status_code == 201
    credentials = {"email": account["email"], "password": account["password"]}
    login = requests.post(f"{url}/api/auth/login", json=credentials, timeout=30)
    auth = {"Authorization": f"Bearer {login.json()['token']}"}
    # When the person asks to add 20.00 with PayPal
    started = requests.post(
        f"{url}/api/billing/wallet/add-funds",
        json={"amount": 20, "payment_method": "paypal"},
        headers=auth,
        timeout=30,
    )
    assert started.status_code == 200, started.text
    approval = started.json()["approval_url"]
    # And opens the approval page and clicks Approve
    page = requests.get(approval, timeout=30)
    assert page.status_code == 200 and "Pay 20.00 USD" in page.text and 'id="approve"' in page.text
    stub = urllib.parse.urlsplit(approval)
    token = urllib.parse.parse_qs(stub.query)["token"][0]
    clicked = requests.post(
        f"{stub.scheme}://{stub.netloc}/checkoutnow/approve",
        data={"token": token},
        allow_redirects=False,
        timeout=30,
    )
    assert clicked.status_code == 303 and "/billing?paypal=approved" in clicked.headers["Location"]
    # And the app captures
    captured = requests.post(
        f"{url}/api/billing/wallet/add-funds/{started.json()['order_id']}/capture", headers=auth, timeout=30
    )
    # Then the wallet holds 20.00, also after PayPal's webhook arrived
    assert captured.status_code == 200 and captured.json()["new_balance"] == "20.00", captured.text
    time.sleep(2)  # the stub delivers webhooks on its own thread, like PayPal
    wallet = requests.get(f"{url}/api/billing/wallet", headers=auth, timeout=30).json()
    ledger = requests.get(f"{url}/api/billing/transactions", headers=auth, timeout=30).json()["transactions"]
    assert wallet["balance"] == "20.00" and [e["type"] for e in ledger] == ["topup"]
