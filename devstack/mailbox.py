"""The local stack's mailbox page: every message its SMTP server received, readable in the browser.

GET /_mail lists the messages newest first (when, from, to, subject); /_mail/<name> shows one (headers and
plain-text body); /_mail/<name>.eml is the raw file. The files are those devstack/smtp.py writes into
<data dir>/mail/. Local stack only: in AWS mail goes out through SMTP2GO and this page does not exist.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from urllib.parse import unquote, urlsplit

from devstack.static import StaticResponse, _Handler, _response

PREFIX = "/_mail"
_NAME = re.compile(r"^[0-9]{20}-[0-9a-f]{8}$")
MAX_LISTED = 500
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#0f172a}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.4rem;border-bottom:1px solid #cbd5e1;vertical-align:top}"
    "td{overflow-wrap:anywhere}pre{white-space:pre-wrap;background:#f1f5f9;padding:1rem}"
    "a{color:#1d4ed8}dt{font-weight:600}dd{margin:0 0 .5rem}dd,code,h1{overflow-wrap:anywhere}"
    "@media (max-width:40rem){thead{display:none}tr,td{display:block}td{border:0;padding:.1rem 0}"
    "tr{border-bottom:1px solid #cbd5e1;padding:.5rem 0}}"
)


@dataclass(frozen=True)
class Envelope:
    name: str
    when: str
    sender: str
    to: str
    subject: str


def is_mailbox_path(raw_path: str) -> bool:
    path = urlsplit(raw_path).path
    return path == PREFIX or path.startswith(PREFIX + "/")


def _parse(path: Path) -> EmailMessage:
    message = BytesParser(policy=default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def _envelope(path: Path) -> Envelope:
    message = _parse(path)
    return Envelope(
        name=path.stem,
        when=str(message.get("Date", "")),
        sender=str(message.get("From", "")),
        to=str(message.get("X-Envelope-To") or message.get("To", "")),
        subject=str(message.get("Subject", "(no subject)")),
    )


def _page(title: str, body: str) -> bytes:
    return (
        f"<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style><body><main>{body}</main></body></html>"
    ).encode()


class Mailbox:
    """Answers GET/HEAD under /_mail from the mail directory (read per request: new mail shows at once)."""

    def __init__(self, mail_dir: Path) -> None:
        self._dir = mail_dir

    def respond(self, raw_path: str) -> StaticResponse:
        path = unquote(urlsplit(raw_path).path).rstrip("/")
        if path == PREFIX:
            return self._index()
        name = path.removeprefix(PREFIX + "/")
        raw = name.endswith(".eml")
        name = name.removesuffix(".eml")
        file = self._dir / f"{name}.eml"
        if not _NAME.match(name) or not file.is_file():
            return _response(404, b"No such message\n", "text/plain; charset=utf-8", "no-cache")
        if raw:
            return _response(200, file.read_bytes(), "text/plain; charset=utf-8", "no-cache")
        return self._message(file)

    def _index(self) -> StaticResponse:
        files = sorted(self._dir.glob("*.eml"), reverse=True)[:MAX_LISTED] if self._dir.is_dir() else []
        rows = "".join(
            f"<tr><td>{html.escape(e.when)}</td><td>{html.escape(e.to)}</td>"
            f"<td><a href='{PREFIX}/{e.name}'>{html.escape(e.subject)}</a></td>"
            f"<td>{html.escape(e.sender)}</td></tr>"
            for e in map(_envelope, files)
        )
        table = (
            f"<table><caption>Newest first</caption><thead><tr><th scope=col>Date</th><th scope=col>To</th>"
            f"<th scope=col>Subject</th><th scope=col>From</th></tr></thead><tbody>{rows}</tbody></table>"
            if rows
            else "<p>No mail yet. Mail the app sends (support tickets, billing notices) shows up here.</p>"
        )
        body = (
            "<p><a href='/dashboard'>Back to ContainerStacks</a></p><h1>Mail sent by the local stack</h1>"
            f"<p>{len(files)} message(s), kept as .eml files in "
            f"<code>{html.escape(str(self._dir))}</code>.</p>{table}"
        )
        return _response(200, _page("Local mail", body), "text/html; charset=utf-8", "no-cache")

    def _message(self, file: Path) -> StaticResponse:
        message = _parse(file)
        part = message.get_body(preferencelist=("plain",))
        text = str(part.get_content()) if isinstance(part, EmailMessage) else "(no plain-text part)"
        headers = "".join(
            f"<dt>{html.escape(name)}</dt><dd>{html.escape(str(message.get(name, '')))}</dd>"
            for name in ("Subject", "From", "To", "X-Envelope-To", "Date")
        )
        body = (
            f"<p><a href='{PREFIX}'>All mail</a> · <a href='{PREFIX}/{file.stem}.eml'>Raw message</a></p>"
            f"<h1>{html.escape(str(message.get('Subject', '(no subject)')))}</h1><dl>{headers}</dl>"
            f"<pre>{html.escape(text)}</pre>"
        )
        return _response(
            200, _page(str(message.get("Subject", "Mail")), body), "text/html; charset=utf-8", "no-cache"
        )


def serve(handler: _Handler, mailbox: Mailbox | None) -> bool:
    """Answer a GET/HEAD under /_mail; False leaves the request to the others."""
    if mailbox is None or not is_mailbox_path(handler.path):
        return False
    response = mailbox.respond(handler.path)
    handler.send_response(response.status)
    for name, value in response.headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(response.body)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(response.body)
    return True
