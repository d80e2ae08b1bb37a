"""Run one call on a helper thread while the calling thread does something else (the
question's text work beside its encode, bot/engine.py).

Each calling thread has a helper of its own, woken through a queue. A shared
ThreadPoolExecutor did the same, but its submit cost 50-90 µs per question on the
critical path (a Future, a semaphore and a lock); a queue put costs under 10. A helper
stops when its calling thread ends."""
from __future__ import annotations

import queue
import threading
import weakref
from typing import Any, Callable


class _Helper:
    def __init__(self):
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=_serve, args=(self.inbox, self.outbox), name="beside", daemon=True).start()
        weakref.finalize(self, self.inbox.put, None)


def _serve(inbox: queue.SimpleQueue, outbox: queue.SimpleQueue) -> None:
    while (job := inbox.get()) is not None:
        call, args = job
        try:
            outbox.put((True, call(*args)))
        except BaseException as exc:  # handed to the caller, which raises it
            outbox.put((False, exc))


_helpers = threading.local()


class Pending:
    def __init__(self, helper: _Helper):
        self._helper = helper

    def result(self) -> Any:
        """The call's return value (or its exception, raised here). Call it exactly once:
        the helper's next answer is the next call's."""
        ok, value = self._helper.outbox.get()
        if not ok:
            raise value
        return value


def start(call: Callable, *args) -> Pending:
    helper = getattr(_helpers, "helper", None)
    if helper is None:
        helper = _helpers.helper = _Helper()
    helper.inbox.put((call, args))
    return Pending(helper)
