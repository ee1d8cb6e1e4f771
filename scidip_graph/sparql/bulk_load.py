"""Bulk loads: files into the store through the same SHACL gate and change log as every write.

:func:`load_files` parses every file first (errors name the file, line and column), computes
the change against the graphs the files write, and hands it to the write core
(:func:`~scidip_graph.sparql.update.commit_change`): the gate on the would-be state, then one
changeset in the log, with the curator, a message naming each file and its SHA-256, and the
``dct:modified`` stamps. Nothing is written before the gate has passed.

**One changeset per load, not per file.** A load is applied whole or not at all: files refer
to each other (an example in one names an organisation described in another), so a file
checked alone against the store would fail for what the next one adds, and a load refused
half-way would leave half of it in the store.

Where the triples go, as for the server's source data: a graph file (Turtle, N-Triples,
RDF/XML) becomes the named graph ``graph:{file stem}``; a dataset file (TriG, N-Quads, JSON-LD)
keeps its graphs, its default-graph block (the sources' descriptions) in the default graph.
With ``graph``, every triple goes into that graph, and a dataset file naming another graph
is refused. Blank nodes are fresh for each load: never merged with a blank node already in
the store. ``replace`` empties the named graphs the files write before they are filled (a
PUT of the Graph Store Protocol); the default graph, where every source is described, is only
added to, unless it is the ``graph`` named.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from scidip_graph.errors import DataSyntaxError, UsageError
from scidip_graph.ingest.gate import check_change
from scidip_graph.ingest.loading import parse_bytes
from scidip_graph.ingest.validation import ValidationReport
from scidip_graph.ingest.views import QuadSource
from scidip_graph.namespaces import GRAPH
from scidip_graph.rdf.formats import by_extension
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.update import UpdateResult, commit_change, graph_key
from scidip_graph.store import Store
from scidip_graph.store.oxigraph import cycles_uncollected

STAGES = ("parse", "compare", "validate", "commit")
"""The steps of a load, in order."""


@dataclass(frozen=True)
class Step:
    """Where a load is, for a progress display.

    Attributes:
        stage: one of :data:`STAGES`.
        done: units done so far in this stage.
        total: units in the whole stage (``done == total``: the stage is over).
        unit: what the units count (``bytes``, ``quads``, ``steps``).
        note: what it works on now (a file, a count, the gate's mode).
        seconds: seconds since the stage started.
    """

    stage: str
    done: int
    total: int
    unit: str
    note: str = ""
    seconds: float = 0.0


Progress = Callable[[Step], None]


@dataclass(frozen=True)
class LoadResult:
    """What a committed load did.

    Attributes:
        files: the files read, in order.
        quads: the quads they hold (after duplicates are dropped).
        result: the write core's result (added, removed, graphs, warnings, changeset).
    """

    files: list[Path]
    quads: int
    result: UpdateResult


@dataclass(frozen=True)
class _Parsed:
    quads: set[ox.Quad]
    origins: dict[str, str]  # graph key -> the files that fill it, for the report
    message: str


def load_files(
    store: Store,
    paths: Sequence[Path],
    *,
    curator: Curator,
    graph: str | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    """Load RDF files into ``store`` as one changeset, through the SHACL gate, or change nothing.

    Args:
        store: a writable store (a data folder's).
        paths: the files, each in a format of the format table (by its extension).
        curator: who loads, as the change log names them.
        graph: put every triple into this graph (an IRI, ``""`` the default graph).
        replace: empty the named graphs the files write (and ``graph``, whichever it is)
            before they are filled.
        progress: called at each step (see :class:`Step`).

    Raises:
        DataSyntaxError: a file does not parse (file, line, column), or names another graph
            than ``graph``.
        UsageError: no files, or a file that cannot be read or has no RDF extension.
        NotConformingError: the would-be state violates a shape (the report in ``report``).
        UnauthorizedError, UnsupportedOperationError: as the write core raises them.
    """
    if not paths:
        raise UsageError("give at least one file to load")
    with cycles_uncollected():
        return _load(store, paths, curator=curator, graph=graph, replace=replace, progress=progress)


def _load(
    store: Store,
    paths: Sequence[Path],
    *,
    curator: Curator,
    graph: str | None,
    replace: bool,
    progress: Progress | None,
) -> LoadResult:
    report = progress or (lambda step: None)
    parsed = _parse(paths, graph=graph, progress=report)
    commit_started = 0.0

    def gate(source: QuadSource, add: list[ox.Quad], remove: list[ox.Quad]) -> ValidationReport:
        nonlocal commit_started
        started = time.perf_counter()
        report(Step("validate", 0, 1, "steps", f"{len(add) + len(remove):,} changed quads"))
        checked = check_change(source, added=add, removed=remove, origins=parsed.origins)
        verdict = "conforms" if checked.conforms else "does not conform"
        report(Step("validate", 1, 1, "steps", verdict, time.perf_counter() - started))
        commit_started = time.perf_counter()
        if checked.conforms:
            report(Step("commit", 0, 1, "steps", "the change log"))
        return checked

    with store.writing():
        store.refresh()
        started = time.perf_counter()
        report(Step("compare", 0, 1, "steps", f"{len(parsed.quads):,} quads"))
        added, removed = _change(store, parsed.quads, graph=graph, replace=replace)
        note = f"{len(added):,} quads to add, {len(removed):,} to remove"
        report(Step("compare", 1, 1, "steps", note, time.perf_counter() - started))
        result = commit_change(
            store,
            store.view(),
            added,
            removed,
            curator=curator,
            message=_message(parsed.message, graph=graph, replace=replace),
            what="load",
            validate=gate,
        )
    seconds = time.perf_counter() - commit_started
    report(Step("commit", 1, 1, "steps", f"changeset {result.changeset}", seconds))
    return LoadResult(list(paths), len(parsed.quads), result)


def _message(files: str, *, graph: str | None, replace: bool) -> str:
    """The change log's record of a load: the options, then each file with its SHA-256.

    >>> _message("a.ttl (3 bytes, sha256 ab)", graph="", replace=True)
    'load --replace into the default graph: a.ttl (3 bytes, sha256 ab)'
    """
    into = "" if graph is None else f" into <{graph}>" if graph else " into the default graph"
    return f"load{' --replace' * replace}{into}: {files}"


def _change(
    store: Store, quads: set[ox.Quad], *, graph: str | None, replace: bool
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The quads a load adds and removes, read from the graphs it writes only."""
    written = {graph_key(q.graph_name) for q in quads} | ({graph} if graph is not None else set())
    removed: list[ox.Quad] = []
    if replace:  # the named graphs written, and the default graph only when it is named
        for key in sorted(g for g in written if g or graph == ""):
            removed.extend(q for q in store.quads(graph=key) if q not in quads)
    known = {*store.graph_names(), ""}
    before = store.view()
    # A quad of a graph the store does not have yet is new: no need to look it up.
    added = [q for q in quads if graph_key(q.graph_name) not in known or not _has(before, q)]
    return added, removed


def _has(source: QuadSource, quad: ox.Quad) -> bool:
    found = source.quads_for_pattern(quad.subject, quad.predicate, quad.object, quad.graph_name)
    return next(iter(found), None) is not None


def _parse(paths: Sequence[Path], *, graph: str | None, progress: Progress) -> _Parsed:
    """Read and parse every file (nothing is written yet); the first error stops the load."""
    sizes = []
    for path in paths:
        by_extension(path.suffix)  # an unknown extension fails before anything is read
        try:
            sizes.append(path.stat().st_size)
        except OSError as err:
            raise UsageError(f"cannot read {path}: {err.strerror}") from None
    total, done, started = sum(sizes), 0, time.perf_counter()
    load = secrets.token_hex(4)
    quads: set[ox.Quad] = set()
    origins: dict[str, list[str]] = {}
    described = []
    for path, size in zip(paths, sizes, strict=True):
        progress(Step("parse", done, total, "bytes", path.name, time.perf_counter() - started))
        try:
            data = path.read_bytes()
        except OSError as err:
            raise UsageError(f"cannot read {path}: {err.strerror}") from None
        parsed = _file_quads(data, path, graph=graph, bnode_prefix=f"load-{load}-{path.stem}")
        quads.update(parsed)
        for key in sorted({graph_key(name) for name in {q.graph_name for q in parsed}}):
            origins.setdefault(key, []).append(str(path))
        done += size
        described.append(f"{path.name} ({size} bytes, sha256 {hashlib.sha256(data).hexdigest()})")
    progress(
        Step(
            "parse",
            total,
            total,
            "bytes",
            f"{len(paths)} file{'s' * (len(paths) != 1)}",
            time.perf_counter() - started,
        )
    )
    return _Parsed(
        quads, {key: ", ".join(files) for key, files in origins.items()}, "; ".join(described)
    )


def _file_quads(data: bytes, path: Path, *, graph: str | None, bnode_prefix: str) -> list[ox.Quad]:
    """One file's quads, in the graphs they go to."""
    fmt = by_extension(path.suffix)
    if graph is None:
        own = str(GRAPH[path.stem]) if fmt.kind == "graph" else None
        return parse_bytes(
            data, format=fmt.name, source=str(path), graph_name=own, bnode_prefix=bnode_prefix
        )
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    placed = []
    for q in parse_bytes(data, format=fmt.name, source=str(path), bnode_prefix=bnode_prefix):
        if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != target:
            raise DataSyntaxError(
                f"the file has triples in graph {q.graph_name}, not in the graph the load "
                "names; nothing was written",
                source=str(path),
            )
        placed.append(ox.Quad(q.subject, q.predicate, q.object, target))
    return placed


__all__ = ["STAGES", "LoadResult", "Progress", "Step", "load_files"]
