"""BackgroundKick: the local stack's MailKick. Delivers the outbox right after the request that filled it,
on one daemon thread of the API process, so a person trying the local stack reads the mail at once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("containerstacks.support.mail")
IDLE_SECONDS = 30.0  # the thread ends after this long without a wake-up


class BackgroundKick:
    """`wake()` returns at once; `work` runs on the worker thread (started on first use) until no wake-up is
    pending. Wake-ups during a run are folded into one more run. Exceptions are logged, never raised: the
    schedule delivers whatever a failed run left."""

    def __init__(self, work: Callable[[], object], name: str = "mail-kick") -> None:
        self._work = work
        self._name = name
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        self._wanted.set()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            if not self._wanted.wait(timeout=IDLE_SECONDS):
                with self._lock:  # a wake-up after this check starts a new thread
                    if not self._wanted.is_set():
                        self._thread = None
                        return
                continue
            self._wanted.clear()
            try:
                self._work()
            except Exception:
                log.exception("delivering mail right away failed; the schedule will deliver it")
