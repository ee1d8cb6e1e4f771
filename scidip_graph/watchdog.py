"""A time limit without a thread handoff: the query runs on the request thread, watched.

The thread-based :class:`~scidip_graph.runner.Runner` costs a thread start and two context
switches per query, most of a millisecond: more than a lookup by IRI takes. Inside a pre-forked
worker there is a cheaper way, because a worker whose query overruns is stopped anyway: the
query runs inline, and one watchdog thread per worker sleeps until the deadline. If the query
finishes first, the watchdog is disarmed (a lock and a notify). If not, the watchdog answers
the client itself (``on_expire`` writes the 503 on the request's socket) and stops the process,
which is what really stops the engine. The same watchdog turns a long query heavy: lower CPU
priority and a heavy slot, or, when the slots are taken, 503 with ``Retry-After``.

>>> WatchdogRunner().run(lambda: 42, timeout=1.0, on_expire=lambda err: None)
42
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import ScidipError
from .runner import HeavySlots, Runner, busy_error, timeout_error

T = TypeVar("T")


class WatchdogRunner(Runner):
    """Runs jobs inline under a watchdog; without ``on_expire``, as the thread :class:`Runner`.

    Attributes:
        doomed: set once a job ran heavy or overran: this worker is replaced after the request.
    """

    def __init__(
        self,
        *,
        heavy_after: float | None = None,
        heavy_slots: HeavySlots | None = None,
        on_heavy: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(heavy_after=heavy_after, heavy_slots=heavy_slots, on_heavy=on_heavy)
        self._cond = threading.Condition()
        self._job: tuple[float, float | None, Callable[[ScidipError], Any]] | None = None
        self._timeout = 0.0
        self._heavy = False
        self._thread_pid = -1

    def run(
        self,
        job: Callable[[], T],
        *,
        timeout: float,
        on_expire: Callable[[ScidipError], Any] | None = None,
    ) -> T:
        """Run ``job`` inline; past ``timeout`` seconds, ``on_expire`` gets the 503 error.

        ``on_expire`` is expected not to return (it answers and stops the process). Without
        it the job runs on a thread, as :meth:`Runner.run` does.
        """
        if on_expire is None:
            return super().run(job, timeout=timeout)
        self._ensure_thread()
        now = time.monotonic()
        heavy_at = now + self.heavy_after if self.heavy_after is not None else None
        with self._cond:
            self._job = (now + timeout, heavy_at, on_expire)
            self._timeout = timeout
            self._cond.notify()
        try:
            return job()
        finally:
            with self._cond:
                self._job = None
                if self._heavy:
                    self._heavy = False
                    if self.heavy_slots is not None:
                        self.heavy_slots.release()

    def _ensure_thread(self) -> None:
        # Threads do not survive fork: each worker starts its own watchdog on first use.
        if self._thread_pid != os.getpid():
            self._thread_pid = os.getpid()
            self._cond = threading.Condition()
            threading.Thread(target=self._watch, name="scidip-watchdog", daemon=True).start()

    def _watch(self) -> None:
        with self._cond:
            while True:
                if self._job is None:
                    self._cond.wait()
                    continue
                deadline, heavy_at, on_expire = self._job
                now = time.monotonic()
                if now >= deadline:
                    self.doomed = True
                    on_expire(timeout_error(self._timeout))
                    self._job = None
                    continue
                if heavy_at is not None and now >= heavy_at and not self._heavy:
                    self.doomed = True  # low priority cannot be undone: replace this worker
                    if self.heavy_slots is not None and not self.heavy_slots.acquire():
                        on_expire(busy_error())
                        self._job = None
                        continue
                    self._heavy = True
                    self.on_heavy()
                    continue
                wake = deadline if self._heavy or heavy_at is None else min(deadline, heavy_at)
                self._cond.wait(wake - now)
