"""Support: customers' tickets, the operators' desk, and the mail outbox with its delivery."""

from __future__ import annotations

from chalicelib.domain.shared.mail import Mailer
from chalicelib.domain.support.delivery import MailDelivery
from chalicelib.domain.support.desk import OperatorDesk
from chalicelib.domain.support.entities import RetryPolicy
from chalicelib.domain.support.mail import SupportMail
from chalicelib.domain.support.ports import MailKick, NoKick
from chalicelib.domain.support.service import SupportService
from chalicelib.mail_settings import DEFAULT_SUPPORT_FROM
from chalicelib.wiring import component, settings
from chalicelib.wiring.events import notifier
from chalicelib.wiring.mail import smtp_mailer, smtp_server


@component
def support_mailer() -> Mailer:
    """Sends as CS_SUPPORT_MAIL_FROM (or the SMTP secret's sender when that is unset)."""
    return smtp_mailer(settings().mail.support_from or smtp_server().sender or DEFAULT_SUPPORT_FROM)


@component
def mail_kick() -> MailKick:
    """Locally the outbox is delivered right after the request; elsewhere the schedule delivers it."""
    if settings().stage != "local":
        return NoKick()
    from chalicelib.adapters.local.kick import BackgroundKick

    return BackgroundKick(lambda: get_mail_delivery().deliver_due())


@component
def support_mail() -> SupportMail:
    return SupportMail(settings().billing.public_url)


@component
def get_support() -> SupportService:
    from chalicelib.store.support.directory import AccountsDirectory, StoredResources
    from chalicelib.store.support.repository import TicketRepository

    settings()
    return SupportService(
        TicketRepository(),
        AccountsDirectory(),
        support_mail(),
        mail_kick(),
        notifier,
        links=StoredResources(),
    )


@component
def get_operator_desk() -> OperatorDesk:
    from chalicelib.store.support.directory import AccountsDirectory
    from chalicelib.store.support.repository import TicketRepository

    settings()
    return OperatorDesk(TicketRepository(), AccountsDirectory(), support_mail(), mail_kick(), notifier)


@component
def get_mail_delivery() -> MailDelivery:
    from chalicelib.store.support.directory import AccountsDirectory
    from chalicelib.store.support.outbox import OutboxRepository

    mail = settings().mail
    policy = RetryPolicy(base_seconds=mail.retry_base_seconds, max_seconds=mail.retry_max_seconds)
    return MailDelivery(OutboxRepository(), support_mailer, AccountsDirectory(), policy, mail.support_email)
