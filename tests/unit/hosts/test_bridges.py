"""Bridge isolation for engines on this machine: forwarding off on the organization's bridge."""

from __future__ import annotations

from pathlib import Path

from chalicelib.adapters.docker.bridges import bridge_interface, stop_forwarding


def test_the_bridge_is_named_from_the_network_id_unless_configured() -> None:
    assert bridge_interface("d8041a493dda0123456789") == "br-d8041a493dda"
    assert bridge_interface("abc", {"com.docker.network.bridge.name": "cs-org"}) == "cs-org"


def test_forwarding_is_turned_off(tmp_path: Path) -> None:
    (tmp_path / "br-1").mkdir()
    (tmp_path / "br-1" / "forwarding").write_text("1\n")
    assert stop_forwarding("br-1", tmp_path)
    assert (tmp_path / "br-1" / "forwarding").read_text().strip() == "0"


def test_a_bridge_that_cannot_be_changed_is_reported_not_raised(tmp_path: Path) -> None:
    assert not stop_forwarding("missing", tmp_path)
