"""Loads at scale: one large file streamed into the store in batches, each through the gate.

:func:`stream_load` reads an N-Triples, N-Quads, Turtle or TriG file (plain or ``.gz``) as it
parses it, never whole, and commits it in batches of about ``batch`` quads: each batch is
checked by the SHACL gate on the would-be state and committed as a changeset of its own
through the write core (:func:`~scidip_graph.sparql.update.commit_change`), on either backend.
A batch is cut where the subject changes, so that a node whose triples stand together in the
file is checked whole. What a batch needs that comes later in the file (an organisation an
example names, described further down) is not there yet when the batch is checked: order the
file so, or give a bigger batch, or load it whole (:mod:`.bulk_load`).

**Resumable.** Each batch's changeset message names the file, its size and SHA-256, the batch
size and the batch's number: the record is in the change log, written by the same commit as
the batch. A rerun of the same file (same digest, same batch size) reads the log, skips the
batches committed before (parsing them again, which is cheap, but writing nothing), and goes
on from the next one; it ends with exactly the data of one uninterrupted load. Blank nodes are
named by the file's digest and their order in it, so a rerun names them as the first run did.

Where the triples go, as for :mod:`.bulk_load`: a graph file (Turtle, N-Triples) into the
named graph ``graph:{stem}`` (``data.nt.gz``: ``graph:data``), a dataset file (N-Quads, TriG)
into the graphs it names.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from scidip_graph.errors import DataSyntaxError, UsageError
from scidip_graph.ingest.loading import relabel
from scidip_graph.ingest.views import QuadSource
from scidip_graph.namespaces import GRAPH
from scidip_graph.rdf.formats import Format, by_extension
from scidip_graph.sparql.bulk_load import Progress, Step
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.update import commit_change
from scidip_graph.store import Store

DEFAULT_BATCH = 50_000
"""Quads per batch by default."""
STRETCH = 2
"""A batch grows to the end of its subject, up to this many times ``batch`` quads."""
CHUNK = 1 << 20
_BATCH_NUMBER = re.compile(r": batch (\d+) ")


@dataclass(frozen=True)
class StreamResult:
    """What a streamed load did.

    Attributes:
        path: the file.
        digest: its SHA-256 (of the bytes on disk, compressed or not).
        batches: the batches of the file.
        resumed: batches an earlier run had committed, skipped by this one.
        quads: quads read from the file.
        added: quads this run added (those already in the store are not added again).
        changesets: the changesets this run committed, one per batch that added something.
        warnings: the gate's non-blocking results, over every batch.
    """

    path: Path
    digest: str
    batches: int
    resumed: int
    quads: int
    added: int
    changesets: list[int]
    warnings: int


def stream_load(
    store: Store,
    path: Path,
    *,
    curator: Curator,
    batch: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> StreamResult:
    """Stream one file into ``store`` in batches, each through the gate, resuming after the
    batches an earlier run of the same file committed.

    Args:
        store: a writable store (a data folder's, or a remote store).
        path: the file (``.nt``, ``.nq``, ``.ttl``, ``.trig``, each maybe ``.gz``).
        curator: who loads, as the change log names them.
        batch: quads per batch (a batch ends with its subject's triples).
        progress: called after each batch with the bytes of the file read so far.

    Raises:
        UsageError: the file cannot be read, or its format cannot be streamed; a batch of 0.
        DataSyntaxError: the file does not parse (line and column); the batches before the
            error stay committed, and a rerun of the fixed file starts over (a new digest).
        NotConformingError: a batch does not conform (the report names it); the batches
            before it stay committed, and a rerun resumes at that batch.
    """
    if batch < 1:
        raise UsageError("a batch holds at least one quad")
    fmt = streamed_format(path)
    report = progress or (lambda step: None)
    started = time.perf_counter()
    size, digest = _size_and_digest(path)
    key = f"stream load {path.name} ({size} bytes, sha256 {digest}) in batches of {batch}"
    done = max((_batch_number(m) for m in store.logged_messages(key + ": ")), default=0)
    added = quads = number = warnings = 0
    changesets: list[int] = []
    with path.open("rb") as raw:
        source: IO[bytes] = (
            gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw  # type: ignore[assignment]
        )
        parsed = _quads(source, fmt, path, prefix=f"load-{digest[:16]}")
        for number, quads_of_batch in enumerate(_batches(parsed, batch), start=1):
            first = quads + 1
            quads += len(quads_of_batch)
            if number <= done:
                report(_step(raw.tell(), size, f"batch {number}: committed before", started))
                continue
            message = f"{key}: batch {number} (quads {first}-{quads})"
            result = _commit(store, quads_of_batch, curator=curator, message=message)
            added += result[0]
            warnings += result[2]
            if result[1]:
                changesets.append(result[1])
            note = f"batch {number}: {result[0]:,} quads added"
            report(_step(raw.tell(), size, note, started))
    report(_step(size, size, f"{number} batches, {quads:,} quads", started))
    return StreamResult(path, digest, number, min(done, number), quads, added, changesets, warnings)


def streamed_format(path: Path) -> Format:
    """The format of a file to stream, by its extension before any ``.gz``.

    >>> streamed_format(Path("dump.nq.gz")).name, streamed_format(Path("a.ttl")).name
    ('nquads', 'turtle')

    Raises:
        UsageError: an extension of no RDF format, or of one that is not read as a stream.
    """
    suffix = Path(path.stem).suffix if path.suffix == ".gz" else path.suffix
    fmt = by_extension(suffix)
    if fmt.name not in ("ntriples", "nquads", "turtle", "trig"):
        raise UsageError(
            f"{path.name}: {fmt.name} is not loaded in batches",
            hint="Batches stream N-Triples, N-Quads, Turtle or TriG (plain or .gz); load "
            "other formats whole (without --batch).",
        )
    return fmt


def _step(done: int, total: int, note: str, started: float) -> Step:
    return Step("batch", min(done, total), total, "bytes", note, time.perf_counter() - started)


def _commit(
    store: Store, batch: list[ox.Quad], *, curator: Curator, message: str
) -> tuple[int, int, int]:
    """Commit the quads of one batch the store lacks: (added, changeset or 0, warnings)."""
    with store.writing():
        store.refresh()
        before = store.view()
        added = [q for q in dict.fromkeys(batch) if not _has(before, q)]
        result = commit_change(
            store, before, added, [], curator=curator, message=message, what="batch"
        )
    return result.added, result.changeset, len(result.warnings)


def _has(source: QuadSource, quad: ox.Quad) -> bool:
    found = source.quads_for_pattern(quad.subject, quad.predicate, quad.object, quad.graph_name)
    return next(iter(found), None) is not None


def _batch_number(message: str) -> int:
    found = _BATCH_NUMBER.search(message)
    return int(found.group(1)) if found else 0


def _size_and_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        return path.stat().st_size, digest.hexdigest()
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror}") from None


def _quads(source: IO[bytes], fmt: Format, path: Path, *, prefix: str) -> Iterator[ox.Quad]:
    """The file's quads as they are parsed, in their graphs, blank nodes renamed in order."""
    own = ox.NamedNode(str(GRAPH[Path(path.stem).stem if path.suffix == ".gz" else path.stem]))
    parsed = ox.parse(source, format=getattr(ox.RdfFormat, fmt.oxigraph or ""))
    try:
        yield from relabel(parsed, prefix, own if fmt.kind == "graph" else None)
    except SyntaxError as err:
        raise DataSyntaxError(
            str(err.msg), source=str(path), line=err.lineno, column=err.offset
        ) from None
    except (OSError, EOFError) as err:  # a truncated or corrupt .gz
        raise DataSyntaxError(f"cannot read the file: {err}", source=str(path)) from None


def _batches(quads: Iterator[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    """Lists of ``size`` quads or a few more: a batch ends where its last subject does
    (within :data:`STRETCH` times ``size``)."""
    batch: list[ox.Quad] = []
    for q in quads:
        if len(batch) >= size and (q.subject != batch[-1].subject or len(batch) >= STRETCH * size):
            yield batch
            batch = []
        batch.append(q)
    if batch:
        yield batch


__all__ = ["DEFAULT_BATCH", "StreamResult", "stream_load", "streamed_format"]
