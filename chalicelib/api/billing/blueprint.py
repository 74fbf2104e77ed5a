"""The billing blueprint (customer and operator routes share it: app.py registers it once)."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

PDF = "application/pdf"


class BillingBlueprint(Blueprint):
    """Registers application/pdf as a binary type with the app (API Gateway then passes PDFs through)."""

    def register(self, app: Any, options: Any) -> None:
        super().register(app, options)
        if PDF not in app.api.binary_types:
            app.api.binary_types.append(PDF)


bp = BillingBlueprint(__name__)
