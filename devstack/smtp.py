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


class MailServer:
    """SMTP on 127.0.0.1 storing messages in `mail_dir`; port 0 picks a free port."""

    def __init__(self, mail_dir: Path, port: int = 0) -> None:
        from aiosmtpd.controller import Controller

        self.mail_dir = mail_dir
        self.port = port or free_port()
        self._controller = Controller(_MailDirHandler(mail_dir), hostname=LOOPBACK, port=self.port)

    def start(self) -> None:
        """Start accepting mail."""
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._controller.start()

    def stop(self) -> None:
        """Stop accepting mail; stored messages stay."""
        self._controller.stop()

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
