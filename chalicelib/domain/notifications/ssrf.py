"""Webhook URLs that cannot be turned against us (server-side request forgery).

A URL is taken only in one plain form: http or https, an ASCII host that is either a DNS name of letters,
digits and hyphens or an IP literal in canonical form (dotted quad, bracketed IPv6 without a zone), an
optional port, no user information, no fragment, no backslash, nothing a parser could read two ways. Numeric
forms that resolvers interpret differently (2130706433, 0177.0.0.1, 0x7f.1, 127.1) are not DNS names and are
refused before anything is looked up. What the host resolves to is checked next, at registration and again
right before every connection, and the connection goes to the address that was checked (see the sender
adapter): loopback, private, carrier-grade NAT, link-local (cloud metadata), multicast, reserved,
unspecified, unique-local and site-local IPv6, and IPv6 forms that carry an IPv4 address (mapped,
compatible, 6to4, NAT64, Teredo) are all refused.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from chalicelib.domain.shared.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_LENGTH = 2048
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[!-~]+$"  # what the API document states; the rest is checked here
DEFAULT_PORTS = {"http": 80, "https": 443}

_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<rest>[/?][^#]*)?$")
_IPV6_AUTHORITY = re.compile(r"^\[(?P<host>[0-9A-Fa-f:.]+)\](?::(?P<port>[0-9]{1,5}))?$")
_NAME_AUTHORITY = re.compile(r"^(?P<host>[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?$")
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"^{_OCTET}(\.{_OCTET}){{3}}$")
_HEX_LABEL = re.compile(r"^0x[0-9a-f]*$")
# Names that only ever mean this machine or a private network, refused without a lookup.
_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".arpa")

METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:a9fe:a9fe::1")}
)
CARRIER_GRADE_NAT = ipaddress.ip_network("100.64.0.0/10")
BENCHMARKING = ipaddress.ip_network("198.18.0.0/15")
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
SITE_LOCAL = ipaddress.ip_network("fec0::/10")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
TEREDO = ipaddress.ip_network("2001::/32")


class UnsafeUrl(ValidationFailed):
    """The webhook URL is not one we will call (400 naming `url`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The webhook URL is not allowed: {reason}.", details={"field": "url"})
        self.reason = reason


@dataclass(frozen=True)
class WebhookTarget:
    """A parsed, plain webhook URL."""

    scheme: str
    host: str  # lower case, no trailing dot; an IPv6 literal without brackets
    port: int
    target: str  # path and query as sent on the request line
    ip: IPAddress | None  # the host when it is an IP literal

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if self.ip is not None and self.ip.version == 6 else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def parse_target(url: str, *, allow_loopback: bool = False) -> WebhookTarget:
    """The URL's parts; UnsafeUrl for anything but the one plain form (see the module's docstring)."""
    if not isinstance(url, str) or not url:
        raise UnsafeUrl("it is empty")
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl(f"it is longer than {MAX_URL_LENGTH} characters")
    if any(not ("!" <= ch <= "~") for ch in url):
        raise UnsafeUrl("it may contain only printable ASCII characters, without spaces")
    if "\\" in url:
        raise UnsafeUrl("it may not contain a backslash")
    if "#" in url:
        raise UnsafeUrl("it may not contain a fragment (#)")
    match = _URL.match(url)
    if match is None:
        raise UnsafeUrl("it must look like https://host[:port]/path")
    scheme = match.group("scheme").lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeUrl("only http and https URLs can receive webhooks")
    authority = match.group("authority")
    if "@" in authority:
        raise UnsafeUrl("it may not carry a user name or password")
    host, port, ip = _authority(authority)
    if ip is None:
        _check_name(host, allow_loopback)
    target = match.group("rest") or "/"
    if target.startswith("?"):
        target = "/" + target
    return WebhookTarget(scheme, host, port or DEFAULT_PORTS[scheme], target, ip)


def _authority(authority: str) -> tuple[str, int | None, IPAddress | None]:
    v6 = _IPV6_AUTHORITY.match(authority)
    named = None if v6 else _NAME_AUTHORITY.match(authority)
    found = v6 or named
    if found is None:
        raise UnsafeUrl("its host must be a DNS name or an IP address, with an optional port")
    raw_port = found.group("port")
    port = int(raw_port) if raw_port is not None else None
    if port is not None and not 1 <= port <= 65535:
        raise UnsafeUrl("its port must be between 1 and 65535")
    if authority.endswith(":"):
        raise UnsafeUrl("its port is empty")
    if v6:
        try:
            ip6 = ipaddress.IPv6Address(v6.group("host"))
        except ValueError as exc:
            raise UnsafeUrl("its IPv6 address is not valid") from exc
        return str(ip6), port, ip6
    host = found.group("host").lower()
    if host.endswith("."):
        host = host[:-1]  # a fully qualified name means the same host; checked like the relative one
    if _DOTTED_QUAD.match(host):
        ip4 = ipaddress.IPv4Address(host)
        return str(ip4), port, ip4
    return host, port, None


def _check_name(host: str, allow_loopback: bool) -> None:
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise UnsafeUrl("its host is not a valid DNS name")
    if labels[-1].isdigit() or any(_HEX_LABEL.match(label) for label in labels):
        raise UnsafeUrl("IP addresses must be written as four decimal numbers (a.b.c.d) or in [brackets]")
    if allow_loopback and host == "localhost":
        return
    if len(labels) < 2:
        raise UnsafeUrl("its host must be a fully qualified DNS name")
    if host.endswith(_INTERNAL_SUFFIXES):
        raise UnsafeUrl("its host names a local or internal network")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in IPV4_COMPATIBLE and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def kind_of(ip: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """What kind of internal address `ip` is ("a loopback address", ...), or None when it may be connected to
    (a public address, or loopback where allowed)."""
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return "an IPv6 address carrying an IPv4 one"
        if any(ip in net for net in NAT64) or ip in SIX_TO_FOUR or ip in TEREDO:
            return "an IPv4 transition address"
        if ip in UNIQUE_LOCAL or ip in SITE_LOCAL:
            return "a private IPv6 address"
    checks = (
        (ip.is_unspecified, "unspecified"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip in CARRIER_GRADE_NAT if ip.version == 4 else False, "shared (carrier-grade NAT)"),
        (ip in BENCHMARKING if ip.version == 4 else False, "benchmarking"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "non-public"),
    )
    for applies, name in checks:
        if applies:
            return f"a {name} address"
    return None


def vet(
    addresses: Iterable[str], *, allow_loopback: bool = False, host: str | None = None
) -> list[IPAddress]:
    """The addresses a host resolved to, when every one of them may be connected to; else UnsafeUrl.

    All must pass, not just one: a name that also resolves inside would let a later lookup go there. For a
    DNS name (`host`) the refusal names the kind of address, never the address (internal DNS stays private).
    """
    vetted: list[IPAddress] = []
    for raw in addresses:
        try:
            ip = ipaddress.ip_address(raw.split("%")[0])
        except ValueError as exc:
            raise UnsafeUrl("its host resolved to something that is not an IP address") from exc
        kind = kind_of(ip, allow_loopback=allow_loopback)
        if kind:
            raise UnsafeUrl(f"{host} resolves to {kind}" if host else f"{ip} is {kind}")
        if ip not in vetted:
            vetted.append(ip)
    if not vetted:
        raise UnsafeUrl("its host does not resolve to any address")
    return vetted


def check(url: str, resolve: Callable[[str, int], list[str]], *, allow_loopback: bool = False) -> Checked:
    """Parse `url`, resolve its host (an IP literal resolves to itself) and vet every address: the target and
    the address to connect to. Raises UnsafeUrl."""
    target = parse_target(url, allow_loopback=allow_loopback)
    if target.ip is not None:
        return Checked(target, vet([str(target.ip)], allow_loopback=allow_loopback)[0])
    addresses = resolve(target.host, target.port)
    return Checked(target, vet(addresses, allow_loopback=allow_loopback, host=target.host)[0])


@dataclass(frozen=True)
class Checked:
    target: WebhookTarget
    address: IPAddress
