"""The local stack serves the web app's build next to the API: files, client routes, nothing outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack.static import IMMUTABLE, REVALIDATE, StaticSite, is_api_path

INDEX = b"<!doctype html><div id=root></div>"


@pytest.fixture
def site(tmp_path: Path) -> StaticSite:
    """A build like `vite build` writes: index.html, hashed assets, a public file."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "assets" / "index-abc123.js").write_text("console.log(1)")
    (root / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("not for the browser")
    return StaticSite(root)


def test_api_paths_are_left_to_the_api() -> None:
    assert is_api_path("/api/containers?limit=5")
    assert is_api_path("/api")
    assert not is_api_path("/apiary")
    assert not is_api_path("/containers/01ABC")


def test_a_hashed_asset_is_served_with_its_type_and_cached_for_good(site: StaticSite) -> None:
    # When the browser asks for a built script
    response = site.respond("/assets/index-abc123.js")
    # Then it gets the file as JavaScript, cacheable forever (its name changes with its content)
    assert response.status == 200
    assert response.body == b"console.log(1)"
    assert response.headers["Content-Type"].endswith("javascript; charset=utf-8")
    assert response.headers["Cache-Control"] == IMMUTABLE


def test_a_client_route_gets_the_app_which_is_revalidated(site: StaticSite) -> None:
    # When a page of the app is opened directly (a bookmark, a reload)
    response = site.respond("/containers/01ABC/logs?tail=100")
    # Then the app's index.html answers, with a content security policy, never cached stale
    assert response.status == 200
    assert response.body == INDEX
    assert response.headers["Cache-Control"] == REVALIDATE
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_missing_file_is_a_404_not_the_app(site: StaticSite) -> None:
    assert site.respond("/assets/gone-123.js").status == 404
    assert site.respond("/robots.txt").status == 404


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt"])
def test_nothing_outside_the_build_is_served(site: StaticSite, path: str) -> None:
    response = site.respond(path)
    assert b"not for the browser" not in response.body


def test_without_a_build_the_page_says_how_to_make_one(tmp_path: Path) -> None:
    response = StaticSite(tmp_path / "no-build").respond("/")
    assert response.status == 503
    assert b"make web" in response.body
