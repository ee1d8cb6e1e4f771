"""Running a query under hard limits of time and memory, on a thread with room for the engine.

pyoxigraph cannot cancel a running query, and it releases the GIL while it evaluates. So the
query runs on the process's *engine thread* while the request thread waits with a deadline and
watches the process's memory. When a limit is passed the client is answered 503 at once; what
stops the engine is the server: a pre-forked worker whose query overran is marked *doomed* and
exits after sending that answer, and the server forks a fresh worker (see
:mod:`scidip_graph.server.prefork`). A query that runs longer than ``heavy_after`` counts as
heavy: the engine thread drops to low CPU priority (on Linux the nice value is per thread, so
it is the thread that runs the query that is reniced), so light queries on the other workers
keep their speed, and only ``heavy_limit`` heavy queries may run at once.

Why a thread of its own: the engine's parser and evaluator recurse once per level of the query's
tree. On the 8 MiB stack of a main thread, ``!!!...true`` crashed the process (SIGSEGV) at 9,342
levels, a sum at 6,881 terms, 2,616 BINDs or MINUS in a group (measured with pyoxigraph 0.5.13).
The engine thread has :data:`ENGINE_STACK` bytes of stack (address space, touched only as used),
64 times more; the policy's depth and chain limits keep queries far below both.

Why memory is watched from outside: a cartesian product sorted, or strings doubled by BIND,
grew a worker by gigabytes within seconds. The request thread samples the process's anonymous
resident memory every :data:`SAMPLE_SECONDS` while a query runs and stops it past
``memory_limit`` bytes of growth, like a timeout.

>>> runner = Runner()
>>> runner.run(lambda: 42, timeout=1.0)
42
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from scidip_graph.errors import BusyError, QueryMemoryError, QueryTimeoutError
from scidip_graph.sparql.isolation import working_for

T = TypeVar("T")
log = logging.getLogger("scidip_graph.sparql.runner")

ENGINE_STACK = 512 * 1024 * 1024
"""Stack of the engine thread, in bytes: address space reserved, memory used only as touched."""
SAMPLE_SECONDS = 0.02
"""How often the memory of a running query is sampled."""
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_STACK_LOCK = threading.Lock()


KNOWN_HEAVY = 256
"""How many fingerprints of queries that turned heavy the workers remember (the oldest go)."""


class HeavySlots:
    """Who is running a heavy query, and which queries turned heavy, shared by the workers.

    Backed by ``multiprocessing`` arrays created before the workers fork: the process ids
    holding a slot (a slot whose process has died counts as free, so a killed worker never
    leaks a slot), and the fingerprints of the last :data:`KNOWN_HEAVY` queries that turned
    heavy, so that one sent again while every slot is taken is refused at once instead of
    holding a worker until it turns heavy once more (a client resending a refused query kept
    one of two workers busy and light queries waited seconds).
    """

    def __init__(self, limit: int, array: Any = None, known: Any = None) -> None:
        self.limit = limit
        import multiprocessing

        if array is None:
            array = multiprocessing.Array("q", max(limit, 1) * 4)
        if known is None:
            known = multiprocessing.Array("q", KNOWN_HEAVY + 1)  # [0]: where the next goes
        self._array = array
        self._known = known

    def remember(self, fingerprint: int) -> None:
        """Note that the query of ``fingerprint`` turned heavy."""
        with self._known.get_lock():
            if fingerprint in self._known[1:]:
                return
            at = self._known[0]
            self._known[1 + at] = fingerprint
            self._known[0] = (at + 1) % KNOWN_HEAVY

    def refuses(self, fingerprint: int) -> bool:
        """Whether a query should be turned away before it runs: it turned heavy before and
        every heavy slot is taken (it would only hold a worker until it is refused)."""
        return self.running() >= self.limit and fingerprint in self._known[1:]

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
        """How many heavy queries run now (every query asks: the array read in one slice, one
        lock taken, rather than a lock per element)."""
        return sum(1 for p in self._array[:] if p and _alive(p))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class _Job(Generic[T]):
    work: Callable[[], T]
    done: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None


class _EngineThread:
    """One long-lived thread with a large stack that runs jobs one after another."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[_Job[Any]] = queue.SimpleQueue()
        self.busy = False
        with _STACK_LOCK:  # stack_size() applies to threads started after it: set, start, reset
            previous = threading.stack_size(ENGINE_STACK)
            try:
                self.thread = threading.Thread(target=self._loop, name="scidip-engine", daemon=True)
                self.thread.start()
            finally:
                threading.stack_size(previous)

    def _loop(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                job.value = job.work()
            except BaseException as err:  # handed to the request thread, which re-raises it
                job.error = err
            finally:
                self.busy = False
                job.done.set()


class Runner:
    """Runs jobs on the engine thread, with a deadline and a memory budget.

    Args:
        heavy_after: seconds after which a running job counts as heavy.
        heavy_slots: the heavy slots shared by the workers (None: no limit).
        memory_limit: bytes the process may grow by while one job runs (None: no limit).
        on_heavy: called with the engine thread's native id when a job turns heavy
            (by default: lower that thread's CPU priority).

    Attributes:
        doomed: set once a job overran, outgrew its memory or ran heavy: the process should not
            serve again (the pre-fork server replaces it after the response).
    """

    def __init__(
        self,
        *,
        heavy_after: float | None = None,
        heavy_slots: HeavySlots | None = None,
        memory_limit: int | None = None,
        on_heavy: Callable[[int], None] | None = None,
    ) -> None:
        self.heavy_after = heavy_after
        self.heavy_slots = heavy_slots
        self.memory_limit = memory_limit
        self.on_heavy = on_heavy or lower_priority
        self.doomed = False
        self._lock = threading.Lock()
        self._engine: _EngineThread | None = None
        self._engine_pid = -1
        self._start_memory = 0

    def run(self, job: Callable[[], T], *, timeout: float, fingerprint: int | None = None) -> T:
        """Run ``job`` on the engine thread and return its result, or raise at a limit.

        ``fingerprint`` names the work (a query and its dataset): work that turned heavy
        before is refused at once while the heavy slots are all taken.

        Raises:
            QueryTimeoutError: the job overran; it is left running and the runner is doomed.
            QueryMemoryError: the process grew past ``memory_limit``; likewise.
            BusyError: the job turned heavy while the heavy slots were all taken, or it is
                known to turn heavy and they are.
        """
        slots = self.heavy_slots
        if fingerprint is not None and slots is not None and slots.refuses(fingerprint):
            raise busy_error(known=True)
        with self._lock:
            engine = self._thread()
            task: _Job[T] = _Job(job)
            start = time.monotonic()
            deadline = start + timeout
            heavy_at = start + self.heavy_after if self.heavy_after is not None else None
            baseline = anonymous_memory() if self.memory_limit is not None else 0
            heavy = False
            engine.busy = True
            engine.jobs.put(task)
            try:
                while True:
                    now = time.monotonic()
                    wake = deadline if heavy_at is None or heavy else min(heavy_at, deadline)
                    if self.memory_limit is not None:
                        wake = min(wake, now + SAMPLE_SECONDS)
                    if task.done.wait(max(wake - now, 0.0)):
                        break
                    now = time.monotonic()
                    if now >= deadline:
                        self.doomed = True
                        raise timeout_error(timeout)
                    if self.memory_limit is not None:
                        grown = anonymous_memory() - baseline
                        if grown > self.memory_limit:
                            self.doomed = True
                            raise memory_error(self.memory_limit, grown)
                    if heavy_at is not None and not heavy and now >= heavy_at:
                        heavy = self._turn_heavy(engine, fingerprint)
            finally:
                if heavy and self.heavy_slots is not None:
                    self.heavy_slots.release()
            if self.memory_limit is not None:
                self._settle(baseline)
            if task.error is not None:
                raise task.error
            return task.value  # type: ignore[no-any-return]

    def _settle(self, baseline: int) -> None:
        """After a job: give back what it freed; past the budget since start, retire."""
        now = anonymous_memory()
        if now - baseline > 64 * 2**20:
            release_free_memory()
            now = anonymous_memory()
        assert self.memory_limit is not None
        if now - self._start_memory > self.memory_limit:  # what one query left behind adds up
            self.doomed = True

    def _thread(self) -> _EngineThread:
        # Threads do not survive fork, and a thread still busy with an overrun job (when no
        # server stops this process) must not delay the next one: either way, a new thread.
        if self._engine is None or self._engine_pid != os.getpid() or self._engine.busy:
            if self._engine_pid != os.getpid():
                self._start_memory = anonymous_memory()
            self._engine = _EngineThread()
            self._engine_pid = os.getpid()
        return self._engine

    def _turn_heavy(self, engine: _EngineThread, fingerprint: int | None) -> bool:
        self.doomed = True  # low priority cannot be undone: this worker is replaced after
        if self.heavy_slots is not None and fingerprint is not None:
            self.heavy_slots.remember(fingerprint)
        if self.heavy_slots is not None and not self.heavy_slots.acquire():
            raise busy_error()
        native_id = engine.thread.native_id
        if native_id is not None:
            self.on_heavy(native_id)
        return self.heavy_slots is not None


def anonymous_memory() -> int:
    """Bytes of this process's resident memory that are not file-backed (Linux; else 0).

    Pages shared copy-on-write with the server's master count already at fork, so reading the
    store does not grow it; new allocations do. The file stays open: opening it costs more
    than a light query.
    """
    global _STATM
    pid = os.getpid()
    try:
        if _STATM is None or _STATM[0] != pid:
            _STATM = (pid, os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC))
        fields = os.pread(_STATM[1], 128, 0).split()
    except OSError:
        return 0
    return (int(fields[1]) - int(fields[2])) * _PAGE


_STATM: tuple[int, int] | None = None


def release_free_memory() -> None:
    """Give freed heap memory back to the system (glibc's malloc_trim; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def timeout_error(timeout: float) -> QueryTimeoutError:
    """The error of a query stopped at its time limit."""
    return QueryTimeoutError(
        f"the query was stopped at its time limit of {timeout:g} s",
        hint="narrow the query or add a LIMIT; the whole dataset is also available as a dump",
        detail={"timeout": timeout},
    )


def memory_error(limit: int, grown: int) -> QueryMemoryError:
    """The error of a query stopped at its memory budget."""
    return QueryMemoryError(
        f"the query was stopped at its memory limit of {limit // 2**20:,} MiB "
        f"(it had taken {grown // 2**20:,} MiB)",
        hint="narrow the query (fewer joined patterns, a LIMIT, no ORDER BY over everything); "
        "the whole dataset is also available as a dump",
        detail={"limit": limit, "used": grown, "setting": "SCIDIP_QUERY_MEMORY"},
    )


def busy_error(*, known: bool = False) -> BusyError:
    """The error of a query turned away because the heavy-query slots are all taken (``known``:
    before it ran, since it turned heavy before)."""
    if known:
        return BusyError(
            "the server is busy with long queries, and this query took long before; "
            "try again shortly",
            detail={"retry_after": 5, "known_heavy": True},
        )
    return BusyError(
        "the server is busy with long queries; try again shortly", detail={"retry_after": 5}
    )


def lower_priority(native_id: int) -> None:
    """Lower the CPU priority of one thread (Linux nice values are per thread), and of the
    child that evaluates for it, if it waits for one (an ``ORDER BY`` runs in the sorting
    helper, :mod:`scidip_graph.sparql.isolation`; the helper goes with its worker, which a
    heavy query dooms, so its lowered priority is not undone)."""
    child = working_for(native_id)
    for who in (native_id, child):
        if who is None:
            continue
        try:
            os.setpriority(os.PRIO_PROCESS, who, 10)
        except OSError as err:  # not fatal: the query still runs, at normal priority
            log.warning("could not lower the priority of a heavy query: %s", err)
