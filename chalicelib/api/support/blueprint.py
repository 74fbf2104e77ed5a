"""The support blueprint (customers' and operators' routes share it: app.py registers it once)."""

from __future__ import annotations

from chalice.app import Blueprint

bp = Blueprint(__name__)
