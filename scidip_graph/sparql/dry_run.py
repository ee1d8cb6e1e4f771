"""The dry run: the SHACL report a write would get, with nothing written.

``POST /validate`` and ``scidip-graph validate --against-store`` compute the change the way the
write path does (an update by :func:`~.update.update_change`, data as quads added) and put it
through the same gate, on the would-be state, reading the live dataset
(:meth:`~scidip_graph.store.base.Store.view`); the store is never touched, so neither needs a
token. The policy still applies to an update (``SERVICE`` and outside ``LOAD`` refused), an
upload is read as the Graph Store Protocol reads it, and the web route runs either under the
query time limit.

>>> from scidip_graph.store import OxigraphStore
>>> report = validate_update(OxigraphStore(), 'INSERT DATA { <x:a> <x:b> "c" }')
>>> report_json(report)
{'conforms': True, 'results': []}
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal

from scidip_graph.errors import UsageError
from scidip_graph.ingest.loading import parse_bytes
from scidip_graph.ingest.validation import ValidationReport
from scidip_graph.namespaces import RDF, SH
from scidip_graph.rdf.formats import RDF_KINDS, get_format
from scidip_graph.sparql.graph_store import parse_upload, target_graph, upload_format
from scidip_graph.sparql.update import (
    Gate,
    gate,
    result_json,
    update_change,
    with_using,
)
from scidip_graph.store import Store
from scidip_graph.store.oxigraph import stored_form


def validate_update(
    store: Store,
    text: str,
    *,
    base_iri: str | None = None,
    using_graphs: Sequence[str] | None = None,
    using_named_graphs: Sequence[str] | None = None,
    validate: Gate = gate,
) -> ValidationReport:
    """The report an update (already checked by the policy) would get; nothing is written.

    Raises:
        SparqlSyntaxError, QueryEvaluationError, UsageError: the update cannot run (400).
    """
    text = with_using(text, using_graphs or [], using_named_graphs or [])
    store.refresh()
    added, removed = update_change(store, text, base_iri=base_iri)
    if not added and not removed:
        return nothing_to_check()
    return validate(store.view(), added, removed)


def validate_addition(
    store: Store, quads: Iterable[ox.Quad], *, validate: Gate = gate
) -> ValidationReport:
    """The report adding ``quads`` to ``store`` would get; nothing is written."""
    store.refresh()
    before = store.view()
    added = sorted(
        (q for q in stored_form(quads) if not any(before.quads_for_pattern(*q))), key=str
    )
    if not added:
        return nothing_to_check()
    return validate(before, added, [])


def validate_upload(
    store: Store,
    data: bytes,
    *,
    media_type: str | None,
    graph: str | None,
    default: bool,
    validate: Gate = gate,
) -> ValidationReport:
    """The report an upload to ``?graph=`` (or ``?default``) would get; nothing is written.

    Read as the Graph Store Protocol reads a ``POST`` of it (:mod:`.graph_store`: the same
    Content-Types, the same refusals of remote JSON-LD contexts and RDF/XML entities).

    Raises:
        UsageError: neither ``graph`` nor ``default``, or both; not an absolute IRI.
        UnsupportedMediaTypeError: not an RDF media type (415).
        DataSyntaxError: the upload does not parse, or is refused (400).
    """
    fmt = upload_format(media_type)
    target = target_graph("POST", graph, default=default)
    if target is None:
        raise UsageError("which graph would the data go to? Give ?graph=IRI or ?default")
    return validate_addition(store, parse_upload(data, fmt, graph=target), validate=validate)


def parse_addition(
    data: bytes, *, format: str, graph: str | None, source: str = "<upload>"
) -> list[ox.Quad]:
    """Parse a file to add: a graph format into ``graph`` (``""`` the default graph).

    For ``validate --against-store``: a dataset format keeps its graphs, as the loader does
    (an upload goes into one graph: :func:`validate_upload`). Blank nodes get labels of their
    own, so they never merge with the store's.

    Raises:
        UsageError: a graph format without a graph, or a dataset format with one; an unknown
            format.
        DataSyntaxError: the data does not parse (source, line, column).
    """
    fmt = get_format(format, kinds=RDF_KINDS)
    if fmt.kind == "graph" and graph is None:
        raise UsageError(
            f"which graph should the {fmt.name} data go to? Give graph=IRI, or default",
        )
    if fmt.kind != "graph" and graph is not None:
        raise UsageError(f"{fmt.name} names its own graphs: leave out the graph")
    return parse_bytes(
        data,
        format=fmt.name,
        source=source,
        graph_name=graph or None,
        bnode_prefix=f"new-{uuid.uuid4().hex[:8]}",
    )


def nothing_to_check() -> ValidationReport:
    """The report of a change that changes nothing: it conforms, with no results.

    >>> "sh:conforms true" in nothing_to_check().to_turtle()
    True
    """
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(True)))
    return ValidationReport(True, [], graph)


def report_json(report: ValidationReport) -> dict[str, object]:
    """The dry run's JSON answer: ``conforms`` and each result as a write's 422 lists it."""
    return {"conforms": report.conforms, "results": [result_json(r) for r in report.results]}
