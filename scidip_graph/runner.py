"""Running a query under a hard time limit.

pyoxigraph cannot cancel a running query, and it releases the GIL while it evaluates. So the
query runs on a helper thread while the request thread waits with a deadline. When the deadline
passes the client is answered 503 at once; what stops the engine is the server: a pre-forked
worker whose query overran is marked *doomed* and exits after sending that answer, and the
server forks a fresh worker (see :mod:`scidip_graph.server`). A query that runs longer than
``heavy_after`` counts as heavy: its worker drops to low CPU priority, so light queries on
the other workers keep their speed, and only ``heavy_limit`` heavy queries may run at once.

>>> runner = Runner()
>>> runner.run(lambda: 42, timeout=1.0)
42
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import QueryTimeoutError, ScidipError

T = TypeVar("T")
log = logging.getLogger("scidip_graph.runner")


class BusyError(ScidipError):
    """Too many heavy queries at once: try again later."""

    status = 503
    code = "busy"


class HeavySlots:
    """Who is running a heavy query, shared by the worker processes.

    Backed by a ``multiprocessing`` array of process ids created before the workers fork; a
    slot whose process has died counts as free, so a killed worker never leaks a slot.
    """

    def __init__(self, limit: int, array: Any = None) -> None:
        self.limit = limit
        if array is None:
            import multiprocessing

            array = multiprocessing.Array("q", max(limit, 1) * 4)
        self._array = array

    def acquire(self) -> bool:
        """Take a slot for this process; False when ``limit`` heavy queries already run."""
        pid = os.getpid()
        with self._array.get_lock():
            busy = [i for i, p in enumerate(self._array) if p and _alive(p)]
            if len(busy) >= self.limit:
                return False
            free = next(i for i, p in enumerate(self._array) if i not in busy)
            self._array[free] = pid
            return True

    def release(self) -> None:
        """Give back this process's slot."""
        pid = os.getpid()
        with self._array.get_lock():
            for i, p in enumerate(self._array):
                if p == pid:
                    self._array[i] = 0

    def running(self) -> int:
        """How many heavy queries run now."""
        return sum(1 for p in self._array if p and _alive(p))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Runner:
    """Runs one job at a time on a helper thread, with a deadline.

    Attributes:
        doomed: set when a job overran (or ran heavy): the process should not serve again.
    """

    def __init__(
        self,
        *,
        heavy_after: float | None = None,
        heavy_slots: HeavySlots | None = None,
        on_heavy: Callable[[], None] | None = None,
    ) -> None:
        self.heavy_after = heavy_after
        self.heavy_slots = heavy_slots
        self.on_heavy = on_heavy or lower_priority
        self.doomed = False
        self._lock = threading.Lock()

    def run(
        self,
        job: Callable[[], T],
        *,
        timeout: float,
        on_expire: Callable[[ScidipError], Any] | None = None,
    ) -> T:
        """Run ``job`` and return its result, or raise when ``timeout`` seconds pass.

        ``on_expire`` is accepted for the same signature as the watchdog runner; this runner
        raises instead.

        Raises:
            QueryTimeoutError: the job overran; it is left running and the runner is doomed.
            BusyError: the job turned heavy while the heavy slots were all taken.
        """
        with self._lock:
            box: dict[str, Any] = {}
            done = threading.Event()

            def target() -> None:
                try:
                    box["value"] = job()
                except BaseException as err:  # re-raised on the request thread
                    box["error"] = err
                finally:
                    done.set()

            thread = threading.Thread(target=target, name="scidip-query", daemon=True)
            thread.start()
            heavy = False
            first_wait = timeout
            if self.heavy_after is not None and self.heavy_after < timeout:
                first_wait = self.heavy_after
            if not done.wait(first_wait):
                if first_wait < timeout:
                    heavy = self._turn_heavy()
                    if not done.wait(timeout - first_wait):
                        self.doomed = True
                        self._release(heavy)
                        raise timeout_error(timeout)
                else:
                    self.doomed = True
                    raise timeout_error(timeout)
            self._release(heavy)
            if "error" in box:
                raise box["error"]
            return box["value"]  # type: ignore[no-any-return]

    def _turn_heavy(self) -> bool:
        self.doomed = True  # low priority cannot be undone: this worker is replaced after
        if self.heavy_slots is not None and not self.heavy_slots.acquire():
            raise busy_error()
        self.on_heavy()
        return self.heavy_slots is not None

    def _release(self, heavy: bool) -> None:
        if heavy and self.heavy_slots is not None:
            self.heavy_slots.release()


def timeout_error(timeout: float) -> QueryTimeoutError:
    """The error of a query stopped at its time limit."""
    return QueryTimeoutError(
        f"the query was stopped at its time limit of {timeout:g} s",
        hint="narrow the query or add a LIMIT; the whole dataset is also available as a dump",
        detail={"timeout": timeout},
    )


def busy_error() -> BusyError:
    """The error of a query turned away because the heavy-query slots are all taken."""
    return BusyError(
        "the server is busy with long queries; try again shortly", detail={"retry_after": 5}
    )


def lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, 0, 10)
    except OSError as err:  # not fatal: the query still runs, at normal priority
        log.warning("could not lower the priority of a heavy query: %s", err)
