"""Monitoring's email templates (merged into TEMPLATES); values: chalicelib/domain/monitoring/delivery.py."""

from __future__ import annotations

_SIGNATURE = "\n-- \nContainerStacks monitoring\n"

MONITORING_TEMPLATES: dict[str, tuple[str, str]] = {
    "alert_firing": (
        "[FIRING] $rule: $subject",
        'The alert rule "$rule" fires for $subject since $at.\n\n$message\n\n'
        "See the Monitoring page for the chart and the event list." + _SIGNATURE,
    ),
    "alert_resolved": (
        "[RESOLVED] $rule: $subject",
        'The alert rule "$rule" no longer fires for $subject (resolved at $at).\n\n$message\n' + _SIGNATURE,
    ),
}
