"""The Packages and Catalog ports, run against PackageRepository / TemplateRepository on moto and against the
fakes: packages and the operator's template changes read back as written, versions guard concurrent edits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.billing.entities import Pricing
from chalicelib.domain.marketplace.ports import Catalog
from chalicelib.domain.quotas.entities import Limits, Package
from chalicelib.domain.quotas.ports import Packages
from chalicelib.domain.shared.errors import Conflict, NotFound
from tests.contract.conftest import IMPLEMENTATIONS, _bind_real_tables
from tests.fakes.marketplace import FakeCatalog
from tests.fakes.quotas import FakePackages

T0 = datetime(2026, 11, 1, tzinfo=UTC)
FILE = {"slug": "site", "name": "Site", "category": "web", "version": "1", "image": "site:1"}


@pytest.fixture(params=IMPLEMENTATIONS)
def packages(request: pytest.FixtureRequest) -> Packages:
    if request.param == "dynamodb":
        _bind_real_tables(request)
        from chalicelib.store.quotas.repository import PackageRepository

        return PackageRepository()
    return FakePackages()


@pytest.fixture(params=IMPLEMENTATIONS)
def catalog(request: pytest.FixtureRequest, tmp_path: Path) -> Catalog:
    if request.param == "dynamodb":
        _bind_real_tables(request)
        from chalicelib.store.marketplace.repository import TemplateRepository

        (tmp_path / "site.json").write_text(json.dumps(FILE))
        return TemplateRepository(tmp_path)
    return FakeCatalog({"site": FILE})


def pkg(name: str, **changes: Any) -> Package:
    base = Package(f"id-{name.lower()}", name, "d", Limits(containers=3, memory_bytes=2**30), None, 1, T0, T0)
    return replace(base, **changes)


def test_a_package_reads_back_as_written_and_lists_by_name(packages: Packages) -> None:
    pro = pkg("Pro", pricing=Pricing(1, 2, 3))
    packages.add(pro)
    packages.add(pkg("basic"))
    assert packages.find(pro.id) == pro
    assert [p.name for p in packages.list_all()] == ["basic", "Pro"]
    assert packages.find("nope") is None


def test_a_package_is_added_once_and_replaced_only_from_the_version_read(packages: Packages) -> None:
    pro = pkg("Pro")
    packages.add(pro)
    with pytest.raises(Conflict):
        packages.add(pro)
    newer = replace(pro, limits=Limits(), version=2)
    packages.replace(newer, 1)
    assert packages.find(pro.id) == newer
    with pytest.raises(Conflict):
        packages.replace(replace(pro, version=2), 1)
    with pytest.raises(Conflict):  # a first write of a package that exists already
        packages.replace(pro, None)


def test_a_removed_package_is_gone(packages: Packages) -> None:
    packages.add(pkg("Pro"))
    packages.remove("id-pro")
    assert packages.find("id-pro") is None
    with pytest.raises(NotFound):
        packages.remove("id-pro")


def test_the_catalog_lays_stored_changes_over_the_files(catalog: Catalog) -> None:
    [site] = catalog.entries()
    assert (site.slug, dict(site.base or {}), dict(site.changes), site.version) == ("site", FILE, {}, None)
    assert catalog.save("site", {"name": "Web site", "environment": {"A": {"required": True}}}, None, T0) == 1
    assert catalog.save("extra", {"name": "Extra"}, None, T0) == 1
    entries = {e.slug: e for e in catalog.entries()}
    assert entries["site"].changes == {"name": "Web site", "environment": {"A": {"required": True}}}
    assert entries["site"].version == 1 and entries["extra"].base is None
    assert catalog.entry("missing") is None


def test_catalog_changes_are_saved_only_from_the_version_read(catalog: Catalog) -> None:
    catalog.save("site", {"name": "One"}, None, T0)
    with pytest.raises(Conflict):
        catalog.save("site", {"name": "Two"}, None, T0)
    assert catalog.save("site", {"name": "Two"}, 1, T0) == 2
    with pytest.raises(Conflict):
        catalog.save("site", {"name": "Three"}, 1, T0)
    entry = catalog.entry("site")
    assert entry is not None and entry.changes == {"name": "Two"}
