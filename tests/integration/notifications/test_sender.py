"""The HTTP sender connects to the vetted address only, keeping the URL's host for the Host header and for
TLS (SNI and the certificate check); it never follows redirects and gives up on slow receivers. Every
connection goes to 127.0.0.1; the names used here are never looked up."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters.webhooks.http import LOCAL_ONLY, PinnedHttpSender
from chalicelib.domain.notifications.ssrf import parse_target
from tests.support.webhooks import Receiver

NAME = "hooks.example.test"


def test_the_request_goes_to_the_vetted_address_with_the_urls_host(receiver: Receiver) -> None:
    # Given a URL whose name was vetted as resolving to 127.0.0.1
    target = parse_target(f"http://{NAME}:{receiver.port}/in?x=1")
    # When the sender posts to that address
    result = PinnedHttpSender().post(target, "127.0.0.1", {"X-Test": "1"}, b'{"a":1}', 5)
    # Then the receiver on 127.0.0.1 got it, addressed to the URL's host
    assert result.status_code == 200 and result.error is None
    [got] = receiver.received
    assert got.headers["Host"] == f"{NAME}:{receiver.port}" and got.path == "/in?x=1"
    assert got.body == b'{"a":1}' and got.headers["X-Test"] == "1"


def test_a_redirect_is_answered_not_followed(receiver: Receiver) -> None:
    receiver.default, receiver.redirect_to = 307, "http://127.0.0.1:9/elsewhere"
    result = PinnedHttpSender().post(parse_target(receiver.url()), "127.0.0.1", {}, b"{}", 5)
    assert result.status_code == 307 and len(receiver.received) == 1


def test_the_local_stages_send_nowhere_but_loopback() -> None:
    result = PinnedHttpSender(loopback_only=True).post(
        parse_target("https://hooks.example.com/"), "93.184.216.34", {}, b"{}", 5
    )
    assert (result.status_code, result.error) == (None, LOCAL_ONLY)


def test_a_closed_port_is_a_failed_attempt_with_a_reason() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = PinnedHttpSender().post(parse_target(f"http://127.0.0.1:{port}/"), "127.0.0.1", {}, b"{}", 5)
    assert result.status_code is None and result.error == "The connection was refused."


def test_a_receiver_that_never_answers_is_given_up() -> None:
    # Given a server that accepts connections and says nothing
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    try:
        port = listener.getsockname()[1]
        result = PinnedHttpSender().post(
            parse_target(f"http://127.0.0.1:{port}/"), "127.0.0.1", {}, b"{}", 0.5
        )
    finally:
        for conn in accepted:
            conn.close()
        listener.close()
    assert result.status_code is None and "did not answer" in (result.error or "")


def _certificate(common_name: str, key: Any, names: list[str], issuer: tuple[Any, Any] | None = None) -> Any:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[0].subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
        )
    return builder.sign(issuer[1] if issuer else key, hashes.SHA256())


def _pem(item: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    if hasattr(item, "private_bytes"):
        return bytes(
            item.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return bytes(item.public_bytes(serialization.Encoding.PEM))


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[int, ssl.SSLContext, list[str]]]:
    """(port, a client context trusting its CA, the server names clients asked for) of an HTTPS receiver on
    127.0.0.1 whose certificate names hooks.example.test only."""
    from cryptography.hazmat.primitives.asymmetric import ec

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("cs-test-ca", ca_key, [])
    (tmp_path / "server.pem").write_bytes(_pem(_certificate(NAME, key, [NAME], (ca, ca_key))) + _pem(key))
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(tmp_path / "server.pem")
    asked: list[str] = []

    def remember(sock: Any, name: str | None, context: Any) -> None:
        asked.append(str(name))

    server_context.sni_callback = remember

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = ssl.create_default_context(cadata=_pem(ca).decode())
    try:
        yield int(server.server_address[1]), client, asked
    finally:
        server.shutdown()
        server.server_close()


def test_tls_checks_the_certificate_for_the_urls_name_while_connecting_to_the_vetted_address(
    tls_receiver: tuple[int, ssl.SSLContext, list[str]],
) -> None:
    port, client, asked = tls_receiver
    sender = PinnedHttpSender(context=client)
    # When the URL names the certificate's host, pinned to 127.0.0.1, it is accepted (SNI = the name)
    good = sender.post(parse_target(f"https://{NAME}:{port}/in"), "127.0.0.1", {}, b"{}", 5)
    assert good.status_code == 202 and asked == [NAME]
    # And when the URL names another host, the certificate does not match and nothing is sent
    bad = sender.post(parse_target(f"https://other.example.test:{port}/in"), "127.0.0.1", {}, b"{}", 5)
    assert bad.status_code is None and "certificate" in (bad.error or "")
