"""SPARQL 1.1 Update that writes: applied whole or not at all, through the SHACL gate.

:func:`apply_update` computes the change of an update without touching the store the server
reads: an update of ``INSERT DATA``/``DELETE DATA`` only states its change, which is read
without the engine (:mod:`.quad_data`); any other runs on a scratch pyoxigraph store holding
the dataset as it is (:func:`update_change`), and the difference before/after is the change.
Then, in order, each step able to refuse it with nothing written:

1. the curator's graphs against the graphs the change really touches (403 naming the graph);
2. the SHACL gate on the would-be state (422 with the report; warnings do not block);
3. the change log (:meth:`~scidip_graph.store.base.Store.commit`), with the curator's name,
   the update text, and each touched named graph's new ``dct:modified`` in the default graph.

The answer is acknowledged only after the commit. Writers are serialised by the store's write
lock, held from the catch-up with the log to the commit, so no two updates are computed from
the same state.

The gate and the ``dct:modified`` stamps read the live dataset (:meth:`~.Store.view`, read-only,
under the write lock, before the commit), never a copy. Only the general path copies, and
that costs time in the dataset's size: about 7 microseconds a quad, so 1.4 s at 200,000 quads
and 7 s at a million. A change-sized scratch would need the graphs the update reads, which
only the engine knows (``GRAPH ?g``), and a wrong guess would be a wrong write. Adding one
example of about 20 triples by ``INSERT DATA`` takes tens of milliseconds at a million triples,
end to end over HTTP (``bench/bench_write.py``, BENCHMARKS.md "Writes").
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from scidip_graph.errors import (
    NotConformingError,
    QueryEvaluationError,
    ScidipError,
    UpstreamError,
    UsageError,
    engine_error,
)
from scidip_graph.ingest.gate import check_change
from scidip_graph.ingest.validation import ValidationReport, ValidationResult
from scidip_graph.ingest.views import QuadSource
from scidip_graph.namespaces import DCTERMS, XSD
from scidip_graph.sparql.lexer import line_offsets, tokenize
from scidip_graph.sparql.policy import check_dataset_iris
from scidip_graph.sparql.quad_data import data_change
from scidip_graph.sparql.tokens import Curator
from scidip_graph.store import Store
from scidip_graph.store.base import copy_dataset
from scidip_graph.store.oxigraph import sparql_syntax_error

Gate = Callable[[QuadSource, list[ox.Quad], list[ox.Quad]], ValidationReport]
"""Validates a change against the data before it (the gate of :mod:`scidip_graph.ingest`)."""

MODIFIED = ox.NamedNode(str(DCTERMS.modified))
XSD_DATETIME = ox.NamedNode(str(XSD.dateTime))
_GRAPH_STATE = re.compile(r"The graph \S+ (?:already exists|does not exist)")


@dataclass(frozen=True)
class UpdateResult:
    """What a committed update did.

    Attributes:
        added: quads added (the update's own, not the ``dct:modified`` bookkeeping).
        removed: quads removed.
        graphs: the graphs it changed (``""`` the default graph), sorted.
        warnings: the gate's non-blocking results.
        version: the dataset version after it.
        changeset: the change log's id for it (0 when nothing changed, and nothing was logged).
    """

    added: int
    removed: int
    graphs: list[str]
    warnings: list[ValidationResult]
    version: str
    changeset: int

    def to_json(self) -> dict[str, object]:
        """The success answer's body."""
        return {
            "added": self.added,
            "removed": self.removed,
            "graphs": self.graphs,
            "warnings": [result_json(r) for r in self.warnings],
            "version": self.version,
            "changeset": self.changeset,
        }


def gate(before: QuadSource, added: list[ox.Quad], removed: list[ox.Quad]) -> ValidationReport:
    """The SHACL gate on a change (:func:`scidip_graph.ingest.gate.check_change`)."""
    return check_change(before, added=added, removed=removed)


def apply_update(
    store: Store,
    text: str,
    *,
    curator: Curator,
    base_iri: str | None = None,
    using_graphs: Sequence[str] | None = None,
    using_named_graphs: Sequence[str] | None = None,
    validate: Gate = gate,
) -> UpdateResult:
    """Run a SPARQL update on ``store`` and commit it, whole, or change nothing.

    Args:
        store: the store written (through its change log).
        text: the update (already checked by the policy).
        curator: who writes; the change may only touch the curator's graphs.
        base_iri: what relative IRIs resolve against.
        using_graphs, using_named_graphs: the protocol's ``using-graph-uri`` and
            ``using-named-graph-uri``: the dataset of every ``DELETE``/``INSERT ... WHERE``.
        validate: the SHACL gate.

    Raises:
        UnauthorizedError: the change touches a graph outside the curator's (403).
        NotConformingError: the would-be state violates a shape (422, the results in detail).
        SparqlSyntaxError, QueryEvaluationError, UsageError: the update cannot run (400).
        UnsupportedOperationError: the store cannot be written (501).
    """
    text = with_using(text, using_graphs or [], using_named_graphs or [])
    with store.writing():
        store.refresh()
        added, removed = update_change(store, text, base_iri=base_iri)
        return commit_change(
            store, store.view(), added, removed, curator=curator, message=text, validate=validate
        )


def commit_change(
    store: Store,
    before: QuadSource,
    added: Sequence[ox.Quad],
    removed: Sequence[ox.Quad],
    *,
    curator: Curator,
    message: str,
    what: str = "update",
    validate: Gate = gate,
    stamps: tuple[Sequence[ox.Quad], Sequence[ox.Quad]] | None = None,
) -> UpdateResult:
    """Commit a computed change, or change nothing: the write core of every write.

    SPARQL Update (:func:`apply_update`) and the Graph Store Protocol
    (:mod:`scidip_graph.sparql.graph_store`) compute their change, then call this inside
    ``store.writing()``, after the catch-up with the log.

    Args:
        store: the store written (through its change log).
        before: the dataset as it is, for the gate and the ``dct:modified`` stamps: the
            store's live view (:meth:`~scidip_graph.store.base.Store.view`), read before the
            commit.
        added, removed: the change: quads not in ``before``, and quads in it.
        curator: who writes; the change may only touch the curator's graphs.
        message: the change log's record of it (the update text, an upload's digest).
        what: how the 422 message names the write.
        validate: the SHACL gate.
        stamps: the ``dct:modified`` quads to add and remove instead of stamping each changed
            graph with the time of now (a revert puts back the stamps of the state it restores).

    Raises:
        UnauthorizedError: a graph outside the curator's (403).
        NotConformingError: the would-be state violates a shape (422).
    """
    graphs = sorted({graph_key(q.graph_name) for q in (*added, *removed)})
    curator.authorize(graphs)
    if not added and not removed:
        return UpdateResult(0, 0, [], [], store.version, 0)
    report = validate(before, list(added), list(removed))
    if not report.conforms:
        raise not_conforming(report, what=what)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    stamps_added, stamps_removed = stamps or modified_stamps(before, graphs, at)
    changeset = store.commit(
        added=[*added, *stamps_added],
        removed=[*removed, *stamps_removed],
        author=curator.name,
        message=message,
    )
    return UpdateResult(
        len(added), len(removed), graphs, report.warnings(), store.version, changeset.id
    )


def update_change(
    store: Store, text: str, *, base_iri: str | None = None
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """What ``text`` would change; ``store`` is untouched.

    An update of ``INSERT DATA``/``DELETE DATA`` is read without the engine, against the live
    dataset (:func:`~scidip_graph.sparql.quad_data.data_change`); any other, or one that is
    not read with certainty, runs on a scratch copy (:func:`engine_change`). ``text`` has its
    ``USING`` clauses already (:func:`with_using`). The SPARQL Update write path and the dry
    run (:mod:`scidip_graph.sparql.dry_run`) both compute a change here.

    Returns:
        The quads the update adds and removes, sorted.

    Raises:
        SparqlSyntaxError, QueryEvaluationError, UpstreamError: the update cannot run.
    """
    change = data_change(store.view(), text, base_iri=base_iri)
    return change if change is not None else engine_change(store, text, base_iri=base_iri)


def engine_change(
    store: Store, text: str, *, base_iri: str | None = None
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """What ``text`` would change, run by the engine on a scratch copy of the dataset.

    Raises:
        SparqlSyntaxError, QueryEvaluationError, UpstreamError: the update cannot run.
    """
    scratch = copy_dataset(store)
    before = set(scratch)
    try:
        scratch.update(clear_silently(text), base_iri=base_iri)
    except SyntaxError as err:
        raise sparql_syntax_error(err) from None
    except (OSError, RuntimeError) as err:
        raise update_error(err) from err
    after = set(scratch)
    return sorted(after - before, key=str), sorted(before - after, key=str)


def clear_silently(text: str) -> str:
    """The update with every ``CLEAR`` made ``CLEAR SILENT``.

    The store keeps no empty graphs (a named graph is there while it holds a triple), so a
    graph without triples is an empty graph, and clearing it changes nothing: pyoxigraph
    would fail instead (the W3C protocol case ``update_base_uri`` clears a graph it then
    fills). ``CLEAR`` fails for nothing else; ``DROP`` of a graph that is not there still does.

    >>> clear_silently("CLEAR GRAPH <x:g> ; clear silent all")
    'CLEAR SILENT GRAPH <x:g> ; clear silent all'
    """
    tokens = tokenize(text)
    offsets = line_offsets(text)
    places = [
        offsets[after.line - 1] + after.column - 1
        for token, after in itertools.pairwise(tokens)
        if token.kind == "KEYWORD" and token.text == "CLEAR" and after.text != "SILENT"
    ]
    for place in reversed(places):
        text = f"{text[:place]}SILENT {text[place:]}"
    return text


def update_error(err: OSError | RuntimeError) -> Exception:
    """The user-facing error for an operation the engine could not apply; else ``err`` (a bug).

    >>> update_error(RuntimeError("The graph <x:g> already exists")).status
    400
    >>> update_error(OSError("Connection refused")).status
    502
    """
    message = str(err)
    if type(err) is RuntimeError and _GRAPH_STATE.fullmatch(message):
        return QueryEvaluationError(
            f"the update cannot be applied: {message}; nothing was written",
            hint="CREATE SILENT, DROP SILENT and CLEAR SILENT go on where the graph is or "
            "is not there.",
        )
    if isinstance(err, OSError) and err.errno is None:  # pyoxigraph's HTTP client: LOAD
        return UpstreamError(
            f"LOAD failed: {message}; nothing was written",
            hint="Try again later, or write LOAD SILENT to go on without the source.",
        )
    return engine_error(err, calls_service=False) or err


def modified_stamps(
    before: QuadSource, graphs: Iterable[str], at: str
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The ``<g> dct:modified at`` quads of the default graph for each changed named graph.

    Returns:
        The quads to add and the earlier stamps to remove.
    """
    added: list[ox.Quad] = []
    removed: list[ox.Quad] = []
    stamp = ox.Literal(at, datatype=XSD_DATETIME)
    for graph in graphs:
        if not graph:
            continue
        node = ox.NamedNode(graph)
        removed.extend(before.quads_for_pattern(node, MODIFIED, None, ox.DefaultGraph()))
        added.append(ox.Quad(node, MODIFIED, stamp, ox.DefaultGraph()))
    return added, [q for q in removed if q not in added]


def with_using(text: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """The update with the protocol's dataset written as ``USING`` clauses of each operation.

    The clauses go before the ``WHERE`` of every ``DELETE``/``INSERT ... WHERE`` (those at the
    top level: a subquery's ``WHERE`` is inside braces). The protocol forbids the parameters
    with an update that has ``USING`` or ``WITH`` clauses of its own (the W3C case
    ``bad_update_dataset_conflict``), and ``DELETE WHERE`` takes none.

    >>> with_using("INSERT { ?s a <x:C> } WHERE { ?s ?p ?o }", ["x:g"], [])
    'INSERT { ?s a <x:C> } USING <x:g> WHERE { ?s ?p ?o }'

    Raises:
        UsageError: the update has ``USING`` or ``WITH`` of its own, or a ``DELETE WHERE``;
            a value is not an absolute IRI.
    """
    if not using and not using_named:
        return text
    # Checked here too, not only by the policy: the values are written into the update's text.
    check_dataset_iris(using, parameter="using-graph-uri")
    check_dataset_iris(using_named, parameter="using-named-graph-uri")
    tokens = tokenize(text)
    if any(t.kind == "KEYWORD" and t.text in ("USING", "WITH") for t in tokens):
        raise UsageError(
            "using-graph-uri and using-named-graph-uri cannot be given with an update that has "
            "USING or WITH clauses"
        )
    clauses = " ".join(
        [*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)]
    )
    offsets = line_offsets(text)
    depth, places = 0, []
    for i, token in enumerate(tokens):
        if token.kind == "PUNCT" and token.text == "{":
            depth += 1
        elif token.kind == "PUNCT" and token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "KEYWORD" and token.text == "WHERE":
            if i and tokens[i - 1].kind == "KEYWORD" and tokens[i - 1].text == "DELETE":
                raise UsageError(
                    "DELETE WHERE takes no dataset: leave out using-graph-uri and "
                    "using-named-graph-uri, or write DELETE { ... } WHERE { ... }"
                )
            places.append(offsets[token.line - 1] + token.column - 1)
    for place in reversed(places):
        text = f"{text[:place]}{clauses} {text[place:]}"
    return text


def graph_key(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    """A graph's name as the tokens name it: its IRI, ``""`` for the default graph."""
    return "" if isinstance(graph, ox.DefaultGraph) else graph.value


def result_json(result: ValidationResult) -> dict[str, object]:
    """One SHACL result as the error shape lists it."""
    return {
        "focus_node": result.focus_node,
        "path": result.path,
        "value": result.value,
        "message": result.message,
        "severity": result.severity,
        "shape": result.source_shape,
    }


def not_conforming(report: ValidationReport, *, what: str = "update") -> ScidipError:
    """The 422 of a change the shapes refuse: every result in ``detail["results"]``."""
    count = len(report.violations())
    error = NotConformingError(
        f"the {what} would break {count} shape constraint{'s' * (count != 1)}; nothing was written",
        report=report,
    )
    error.hint = f"Fix the data the results name, and send the {what} again."
    error.detail = {"results": [result_json(r) for r in report.results]}
    return error
