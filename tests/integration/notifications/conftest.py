"""Notification tests: a webhook receiver on 127.0.0.1 and the setting that lets endpoints point at it."""

from __future__ import annotations

from tests.support.webhooks import loopback_webhooks, receiver

__all__ = ["loopback_webhooks", "receiver"]
