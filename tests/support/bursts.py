"""Bursts of parallel requests that really overlap, however fast or loaded the machine is.

A password check of the burst waits (`hold_check`, called from inside the hasher) until every request of
the burst is either being checked or has been answered. So all of them arrive while the first checks are
still running, which is the race a limit written after the check loses. No sleeps, no timing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
# Only a safety net: a broken limit must fail the test, not hang it.
WAIT_SECONDS = 60.0


class Burst:
    """Run requests on threads at once; count and hold the password checks they cause."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._total = 0
        self._answered = 0
        self.checks = 0

    def hold_check(self) -> None:
        """Called at the start of every password check: count it, and wait for the rest of the burst."""
        with self._cond:
            self.checks += 1
            self._cond.notify_all()
            self._cond.wait_for(lambda: self.checks + self._answered >= self._total, timeout=WAIT_SECONDS)

    def wait_for_checks(self, count: int) -> None:
        """Block until `count` password checks are running (for a request sent after the limit is hit)."""
        with self._cond:
            self._cond.wait_for(lambda: self.checks >= count, timeout=WAIT_SECONDS)

    def run(self, requests: list[Callable[[], T]]) -> list[T]:
        """Each request on its own thread, all started together; their results in the same order."""
        with self._cond:
            self._total, self._answered, self.checks = len(requests), 0, 0
        start = threading.Barrier(len(requests))

        def send(request: Callable[[], T]) -> T:
            start.wait(timeout=WAIT_SECONDS)
            try:
                return request()
            finally:
                with self._cond:
                    self._answered += 1
                    self._cond.notify_all()

        with ThreadPoolExecutor(max_workers=len(requests)) as pool:
            return list(pool.map(send, requests))
