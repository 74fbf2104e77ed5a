"""Sending webhooks over HTTP(S) to an address that was vetted, and resolving receivers' names.

The standard library's http.client is used on purpose: it never follows redirects, and a connection class can
connect to one given IP address while the request carries the URL's host in the Host header and the TLS
server name (SNI, certificate check), which is what pins a delivery to the address the SSRF check approved.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Mapping

from chalicelib.domain.notifications.ports import SendResult
from chalicelib.domain.notifications.ssrf import UnsafeUrl, WebhookTarget

MAX_RESPONSE_BYTES = 4096  # of the receiver's body: read and dropped (only the status counts)
LOCAL_ONLY = "The local stack sends webhooks only to 127.0.0.1 (DESIGN.md, safety rules)."


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to `address`; the Host header is set by the caller."""


class _PinnedHTTPSConnection(http.client.HTTPConnection):
    """TLS to `address`, verifying the certificate for `server_name` (the URL's host)."""

    def __init__(self, address: str, port: int, timeout: float, server_name: str, context: ssl.SSLContext):
        super().__init__(address, port, timeout=timeout)
        self._server_name = server_name
        self._context = context

    def connect(self) -> None:
        super().connect()
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self._server_name)


def _abort(connection: http.client.HTTPConnection) -> None:
    """Cut a connection that overran its deadline (wakes a read blocked in another thread)."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class PinnedHttpSender:
    """Implements the Sender port. `loopback_only` (the local and test stages) refuses every other address.

    The whole attempt (connect, send, status line and headers) ends after twice the timeout at the latest, so
    a receiver that drips its answer cannot hold a worker.
    """

    def __init__(self, *, loopback_only: bool = False, context: ssl.SSLContext | None = None) -> None:
        self._loopback_only = loopback_only
        self._context = context or ssl.create_default_context()

    def post(
        self, target: WebhookTarget, address: str, headers: Mapping[str, str], body: bytes, timeout: float
    ) -> SendResult:
        began = time.monotonic()
        if self._loopback_only and not ipaddress.ip_address(address).is_loopback:
            return SendResult(None, LOCAL_ONLY, 0)
        connection: http.client.HTTPConnection
        if target.scheme == "https":
            connection = _PinnedHTTPSConnection(address, target.port, timeout, target.host, self._context)
        else:
            connection = _PinnedHTTPConnection(address, target.port, timeout=timeout)
        watchdog = threading.Timer(2 * timeout, _abort, args=(connection,))
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.putrequest("POST", target.target, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", target.host_header)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.putheader("Connection", "close")
            connection.endheaders(body)
            response = connection.getresponse()
            response.read(MAX_RESPONSE_BYTES)
            return SendResult(response.status, None, _ms(began))
        except TimeoutError:
            return SendResult(None, f"The receiver did not answer within {timeout:g} s.", _ms(began))
        except ssl.SSLCertVerificationError as exc:
            return SendResult(None, f"Its TLS certificate is not valid: {exc.verify_message}.", _ms(began))
        except ssl.SSLError as exc:
            return SendResult(None, f"TLS failed: {exc.reason or exc}.", _ms(began))
        except ConnectionRefusedError:
            return SendResult(None, "The connection was refused.", _ms(began))
        except http.client.HTTPException as exc:
            return SendResult(None, f"The answer was not valid HTTP ({type(exc).__name__}).", _ms(began))
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            late = time.monotonic() - began >= 2 * timeout
            message = f"The receiver did not answer within {timeout:g} s." if late else f"{reason}."
            return SendResult(None, f"The connection failed: {message}", _ms(began))
        finally:
            watchdog.cancel()
            connection.close()


def _ms(began: float) -> int:
    return int((time.monotonic() - began) * 1000)


class SystemResolver:
    """Implements Resolver with the operating system's resolver (deployed stages)."""

    def resolve(self, host: str, port: int) -> list[str]:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise UnsafeUrl(f"its host {host} could not be resolved") from exc
        return [str(info[4][0]) for info in infos]


class LocalResolver:
    """Implements Resolver in the local and test stages, which talk to this machine only: no DNS lookups at
    all; `localhost` is 127.0.0.1 and every other name is refused."""

    def resolve(self, host: str, port: int) -> list[str]:
        if host == "localhost":
            return ["127.0.0.1"]
        raise UnsafeUrl(
            "the local stack looks up no DNS names (it only talks to 127.0.0.1); use http://127.0.0.1:<port>/"
        )
