"""Webhook URLs that would reach inside are refused: 60 bypass forms, checked with a resolver that answers
from a table (no DNS is ever asked, nothing is ever connected to)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from chalicelib.domain.notifications.entities import WebhookRequest
from chalicelib.domain.notifications.ssrf import UnsafeUrl, check, parse_target
from chalicelib.domain.notifications.webhooks import WebhookService
from chalicelib.domain.shared.errors import ValidationFailed
from chalicelib.domain.shared.principal import Principal
from chalicelib.notification_settings import build_notification_settings
from tests.fakes.notifications import FakeResolver, FakeWebhookStore, RecordingTrigger
from tests.fakes.shared import FakeSecretBox

PUBLIC = "93.184.216.34"  # a public address: only ever vetted here, never connected to
# What names resolve to, as a hostile DNS zone would answer.
ZONE = {
    "hooks.example.com": [PUBLIC],
    "localhost": ["127.0.0.1", "::1"],  # as /etc/hosts has it
    "loopback.example.test": ["127.0.0.1"],
    "127.0.0.1.nip.example": ["127.0.0.1"],
    "metadata.example.test": ["169.254.169.254"],
    "imds6.example.test": ["fd00:a9fe:a9fe::1"],
    "private.example.test": ["10.0.0.8"],
    "cgnat.example.test": ["100.64.1.1"],
    "mixed.example.test": [PUBLIC, "192.168.0.10"],
    "v6loop.example.test": ["::1"],
    "mapped.example.test": ["::ffff:127.0.0.1"],
    "ula.example.test": ["fd12:3456::1"],
    "zero.example.test": ["0.0.0.0"],
}

BYPASSES = [
    # loopback, written every way a parser or resolver might accept
    "http://127.0.0.1/",
    "http://127.0.0.1:8080/hook",
    "http://127.255.255.254/",
    "http://2130706433/",  # decimal
    "http://0177.0.0.1/",  # octal
    "http://017700000001/",  # octal, one number
    "http://0x7f.1/",  # hex, short
    "http://0x7f000001/",  # hex, one number
    "http://0x7f.0x0.0x0.0x1/",  # hex octets
    "http://127.1/",  # short form
    "http://127.0.1/",
    "http://127.0.0.1./",  # trailing dot
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:7f00:1]/",  # IPv4-mapped, hex
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[64:ff9b::127.0.0.1]/",  # NAT64
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo
    "http://localhost/",
    "http://localhost./",
    "http://LOCALHOST:8080/",
    "http://api.localhost/",
    "http://loopback.example.test/",  # a public name resolving to 127.0.0.1
    "http://127.0.0.1.nip.example/",
    "http://v6loop.example.test/",
    "http://mapped.example.test/",
    # metadata, private, shared, unspecified, multicast, reserved, link-local, unique-local
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:a9fe:a9fe::1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://metadata.example.test/",
    "http://imds6.example.test/",
    "http://metadata.google.internal/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://[::ffff:10.0.0.1]/",
    "http://private.example.test/",
    "http://mixed.example.test/",  # one public address is not enough: all must be public
    "http://100.64.0.1/",
    "http://cgnat.example.test/",
    "http://0.0.0.0/",
    "http://0/",
    "http://zero.example.test/",
    "http://[::]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[fe80::1]/",
    "http://[fe80::1%25eth0]/",  # zone id
    "http://[fc00::1]/",
    "http://ula.example.test/",
    "http://[fec0::1]/",  # site-local
    # user information and parser confusion
    "http://evil@127.0.0.1/",
    "http://user:password@hooks.example.com/",
    "http://hooks.example.com@127.0.0.1/",
    "http://127.0.0.1:80@hooks.example.com/",
    "http://127.0.0.1#@hooks.example.com/",
    "http://127.0.0.1\\@hooks.example.com/",
    "http://hooks.example.com\\@127.0.0.1/",
    "http://%31%32%37.0.0.1/",  # percent-encoded host
    "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",  # fullwidth digits
    "http://127.0.0.1:80:80/",
    "http://127.0.0.1:0/",
    "http://127.0.0.1:99999/",
    " http://127.0.0.1/",
    "http://127.0.0.1/ x",
    "http:/127.0.0.1/",
    "//127.0.0.1/",
    "http://instance-data/",  # single-label names
    "http://unknown-name.example.test/",  # does not resolve
    # other schemes
    "file:///etc/passwd",
    "gopher://127.0.0.1:25/",
    "ftp://hooks.example.com/",
    "dict://127.0.0.1:11211/",
    "javascript:alert(1)",
    "",
]
ACCEPTED = [
    "https://hooks.example.com/containerstacks",
    "HTTPS://Hooks.Example.COM./x?a=1",
    f"http://{PUBLIC}:8443/x",
    "https://[2606:4700:4700::1111]/hook",
]
ANN = Principal(
    user_id="u1", role="user", token_id="t", token_expires=0, organization_id="o1", organization_role="owner"
)


def service(allow_loopback: bool = False) -> tuple[WebhookService, FakeWebhookStore]:
    store = FakeWebhookStore()
    resolver = FakeResolver(ZONE)
    return (
        WebhookService(store, resolver, FakeSecretBox(), RecordingTrigger(), allow_loopback=allow_loopback),
        store,
    )


def test_the_list_has_at_least_thirty_forms() -> None:
    assert len(set(BYPASSES)) == len(BYPASSES) >= 30


@pytest.mark.parametrize("url", BYPASSES)
def test_a_bypass_form_is_refused_at_registration(url: str) -> None:
    # Given an organization adding an endpoint
    webhooks, store = service()
    # When the URL is one of the bypass forms
    with pytest.raises(UnsafeUrl) as refused:
        webhooks.create(ANN, WebhookRequest(url=url))
    # Then it is refused (400 naming url) and nothing is stored
    assert refused.value.status == 400 and refused.value.details == {"field": "url"}
    assert store.endpoints("o1") == []


@pytest.mark.parametrize("url", BYPASSES)
def test_a_bypass_form_is_refused_at_connect_time_too(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check(url, FakeResolver(ZONE).resolve)


@pytest.mark.parametrize("url", ACCEPTED)
def test_a_public_receiver_is_accepted(url: str) -> None:
    webhooks, store = service()
    created = webhooks.create(ANN, WebhookRequest(url=url))
    assert store.endpoints("o1") == [created.endpoint] and created.secret.startswith("whsec_")


def test_the_connection_address_is_the_vetted_one_and_the_host_is_kept_for_the_request() -> None:
    checked = check("https://Hooks.Example.com:8443/a/b?c=d", FakeResolver(ZONE).resolve)
    assert str(checked.address) == PUBLIC
    assert checked.target.host_header == "hooks.example.com:8443" and checked.target.target == "/a/b?c=d"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/hook", "http://[::1]:9000/", "http://localhost:8080/"]
)
def test_loopback_is_accepted_only_when_allowed(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        service()[0].create(ANN, WebhookRequest(url=url))
    created = service(allow_loopback=True)[0].create(ANN, WebhookRequest(url=url))
    assert created.endpoint.url == url


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/", "http://10.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://0177.0.0.1/"]
)
def test_allowing_loopback_allows_nothing_else(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        service(allow_loopback=True)[0].create(ANN, WebhookRequest(url=url))


def test_the_loopback_setting_is_honoured_only_in_the_local_and_test_stages() -> None:
    env = {"CS_WEBHOOKS_ALLOW_LOOPBACK": "1"}
    assert build_notification_settings(env, local=True).allow_loopback
    assert not build_notification_settings(env, local=False).allow_loopback
    assert not build_notification_settings({}, local=True).allow_loopback


def test_the_system_resolver_asks_getaddrinfo_and_its_answer_is_vetted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chalicelib.adapters.webhooks.http import SystemResolver

    asked: list[str] = []

    def fake_getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        asked.append(host)
        address = {"rebind.example.test": "127.0.0.1", "good.example.test": PUBLIC}.get(host)
        if address is None:
            raise socket.gaierror("no such name")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    resolver = SystemResolver()
    with pytest.raises(UnsafeUrl, match="loopback"):
        check("https://rebind.example.test/", resolver.resolve)
    with pytest.raises(UnsafeUrl, match="could not be resolved"):
        check("https://nowhere.example.test/", resolver.resolve)
    assert str(check("https://good.example.test/", resolver.resolve).address) == PUBLIC
    assert asked == ["rebind.example.test", "nowhere.example.test", "good.example.test"]


def test_the_local_stages_look_up_no_names() -> None:
    from chalicelib.adapters.webhooks.http import LocalResolver

    with pytest.raises(UnsafeUrl, match="no DNS names"):
        check("https://hooks.example.com/", LocalResolver().resolve)
    assert str(check("http://localhost:8080/", LocalResolver().resolve, allow_loopback=True).address) == (
        "127.0.0.1"
    )


def test_parsing_keeps_the_path_and_query_and_drops_nothing_else() -> None:
    target = parse_target("http://hooks.example.com?x=1")
    assert (target.scheme, target.host, target.port, target.target) == (
        "http",
        "hooks.example.com",
        80,
        "/?x=1",
    )


@pytest.mark.parametrize("events", [(), ("container.nope",), ("*.*",)])
def test_unknown_or_no_event_kinds_are_refused(events: tuple[str, ...]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        service()[0].create(ANN, WebhookRequest(url=ACCEPTED[0], events=events))
    assert refused.value.details == {"field": "events"}


def test_subscribing_to_everything_and_more_is_everything() -> None:
    created = service()[0].create(ANN, WebhookRequest(url=ACCEPTED[0], events=("container.*", "*")))
    assert created.endpoint.events == ("*",)


def test_a_refused_name_does_not_reveal_what_it_resolves_to() -> None:
    with pytest.raises(UnsafeUrl) as refused:
        check("https://mixed.example.test/", FakeResolver(ZONE).resolve)
    assert refused.value.message == (
        "The webhook URL is not allowed: mixed.example.test resolves to a private address."
    )
    assert "192.168" not in str(refused.value.details)
