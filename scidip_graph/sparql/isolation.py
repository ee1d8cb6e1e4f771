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

The child writes frames: one tag byte (``D`` data, ``R`` the pickled return value, ``E`` the
pickled exception), a length, the payload.

>>> chunks = []
>>> run_forked(lambda write: write(b"abc") or 42, sink=chunks.append), chunks
(42, [b'abc'])
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import os
import pickle
import signal
import struct
from collections.abc import Callable
from typing import Any

from scidip_graph.errors import EngineFaultError

_HEADER = struct.Struct("<cQ")
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
    try:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                header = pipe.read(_HEADER.size)
                if len(header) < _HEADER.size:
                    break
                tag, length = _HEADER.unpack(header)
                payload = pipe.read(length)
                if len(payload) < length:
                    break
                if tag == b"D":
                    sink(payload)
                else:
                    outcome = (tag, payload)
    finally:
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
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the worker's handlers are not ours
        faulthandler.disable()  # a crash is reported by the worker, once, in its answer

        def send(tag: bytes, payload: bytes) -> None:
            view = memoryview(_HEADER.pack(tag, len(payload)) + payload)
            while view:
                view = view[os.write(fd, view) :]

        def write(data: bytes) -> None:
            for start in range(0, len(data), _CHUNK):
                send(b"D", bytes(data[start : start + _CHUNK]))

        try:
            value = work(write)
            send(b"R", pickle.dumps(value))
        except BaseException as err:  # handed to the parent, which raises it
            try:
                payload = pickle.dumps(err)
                pickle.loads(payload)  # an exception that pickles but cannot be rebuilt
            except Exception:
                payload = pickle.dumps(RuntimeError(str(err)))
            send(b"E", payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the worker's buffers


__all__ = ["run_forked"]
