"""What an archive holds: a test restore matches only when every file came back byte for byte."""

from __future__ import annotations

import io
import tarfile
from datetime import UTC, datetime, timedelta

from chalicelib.domain.backups.archive import facts_of, file_count, manifest
from chalicelib.domain.backups.entities import METER_KIND
from chalicelib.domain.billing.entities import GIB, HOURS_PER_MONTH, Meter, MeterUsage, Pricing, rate_meter
from chalicelib.domain.billing.metering import kind_label


def archive(files: dict[str, bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"backup/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    out.seek(0)
    return out


def test_the_same_files_match_and_one_changed_byte_does_not() -> None:
    original = manifest(archive({"data/a.txt": b"hello", "data/b": b"x"}))
    assert manifest(archive({"data/a.txt": b"hello", "data/b": b"x"})) == original
    assert manifest(archive({"data/a.txt": b"hellp", "data/b": b"x"})) != original
    assert manifest(archive({"data/a.txt": b"hello"})) != original
    assert file_count(original) == 2


def test_facts_are_the_size_and_sha256_of_the_bytes() -> None:
    facts = facts_of(io.BytesIO(b"abc"))
    assert facts.size_bytes == 3
    assert facts.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_backup_storage_is_billed_per_gib_month_pro_rated() -> None:
    # Given a 1 GiB archive kept for a whole month (730 hours) at the storage price
    start = datetime(2026, 11, 1, tzinfo=UTC)
    meter = Meter("org", "b1", METER_KIND, "db (b1)", (MeterUsage(at=start, storage_bytes=GIB),), None, None)
    pricing = Pricing(storage_gib_month_micros=100_000)
    # Then a month costs the GiB-month price, and half a month half of it
    month = rate_meter(meter, pricing, start + timedelta(hours=HOURS_PER_MONTH))
    half = rate_meter(meter, pricing, start + timedelta(hours=HOURS_PER_MONTH / 2))
    assert month is not None and half is not None
    assert month.cents == 10
    assert half.cents == 5
    assert kind_label(METER_KIND) == "Backup storage"
