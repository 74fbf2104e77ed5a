"""The accounts tests' gateway (calls from a chosen client address) serves the audit tests too."""

from tests.integration.accounts.conftest import gateway

__all__ = ["gateway"]
