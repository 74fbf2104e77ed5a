"""Email templates: a subject and a plain-text body each, filled with `string.Template` ($name) values."""

from __future__ import annotations

from string import Template

from chalicelib.adapters.smtp.monitoring_templates import MONITORING_TEMPLATES
from chalicelib.adapters.smtp.support_templates import SUPPORT_TEMPLATES

TEMPLATES: dict[str, tuple[str, str]] = {
    "runway_warning": (
        "Your ContainerStacks balance lasts less than $hours hours",
        "Hello $organization,\n\n"
        "your wallet holds $balance USD. At the current usage that lasts about $runway hours.\n"
        "Add funds on the Billing page so your containers keep running.\n\n"
        "ContainerStacks billing\n",
    ),
    "suspended": (
        "Your ContainerStacks organization is suspended",
        "Hello $organization,\n\n"
        "your wallet balance is $balance USD, so your containers were stopped. Their data is kept.\n"
        "Add funds on the Billing page to start them again.\n"
        "Without funds they are removed after $days days.\n\n"
        "ContainerStacks billing\n",
    ),
    "resumed": (
        "Your ContainerStacks organization is running again",
        "Hello $organization,\n\nthanks for adding funds: your balance is $balance USD and the "
        "containers that were stopped have been started again.\n\nContainerStacks billing\n",
    ),
    "termination_notice": (
        "Your suspended ContainerStacks resources will be removed",
        "Hello $organization,\n\nyour organization has been suspended for lack of funds. "
        "Unless you add funds, its containers and their data will be removed on $when.\n\n"
        "ContainerStacks billing\n",
    ),
    "terminated": (
        "Your suspended ContainerStacks resources were removed",
        "Hello $organization,\n\nyour organization stayed suspended for lack of funds, "
        "so its containers and their data were removed.\n\nContainerStacks billing\n",
    ),
    "team_invite": (
        "$inviter invited you to $organization on ContainerStacks",
        "Hello,\n\n$inviter invited you to join $organization on ContainerStacks as $role.\n\n"
        "Open this link to accept or decline (sign in or create an account with this email address):\n"
        "$link\n\nThe link works once and expires on $expires.\n\nContainerStacks\n",
    ),
    "reconciliation_report": (
        "PayPal reconciliation for $day: findings",
        "The reconciliation of $day found:\n\n$findings\n\nSee GET /api/admin/billing/reconciliations.\n",
    ),
    "vps_reconciliation_report": (
        "VPS reconciliation of $provider: $orphans orphans, $ghosts ghosts",
        "Comparing the instances at $provider with our VPS records found:\n\n$findings\n\n"
        "Orphans run at the provider without a record (they cost us money); ghosts are on record but gone at "
        "the provider (their customers are billed for nothing).\n"
        "See GET /api/providers/$provider_id/reconciliations.\n",
    ),
}

TEMPLATES.update(SUPPORT_TEMPLATES)
TEMPLATES.update(MONITORING_TEMPLATES)


def render(template: str, values: dict[str, str]) -> tuple[str, str]:
    """(subject, body) of `template`. Raises KeyError for an unknown template."""
    subject, body = TEMPLATES[template]
    return Template(subject).safe_substitute(values), Template(body).safe_substitute(values)
