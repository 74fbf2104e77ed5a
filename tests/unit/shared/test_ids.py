"""ULIDs: time-ordered, random, fixed length."""

from __future__ import annotations

from chalicelib.domain.shared.ids import new_ulid


def test_ulids_sort_by_creation_time_and_do_not_repeat() -> None:
    earlier = [new_ulid(now_ms=1_700_000_000_000) for _ in range(100)]
    later = new_ulid(now_ms=1_700_000_000_001)
    assert len(set(earlier)) == 100
    assert all(len(u) == 26 and u < later for u in earlier)
