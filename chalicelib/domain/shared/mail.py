"""The mail port: send one templated email (SMTP in every stage; the local stack runs a real SMTP server)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class Mailer(Protocol):
    """Sends a message built from a named template and its values.

    Raises KeyError for an unknown template and ServiceUnavailable when the mail server does not answer.
    """

    def send(self, to: str, template: str, values: Mapping[str, str]) -> None: ...
