"""A local SMTP server (aiosmtpd) that keeps every message as one .eml file."""

from __future__ import annotations

import time
import uuid
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

from devstack.net import LOOPBACK, free_port

_PORT_ATTEMPTS = 5


class MailServer:
    """SMTP on 127.0.0.1 storing messages in `mail_dir`; port 0 picks a free port."""

    def __init__(self, mail_dir: Path, port: int = 0) -> None:
        self.mail_dir = mail_dir
        self.port = port
        self._controller: Any = None

    def start(self) -> None:
        """Start accepting mail. A free port is picked here, not earlier, and again if another server
        took it in the meantime (moto's own port 0, for one)."""
        from aiosmtpd.controller import Controller

        self.mail_dir.mkdir(parents=True, exist_ok=True)
        attempts = 1 if self.port else _PORT_ATTEMPTS
        for attempt in range(1, attempts + 1):
            port = self.port or free_port()
            controller = Controller(_MailDirHandler(self.mail_dir), hostname=LOOPBACK, port=port)
            try:
                controller.start()
            except OSError:
                if attempt == attempts:
                    raise
                continue
            self._controller, self.port = controller, port
            return

    def stop(self) -> None:
        """Stop accepting mail; stored messages stay."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[EmailMessage]:
        """Every stored message, oldest first."""
        return read_mail(self.mail_dir)

    def clear(self) -> None:
        """Delete every stored message."""
        for path in self.mail_dir.glob("*.eml"):
            path.unlink()


class _MailDirHandler:
    """aiosmtpd handler: writes each message, with its envelope recipients, to <mail_dir>/<n>.eml."""

    def __init__(self, mail_dir: Path) -> None:
        self._mail_dir = mail_dir

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        recipients = ", ".join(envelope.rcpt_tos)
        content: bytes = envelope.original_content or envelope.content
        data = f"X-Envelope-To: {recipients}\r\n".encode() + content
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        temporary = self._mail_dir / f".{name}.tmp"
        temporary.write_bytes(data)
        temporary.rename(self._mail_dir / f"{name}.eml")
        return "250 Message accepted for delivery"


def read_mail(mail_dir: Path) -> list[EmailMessage]:
    """Parse every .eml file in `mail_dir`, oldest first."""
    parser = BytesParser(policy=default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(mail_dir.glob("*.eml"))]
