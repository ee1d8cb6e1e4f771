"""Running a piece of query work in a forked child, so that an engine crash takes only it down.

pyoxigraph (0.5.13, the latest) aborts the whole process on some ``ORDER BY`` queries: its sort
compares terms of mixed types (numbers and NaN, dates with and without a time zone...) by an
order that is not total, and Rust's sort stops with a panic that pyoxigraph cannot catch
(``SELECT ?v WHERE { ?s ?p ?v } ORDER BY ?v`` on the bundled data kills the process with
SIGABRT). Without a barrier, one anonymous query stops a worker and every request it holds.

:func:`run_forked` runs the work in a child made by ``fork()``: it shares the store with the
worker copy-on-write (nothing is copied up front), inherits its limits (address space, the
egress barrier), writes its output through a pipe as it goes, and hands back its return value or
its exception. A child that dies instead, by a signal or an exit without an answer, becomes an
:class:`~scidip_graph.errors.EngineFaultError` (500, in the one error shape) and the worker goes
on serving. The child dies with the thread that forked it (``PR_SET_PDEATHSIG``), so a worker
stopped at a time limit leaves no child running.

The server does not fork per query: :class:`Helper` is a child forked once per worker and
kept, as isolated, which the service sends every ``ORDER BY`` query to (a fork per query cost
some 30 ms at 100k triples, see the class). :func:`run_forked` remains for the rare request that
finds the helper busy.

The children write frames: one tag byte (``D`` data, ``R`` the pickled return value, ``E`` the
pickled exception; from the helper also ``S``, stale), a length, the payload. The helper reads
its requests as ``Q`` frames.

>>> chunks = []
>>> run_forked(lambda write: write(b"abc") or 42, sink=chunks.append), chunks
(42, [b'abc'])
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import functools
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable
from typing import Any, BinaryIO

from scidip_graph.errors import EngineFaultError

_HEADER = struct.Struct("<cQ")
_WORKING: dict[int, int] = {}
"""Thread (native id) -> the child evaluating for it now, while it waits: what a query turned
heavy lowers the priority of (the thread itself only waits)."""
_PR_SET_PDEATHSIG = 1
_CHUNK = 1 << 16


def run_forked(
    work: Callable[[Callable[[bytes], None]], Any],
    *,
    sink: Callable[[bytes], object],
    what: str = "the query",
) -> Any:
    """Run ``work(write)`` in a forked child; the bytes it writes reach ``sink`` here.

    Returns:
        What ``work`` returned (it must pickle).

    Raises:
        What ``work`` raised (re-raised here; an exception that does not pickle becomes a
        RuntimeError with its message), or EngineFaultError if the child died without an
        answer.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(work, write_end)
    os.close(write_end)
    outcome: tuple[bytes, bytes] | None = None
    _WORKING[threading.get_native_id()] = pid
    try:
        with os.fdopen(read_end, "rb") as pipe:
            while (frame := _read_frame(pipe)) is not None:
                if frame[0] == b"D":
                    sink(frame[1])
                else:
                    outcome = frame
    finally:
        _WORKING.pop(threading.get_native_id(), None)
        _, status = os.waitpid(pid, 0)
    if outcome is not None:
        tag, payload = outcome
        value = pickle.loads(payload)  # our own child's, through our own pipe
        if tag == b"E":
            raise value
        return value
    raise _fault(status, what)


def _fault(status: int, what: str) -> EngineFaultError:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        cause = f"signal {number} ({signal.Signals(number).name})"
    else:
        cause = f"exit status {os.WEXITSTATUS(status)}"
    return EngineFaultError(
        f"the query engine failed while evaluating {what} ({cause}); nothing else was affected",
        hint="a known fault of the engine: ORDER BY over values of mixed kinds (numbers with "
        "NaN, dates with and without a time zone, literals with IRIs) can crash its sort; "
        "order by STR(?x), or filter the values to one kind first",
        detail={"engine": "pyoxigraph", "cause": cause},
    )


def _child(work: Callable[[Callable[[bytes], None]], Any], fd: int) -> None:
    """The child's whole life: do the work, send the outcome, exit without cleanup."""
    code = 0
    try:
        _become_child()
        _answer(lambda write: work(write), fd)
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the worker's buffers


def _become_child() -> None:
    """What a forked child sets first: it dies with the thread that forked it, it leaves the
    worker's signal handlers, and a crash is reported by the worker, once, in its answer."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    faulthandler.disable()


def _send(fd: int, tag: bytes, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(tag, len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _answer(work: Callable[[Callable[[bytes], None]], Any], fd: int) -> None:
    """Run ``work`` and send what it writes, then its return value or its exception."""

    def write(data: bytes) -> None:
        for start in range(0, len(data), _CHUNK):
            _send(fd, b"D", bytes(data[start : start + _CHUNK]))

    try:
        value = work(write)
        _send(fd, b"R", pickle.dumps(value))
    except BaseException as err:  # handed to the parent, which raises it
        try:
            payload = pickle.dumps(err)
            pickle.loads(payload)  # an exception that pickles but cannot be rebuilt
        except Exception:
            payload = pickle.dumps(RuntimeError(str(err)))
        _send(fd, b"E", payload)


def _read_frame(pipe: BinaryIO) -> tuple[bytes, bytes] | None:
    """One frame from a pipe; None at its end (or a frame cut short by a death)."""
    header = pipe.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    tag, length = _HEADER.unpack(header)
    payload = pipe.read(length)
    return (tag, payload) if len(payload) == length else None


class Helper:
    """A child forked once and kept, running requests of one kind one after another.

    :func:`run_forked` forks for every request; the child then copies, page by page, the
    memory the engine writes as it reads the store (pyoxigraph does), which cost an ``ORDER
    BY`` query some 30 ms at 100k triples (13 ms in process, 43 ms forked). A helper pays
    that once: it is forked at its first request and answers the next ones from the pages
    it already has. It is as isolated as a one-off child: an engine crash takes only it down
    (:class:`~scidip_graph.errors.EngineFaultError`, and the next request forks a new one), it
    dies with the thread that forked it, and it holds no descriptor of the worker's (its
    clients' sockets would otherwise stay open in it).

    Each request carries the data version it is for. ``current()``, in the helper, says the
    version of its copy of the store; a helper with another version (the worker has changed
    since the fork) exits, and a fresh one, forked from the worker as it is now, takes the
    request.

    Args:
        serve: ``serve(request, write)``, run in the helper for each request: writes the
            answer's bytes and returns a value that pickles.
        current: run in the helper before each request: the data version it has.
        what: what the helper evaluates, for error messages.
    """

    def __init__(
        self,
        serve: Callable[[Any, Callable[[bytes], None]], Any],
        *,
        current: Callable[[], str],
        what: str = "the query",
    ) -> None:
        self._serve, self._current, self.what = serve, current, what
        self._pid = 0
        self._owner = -1  # the process that forked the helper
        self._requests = -1
        self._answers: BinaryIO | None = None
        self._lock = threading.Lock()

    def run(self, request: Any, *, version: str, sink: Callable[[bytes], object]) -> Any:
        """Have the helper serve ``request`` for data ``version``; what it writes reaches
        ``sink``. Returns what ``serve`` returned; raises what it raised, or EngineFaultError.

        While an earlier request still runs in the helper (its caller stopped waiting at a
        time limit, in a process that goes on serving), this one runs in a child of its own.
        """
        if not self._lock.acquire(blocking=False):
            return run_forked(lambda write: self._serve(request, write), sink=sink, what=self.what)
        try:
            for _ in range(2):  # the second time, in a helper forked for this version
                if self._owner != os.getpid():
                    self._start()
                _WORKING[threading.get_native_id()] = self._pid
                try:
                    _send(self._requests, b"Q", pickle.dumps((version, request)))
                    frame = self._receive(sink)
                except OSError:  # BrokenPipeError: the helper is gone
                    frame = None
                finally:
                    _WORKING.pop(threading.get_native_id(), None)
                if frame is None:
                    raise _fault(self._stop(), self.what)
                tag, payload = frame
                if tag == b"S":  # stale: a new helper sees the data as it is now
                    self._stop()
                    continue
                value = pickle.loads(payload)  # our own child's, through our own pipe
                if tag == b"E":
                    raise value
                return value
            raise RuntimeError("a freshly forked helper did not see the data version asked")
        finally:
            self._lock.release()

    def close(self) -> None:
        """Stop the helper, if this process has one (the next request forks a new one)."""
        with self._lock:
            if self._owner == os.getpid():
                self._stop()

    def __del__(self) -> None:
        # An app dropped with its service (tests make many) takes its helper with it.
        if self._owner == os.getpid():
            with contextlib.suppress(Exception):
                self._stop()

    def _receive(self, sink: Callable[[bytes], object]) -> tuple[bytes, bytes] | None:
        assert self._answers is not None
        while (frame := _read_frame(self._answers)) is not None:
            if frame[0] != b"D":
                return frame
            sink(frame[1])
        return None

    def _start(self) -> None:
        """Fork the helper (``run`` calls it when this process has none)."""
        if self._answers is not None:  # inherited from the process that forked this one
            with contextlib.suppress(OSError):
                self._answers.close()
                os.close(self._requests)
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: never returns
            self._loop(requests_read, answers_write)
        os.close(requests_read)
        os.close(answers_write)
        self._pid, self._owner = pid, os.getpid()
        self._requests, self._answers = requests_write, os.fdopen(answers_read, "rb")

    def _stop(self) -> int:
        """End the helper (if it has not ended) and reap it; its exit status."""
        status = 0
        if self._owner == os.getpid() and self._pid:
            with contextlib.suppress(OSError):
                os.close(self._requests)  # the helper reads the end of its requests and exits
            if self._answers is not None:
                self._answers.close()
            with contextlib.suppress(ChildProcessError):
                _, status = os.waitpid(self._pid, 0)
        self._pid, self._owner, self._answers = 0, -1, None
        return status

    def _loop(self, requests: int, answers: int) -> None:
        code = 0
        try:
            _become_child()
            # Every descriptor of the worker's but the standard streams and these pipes goes:
            # a client's socket held here would stay open after the worker closed it.
            for fd in _open_descriptors():
                if fd > 2 and fd not in (requests, answers):
                    with contextlib.suppress(OSError):
                        os.close(fd)
            with os.fdopen(requests, "rb") as pipe:
                while (frame := _read_frame(pipe)) is not None:
                    version, request = pickle.loads(frame[1])
                    if self._current() != version:
                        _send(answers, b"S", b"")
                        break
                    _answer(functools.partial(self._serve, request), answers)
        except BaseException:
            code = 1
        finally:
            os._exit(code)


def working_for(native_id: int) -> int | None:
    """The child evaluating for the thread ``native_id`` now (a helper or a one-off child), if
    that thread is waiting for one."""
    return _WORKING.get(native_id)


def _open_descriptors() -> list[int]:
    """This process's open file descriptors (Linux: /proc/self/fd; elsewhere up to 1024)."""
    try:
        return sorted(int(name) for name in os.listdir("/proc/self/fd"))
    except OSError:
        return list(range(3, 1024))


__all__ = ["Helper", "run_forked", "working_for"]
