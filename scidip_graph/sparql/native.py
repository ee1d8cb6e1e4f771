"""SELECT results through pyoxigraph's own serialiser, several times faster than ours.

Used while a result is within the caps, which is nearly always: rows are counted on the output,
and a result over a cap makes the caller run the query again through the capped writers of
:mod:`.writers`.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import traceback
from collections.abc import Callable
from typing import Any, BinaryIO, ParamSpec, TypeVar

import pyoxigraph as ox

from scidip_graph.rdf.formats import Format

_P = ParamSpec("_P")
_T = TypeVar("_T")


def drops_its_result(write: Callable[_P, _T]) -> Callable[_P, _T]:
    """Make a writer drop the pyoxigraph result it was given before its error leaves it.

    pyoxigraph frees a result only on the thread that made it, and the frames of a traceback
    that hold one may be freed on another thread (the request thread re-raises the query
    thread's errors): so those frames are cleared here, on the query thread.
    """

    @functools.wraps(write)
    def writer(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return write(*args, **kwargs)
        except BaseException as err:
            traceback.clear_frames(err.__traceback__)
            del args, kwargs
            raise

    return writer


NATIVE_BYTES = 32 * 1024 * 1024
"""Past this much output the native attempt stops and the capped Python writer takes over."""


class _TooBig(Exception):
    """Raised inside pyoxigraph's serialiser to stop it (see :class:`_Bounded`)."""


class _Bounded:
    """A write target that refuses more than ``limit`` bytes."""

    def __init__(self, out: BinaryIO, limit: int) -> None:
        self.out, self.limit, self.size, self.exceeded = out, limit, 0, False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.exceeded = True
            raise _TooBig
        return self.out.write(data)

    def flush(self) -> None:
        """Nothing to flush."""


@drops_its_result
def write_solutions_natively(
    result: ox.QuerySolutions,
    fmt: Format,
    out: Any,
    *,
    max_rows: int | None,
    max_bytes: int | None = None,
) -> int | None:
    """Write SELECT results with pyoxigraph's serialiser; the number of rows, or None.

    None means the result is over ``max_rows`` (or over ``max_bytes`` or :data:`NATIVE_BYTES`):
    ``out`` then holds an incomplete document, and the caller runs the query again through the
    capped :func:`~scidip_graph.sparql.writers.write_result`. Rows are counted on the output, at
    C speed, in a way each format makes unambiguous (TSV has no raw newline in a value, XML no
    raw ``<``).

    >>> from scidip_graph.store import OxigraphStore
    >>> from scidip_graph.rdf.formats import get_format
    >>> import io
    >>> buf = io.BytesIO()
    >>> write_solutions_natively(OxigraphStore().select("SELECT ?x { VALUES ?x { 1 2 } }"),
    ...                          get_format("tsv"), buf, max_rows=5), buf.getvalue()
    (2, b'?x\\n1\\n2\\n')
    """
    bounded = _Bounded(out, NATIVE_BYTES if max_bytes is None else min(max_bytes, NATIVE_BYTES))
    try:
        result.serialize(bounded, format=getattr(ox.QueryResultsFormat, fmt.oxigraph or ""))  # type: ignore[arg-type]  # a write()-only file object
    except Exception:
        if bounded.exceeded:
            return None
        raise
    data = out.getvalue()
    rows = count_rows(data, fmt)
    return rows if max_rows is None or rows <= max_rows else None


def count_rows(data: bytes, fmt: Format) -> int:
    """How many solutions a serialised SELECT result holds.

    >>> from scidip_graph.rdf.formats import get_format
    >>> count_rows(b'x\\r\\n"a\\nb"\\r\\nc\\r\\n', get_format("csv"))
    2
    """
    if fmt.name == "tsv":
        return max(data.count(b"\n") - 1, 0)
    if fmt.name == "xml-results":
        return data.count(b"<result>")
    if fmt.name == "csv":
        return max(sum(1 for _ in csv.reader(io.StringIO(data.decode(), newline=""))) - 1, 0)
    return len(json.loads(data)["results"]["bindings"])
