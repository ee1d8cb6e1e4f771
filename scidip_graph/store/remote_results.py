"""Answers of a remote store read into the objects the embedded store returns.

Solutions and booleans come from SPARQL XML (or JSON) results, graphs from N-Triples (or
Turtle, RDF/XML), parsed by pyoxigraph; skolem IRIs become the blank nodes they stand for
(:mod:`.skolem`). A graph answer becomes a real ``QueryTriples`` (a scratch store holding the
triples answers ``CONSTRUCT WHERE``), so writers and pages cannot tell the stores apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox

from scidip_graph.errors import UpstreamError
from scidip_graph.rdf.formats import get_format
from scidip_graph.store.client import Answer
from scidip_graph.store.skolem import GENID, unskolemize, unskolemize_xml_results

_PROBE = ox.Store()  # empty: booleans are made by asking it


def read_results(answer: Answer) -> ox.QuerySolutions | ox.QueryBoolean:
    """Solutions or a boolean from a results document, blank nodes as the dataset has them."""
    try:
        if answer.media_type == get_format("json", kinds=("results",)).media_type:
            return _json_results(answer.body)
        result = ox.parse_query_results(
            unskolemize_xml_results(answer.body), format=ox.QueryResultsFormat.XML
        )
    except (SyntaxError, ValueError) as err:
        raise _unreadable(answer, err) from None
    assert not isinstance(result, ox.QueryTriples)
    return result


def boolean_from_row(solutions: ox.QuerySolutions) -> ox.QueryBoolean:
    """An ASK answered as one row of one value (Virtuoso 7.2: ``__ASK_RETVAL`` 1 or 0)."""
    row = next(iter(solutions), None)
    value = row is not None and row[0] is not None and row[0].value not in ("0", "false")
    result = _PROBE.query("ASK {}" if value else "ASK { FILTER(false) }")
    assert isinstance(result, ox.QueryBoolean)
    return result


def _json_results(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    document = json.loads(body)
    for binding in document.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "uri" and term.get("value", "").startswith(GENID):
                term.update(type="bnode", value=term["value"][len(GENID) :])
    result = ox.parse_query_results(
        json.dumps(document).encode(), format=ox.QueryResultsFormat.JSON
    )
    assert not isinstance(result, ox.QueryTriples)
    return result


def parse_graph(answer: Answer) -> Iterator[ox.Quad]:
    ntriples = get_format("ntriples").media_type
    media_type = ntriples if answer.media_type == "text/plain" else answer.media_type
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise UpstreamError(f"the store answered a graph as {answer.media_type!r}, not RDF")
    try:
        return iter(list(ox.parse(answer.body, format=fmt)))
    except SyntaxError as err:
        raise _unreadable(answer, err) from None


def read_graph_result(answer: Answer) -> ox.QueryTriples:
    """Triples from a graph document, as the embedded store returns them (a real
    ``QueryTriples``: a scratch store holding them answers ``CONSTRUCT WHERE``)."""
    scratch = ox.Store()
    scratch.extend(unskolemize(q) for q in parse_graph(answer))
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def _unreadable(answer: Answer, err: Exception) -> UpstreamError:
    return UpstreamError(
        f"the store's answer ({answer.media_type or 'no Content-Type'}) does not parse: {err}"
    )
