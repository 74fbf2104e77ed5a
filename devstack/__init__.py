"""The local stack: moto, Lambda dispatch, SMTP, schedules and the Chalice API on one machine."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
