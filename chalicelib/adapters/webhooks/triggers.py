"""Ways to attempt new deliveries right away without making the caller wait (DeliveryTrigger adapters)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict

from chalicelib.domain.notifications.entities import DeliveryRef

log = logging.getLogger(__name__)


class NoTrigger:
    """Leaves new deliveries to the schedule (within a minute)."""

    def deliver_soon(self, refs: list[DeliveryRef]) -> None:
        return None


class ThreadTrigger:
    """The local stack and tests: a daemon thread of this process attempts them."""

    def __init__(self, deliver: Callable[[list[DeliveryRef]], object]) -> None:
        self._deliver = deliver
        self.threads: list[threading.Thread] = []

    def deliver_soon(self, refs: list[DeliveryRef]) -> None:
        if not refs:
            return
        thread = threading.Thread(target=self._run, args=(list(refs),), name="webhook-delivery", daemon=True)
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()

    def _run(self, refs: list[DeliveryRef]) -> None:
        try:
            self._deliver(refs)
        except Exception:
            log.exception("immediate webhook delivery failed; the schedule will retry")

    def join(self, timeout: float = 30.0) -> None:
        """Wait for the deliveries started so far (tests)."""
        for thread in list(self.threads):
            thread.join(timeout)


class LambdaTrigger:
    """AWS: an asynchronous invocation of the delivery function (Lambda queues it; the caller goes on)."""

    def __init__(self, function_name: str, region: str) -> None:
        self._function_name = function_name
        self._region = region

    def deliver_soon(self, refs: list[DeliveryRef]) -> None:
        if not refs:
            return
        from chalicelib.adapters.aws.clients import client

        payload = json.dumps({"deliveries": [asdict(ref) for ref in refs]}).encode()
        try:
            client("lambda", self._region).invoke(
                FunctionName=self._function_name, InvocationType="Event", Payload=payload
            )
        except Exception as exc:  # the schedule delivers them anyway
            log.warning("could not invoke %s for %d deliveries: %s", self._function_name, len(refs), exc)
