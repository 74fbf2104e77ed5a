"""Monthly invoices from the ledger: consecutive numbers per year under concurrency, a real PDF."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from chalicelib.domain.billing.entities import Posting
from chalicelib.domain.billing.ports import Extras
from tests.support.api import Api, User

PARALLEL = 20


def charge(user: User, cents: int, key: str, resource: str = "web") -> None:
    """Usage as the billing run posts it (one entry per resource)."""
    from chalicelib.wiring.billing import get_wallet

    now = datetime.now(UTC)
    get_wallet().post(
        user.org_id,
        extras=Extras(invoice_period=now.strftime("%Y-%m")),  # due an invoice, as the billing run marks it
        postings=[
            Posting(
                key=key,
                kind="usage",
                amount_cents=-cents,
                description=f"Container {resource}: 60 min",
                created_by="system",
                resource_id=f"01RESOURCE{resource.upper()}",
                resource_name=resource,
                period_start=now,
                period_end=now,
                quantity_minutes=60,
            )
        ],
    )


def test_twenty_invoices_issued_in_parallel_have_consecutive_numbers(api: Api) -> None:
    from chalicelib.wiring.billing import get_invoicing

    # Given 20 organizations with usage this month
    users = [api.user(f"Org{i}") for i in range(PARALLEL)]
    for i, user in enumerate(users):
        charge(user, 100 + i, f"usage:{i}")
    period = datetime.now(UTC).strftime("%Y-%m")
    invoicing = get_invoicing()
    # When their invoices are issued at the same time (and once more, as a retry would)
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        issued = list(pool.map(lambda u: invoicing.issue(u.org_id, period), users))
    assert all(invoicing.issue(u.org_id, period) is None for u in users[:3])  # a month is invoiced once
    # Then the numbers are unique and gap-free in the year: CS-<year>-000001 .. 000020
    numbers = sorted(i.number for i in issued if i is not None)
    year = datetime.now(UTC).year
    assert numbers == [f"CS-{year}-{n:06d}" for n in range(1, PARALLEL + 1)]


def test_an_invoice_lists_the_months_charges_and_renders_as_a_pdf(api: Api) -> None:
    from pypdf import PdfReader

    # Given a month with two resources' usage and a manual debit
    ann = api.user("Ann")
    charge(ann, 1234, "usage:a1", "web")
    charge(ann, 266, "usage:a2", "web")
    charge(ann, 500, "usage:a3", "db")
    admin = api.admin()
    for amount, reason in (("30.00", "welcome credit"), ("-2.50", "extra support")):
        body = {"organization_id": ann.org_id, "amount": amount, "reason": reason}
        assert admin.call("POST", "/api/admin/billing/adjustments", body).status == 201
    period = datetime.now(UTC).strftime("%Y-%m")
    # When the operator issues the month's invoices
    run = admin.call("POST", "/api/admin/billing/invoices", {"period": period})
    assert run.status == 200 and run.body["issued"] == 1, run.body
    # Then the organization sees one paid invoice with a line per resource and the manual charge
    [invoice] = ann.call("GET", "/api/billing/invoices").body["invoices"]
    assert re.fullmatch(rf"CS-{datetime.now(UTC).year}-\d{{6}}", invoice["invoice_number"])
    assert invoice["status"] == "paid" and invoice["amount"] == "22.50"
    lines = {(line["description"].split(" (")[0], line["amount"]) for line in invoice["line_items"]}
    assert lines == {
        ("Container web", "15.00"),
        ("Container db", "5.00"),
        ("Adjustment by an administrator: extra support", "2.50"),
    }
    assert ann.call("GET", f"/api/billing/invoices/{invoice['id']}").body == invoice
    # And its PDF is a real PDF naming seller, buyer, lines and total
    pdf = ann.call("GET", f"/api/billing/invoices/{invoice['id']}/pdf", headers={"Accept": "application/pdf"})
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (
        invoice["invoice_number"],
        "ContainerStacks",
        "Ann's organization",
        "Container web",
        "15.00",
        "5.00",
        "Total",
        "22.50 USD",
    ):
        assert expected in text, (expected, text)
    # And another organization cannot see it
    other = api.user("Bob")
    assert other.call("GET", f"/api/billing/invoices/{invoice['id']}").status == 404
    assert (
        other.call(
            "GET", f"/api/billing/invoices/{invoice['id']}/pdf", headers={"Accept": "application/pdf"}
        ).status
        == 404
    )


def test_an_unpaid_invoice_turns_overdue_and_a_top_up_pays_it(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib import wiring

    monkeypatch.setenv("CS_INVOICE_DUE_DAYS", "0")  # due the moment it is issued
    wiring.reset()
    # Given an organization whose usage took its wallet below zero
    ann = api.user("Ann")
    charge(ann, 750, "usage:debt")
    admin = api.admin()
    period = datetime.now(UTC).strftime("%Y-%m")
    assert admin.call("POST", "/api/admin/billing/invoices", {"period": period}).body["issued"] == 1
    # When the invoice is past its due date and still unpaid
    [invoice] = ann.call("GET", "/api/billing/invoices").body["invoices"]
    # Then it reads overdue, in the list and on its own
    assert invoice["status"] == "overdue" and invoice["paid_at"] is None
    assert ann.call("GET", f"/api/billing/invoices/{invoice['id']}").body["status"] == "overdue"
    # When a credit brings the wallet back above zero
    body = {"organization_id": ann.org_id, "amount": "10.00", "reason": "paid by wire"}
    assert admin.call("POST", "/api/admin/billing/adjustments", body).status == 201
    # Then the invoice is paid
    paid = ann.call("GET", f"/api/billing/invoices/{invoice['id']}").body
    assert paid["status"] == "paid" and paid["paid_at"] is not None
