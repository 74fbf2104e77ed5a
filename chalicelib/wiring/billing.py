"""Billing: wallet, PayPal, metering and the billing run, suspension, invoices, reconciliation, mail."""

from __future__ import annotations

from chalicelib.domain.billing.entities import BillingPolicy, Party
from chalicelib.domain.billing.invoicing import Invoicing
from chalicelib.domain.billing.listeners import FundsListeners
from chalicelib.domain.billing.metering import BillingRunner
from chalicelib.domain.billing.methods import SavedMethods
from chalicelib.domain.billing.ports import InvoiceRenderer, PaymentGateway
from chalicelib.domain.billing.reconciliation import PaymentReconciler
from chalicelib.domain.billing.service import WalletService
from chalicelib.domain.billing.suspension import Suspension
from chalicelib.domain.billing.webhooks import PayPalWebhooks
from chalicelib.domain.shared.errors import ConfigurationError
from chalicelib.domain.shared.mail import Mailer
from chalicelib.wiring import component, settings, workflows
from chalicelib.wiring.events import audit_trail, notifier
from chalicelib.wiring.quotas import get_quotas


@component
def billing_policy() -> BillingPolicy:
    b = settings().billing
    return BillingPolicy(
        currency=b.currency,
        topup_min_cents=b.topup_min_cents,
        topup_max_cents=b.topup_max_cents,
        max_balance_cents=b.max_balance_cents,
        grace_seconds=b.grace_seconds,
        terminate_after_seconds=b.terminate_after_seconds,
        termination_notice_seconds=b.termination_notice_seconds,
        warn_hours=b.warn_hours,
        public_url=b.public_url,
        report_email=b.report_email,
        seller=Party(name=b.seller_name, address=b.seller_address, tax_id=b.seller_tax_id),
        tax_name=b.tax_name,
        tax_rate_bps=b.tax_rate_bps,
        invoice_prefix=b.invoice_prefix,
        invoice_due_days=b.invoice_due_days,
    )


@component
def paypal() -> PaymentGateway:
    """The PayPal gateway; a deployment missing PayPal settings fails here, naming them."""
    from chalicelib.adapters.paypal.gateway import PayPalGateway

    current = settings()
    b = current.billing
    missing = b.paypal_missing(current.is_local)
    if missing or not b.paypal_base_url:
        raise ConfigurationError(
            f"PayPal is not configured: set {', '.join(missing or ['CS_PAYPAL_BASE_URL'])}"
        )
    secret = b.paypal_client_secret
    if b.paypal_secret_arn:
        from chalicelib.adapters.aws.secrets import fetch_secret

        secret = fetch_secret(b.paypal_secret_arn, current.region).decode()
    return PayPalGateway(
        b.paypal_base_url, b.paypal_client_id, secret, b.paypal_webhook_id, timeout=b.paypal_timeout_seconds
    )


@component
def mailer() -> Mailer:
    from chalicelib.wiring.mail import smtp_mailer

    return smtp_mailer(settings().billing.mail_from)


@component
def invoice_renderer() -> InvoiceRenderer:
    from chalicelib.adapters.pdf.invoice import FpdfInvoiceRenderer

    return FpdfInvoiceRenderer()


@component
def get_suspension() -> Suspension:
    from chalicelib.domain.billing.workloads import AccountDirectory, CompositeWorkloads, ContainerWorkloads
    from chalicelib.domain.vps.workloads import VpsWorkloads
    from chalicelib.store.accounts.repository import AccountRepository
    from chalicelib.store.billing.state import BillingStateRepository
    from chalicelib.wiring.containers import get_containers
    from chalicelib.wiring.vps import get_vps

    settings()
    # VPS ids are "vps:<id>"; the VPS service is built on first use (it needs the wallet, built around this).
    workloads = CompositeWorkloads(ContainerWorkloads(get_containers()), {"vps": VpsWorkloads(get_vps)})
    suspension = Suspension(
        BillingStateRepository(),
        workloads,
        mailer(),
        AccountDirectory(AccountRepository()),
        billing_policy(),
        notifier=notifier(),
    )
    suspension.audit = audit_trail()
    return suspension


@component
def get_wallet() -> WalletService:
    from chalicelib.store.billing.ledger import LedgerRepository
    from chalicelib.store.billing.meters import MeterRepository
    from chalicelib.store.billing.payments import PaymentRepository
    from chalicelib.store.billing.state import BillingStateRepository

    settings()
    wallet = WalletService(
        LedgerRepository(),
        PaymentRepository(),
        MeterRepository(),
        BillingStateRepository(),
        paypal,
        billing_policy(),
    )
    wallet.listener = FundsListeners(get_suspension(), get_invoicing())
    wallet.audit = audit_trail()
    wallet.prices = get_quotas()  # an organization's package may set its own prices
    return wallet


@component
def get_saved_methods() -> SavedMethods:
    from chalicelib.store.billing.payments import PaymentRepository

    settings()
    methods = SavedMethods(PaymentRepository(), paypal, billing_policy())
    methods.audit = audit_trail()
    return methods


@component
def get_webhooks() -> PayPalWebhooks:
    from chalicelib.store.billing.payments import PaymentRepository

    return PayPalWebhooks(get_wallet(), PaymentRepository(), paypal)


@component
def get_runner() -> BillingRunner:
    from chalicelib.store.billing.ledger import LedgerRepository
    from chalicelib.store.billing.meters import MeterRepository
    from chalicelib.store.billing.state import BillingStateRepository

    return BillingRunner(
        get_wallet(),
        LedgerRepository(),
        MeterRepository(),
        BillingStateRepository(),
        get_suspension(),
        workflows(),
        prices=get_quotas(),
    )


@component
def get_invoicing() -> Invoicing:
    from chalicelib.domain.billing.workloads import AccountDirectory
    from chalicelib.store.accounts.repository import AccountRepository
    from chalicelib.store.billing.invoices import InvoiceRepository
    from chalicelib.store.billing.ledger import LedgerRepository

    settings()
    return Invoicing(
        LedgerRepository(),
        InvoiceRepository(),
        AccountDirectory(AccountRepository()),
        invoice_renderer,
        billing_policy(),
        notifier=notifier(),
    )


@component
def get_reconciler() -> PaymentReconciler:
    from chalicelib.store.billing.ledger import LedgerRepository
    from chalicelib.store.billing.state import BillingStateRepository

    return PaymentReconciler(
        get_wallet(), LedgerRepository(), BillingStateRepository(), paypal, mailer(), billing_policy()
    )
