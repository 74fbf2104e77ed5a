"""Background threads that call something on a fixed cadence (schedules, periodic snapshots)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial

from devstack.lambda_dispatch import invoke_handler, is_expected

logger = logging.getLogger(__name__)


class Every:
    """Calls `action` every `seconds` on a daemon thread; exceptions are logged and the cadence goes on."""

    def __init__(self, seconds: float, action: Callable[[], object], name: str) -> None:
        self._seconds = seconds
        self._action = action
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Start the cadence; the first call happens after one interval."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the cadence and wait for a running call to finish."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(self._seconds):
            try:
                self._action()
            except Exception as exc:
                if is_expected(exc):  # its reason on one line; a traceback only for a bug
                    logger.warning(
                        "%s: %s: %s (again in %ss)", self._thread.name, type(exc).__name__, exc, self._seconds
                    )
                else:
                    logger.exception("%s failed; trying again in %ss", self._thread.name, self._seconds)


def scheduled_event(key: str) -> dict[str, object]:
    """The EventBridge scheduled event a handler receives in AWS."""
    return {
        "source": "aws.events",
        "detail-type": "Scheduled Event",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": [f"devstack:schedule/{key}"],
        "detail": {},
    }


def schedule_runners(schedules: Mapping[str, int]) -> list[Every]:
    """One Every per scheduled registry key, calling its handler with a scheduled event."""
    return [
        Every(seconds, partial(run_scheduled, key), f"schedule-{key}") for key, seconds in schedules.items()
    ]


def run_scheduled(key: str) -> object:
    """Call the scheduled handler `key` once, as EventBridge would."""
    return invoke_handler(key, scheduled_event(key))
