"""The SPARQL 1.1 Service Description of the endpoint, from the live dataset and settings.

Counts come from the store (triples per named graph, the size of the union default graph);
the limits from the settings, so clients can read what the server will refuse.
The research questions of ``queries/`` are in it too, as ``sh:SPARQLExecutable`` examples
with ``schema:target`` the endpoint (:mod:`scidip_graph.sparql.examples`).

The endpoint's IRI never comes from the request's Host header (the fast path builds it with
:mod:`scidip_graph.web.links`): it is ``SCIDIP_PUBLIC_URL`` + ``/sparql`` when that is set, else
the root-relative ``</sparql>``, which a client resolves against the URL it asked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from scidip_graph.namespaces import DCTERMS, RDF, RDFS, SD, SDS, VOID, W3C_FORMATS, XSD
from scidip_graph.rdf.formats import FORMATS as FORMAT_TABLE
from scidip_graph.settings import Settings, query_memory_bytes
from scidip_graph.sparql import egress
from scidip_graph.sparql.examples import example_triples
from scidip_graph.store import Store

RDF_TYPE = ox.NamedNode(str(RDF.type))
GRAPH_STORE_PROTOCOL = "https://www.w3.org/TR/sparql11-http-rdf-update/"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def service_description(store: Store, settings: Settings, endpoint: str) -> list[ox.Triple]:
    """The description of the endpoint at ``endpoint`` as triples.

    ``endpoint`` is absolute: the public URL's, or one on
    :data:`~scidip_graph.web.links.RELATIVE_BASE` that the writer then makes relative.

    >>> from scidip_graph.store import OxigraphStore
    >>> from scidip_graph.settings import Settings
    >>> triples = service_description(OxigraphStore(), Settings(), "http://localhost/sparql")
    >>> any(t.object == ox.NamedNode(SDS + "UnionDefaultGraph") for t in triples)
    True
    """
    return list(_triples(store, settings, endpoint))


def _triples(store: Store, settings: Settings, endpoint: str) -> Iterator[ox.Triple]:
    service = _n(endpoint + "#service")
    yield ox.Triple(service, RDF_TYPE, _n(SDS + "Service"))
    yield ox.Triple(service, _n(SDS + "endpoint"), _n(endpoint))
    yield ox.Triple(service, _n(SDS + "supportedLanguage"), _n(SDS + "SPARQL11Query"))
    yield ox.Triple(service, _n(SDS + "feature"), _n(SDS + "UnionDefaultGraph"))
    if store.writable and (settings.write_token or settings.tokens_file):
        # Updates with a bearer token, here and at /update (an endpoint of its own).
        updates = endpoint.removesuffix("sparql") + "update"
        update_service = _n(updates + "#service")
        yield ox.Triple(update_service, RDF_TYPE, _n(SDS + "Service"))
        yield ox.Triple(update_service, _n(SDS + "endpoint"), _n(updates))
        for node in (service, update_service):
            yield ox.Triple(node, _n(SDS + "supportedLanguage"), _n(SDS + "SPARQL11Update"))
        # The Graph Store Protocol at /store: SD has no term for it; dct:conformsTo names it.
        graph_store = endpoint.removesuffix("sparql") + "store"
        store_service = _n(graph_store + "#service")
        yield ox.Triple(store_service, RDF_TYPE, _n(SDS + "Service"))
        yield ox.Triple(store_service, _n(SDS + "endpoint"), _n(graph_store))
        yield ox.Triple(store_service, _n(str(DCTERMS.conformsTo)), _n(GRAPH_STORE_PROTOCOL))
    if settings.service_allowlist:
        yield ox.Triple(service, _n(SDS + "feature"), _n(SDS + "BasicFederatedQuery"))
    for feature, reason in store.limitations().items():  # what this store does otherwise
        note = f"On this server's {store.name} store, {feature}: {reason}."
        yield ox.Triple(service, _n(str(RDFS.comment)), ox.Literal(note, language="en"))
    for fmt in FORMAT_TABLE:  # every format the endpoint answers in
        yield ox.Triple(service, _n(SDS + "resultFormat"), _n(W3C_FORMATS + fmt.w3c))
    for prop, value, datatype in (
        ("queryTimeLimit", f"{settings.query_timeout:g}", "decimal"),
        ("minQueryTimeLimit", f"{settings.min_timeout:g}", "decimal"),
        ("resultRowLimit", str(settings.max_rows), "integer"),
        ("queryLengthLimit", str(settings.max_query_length), "integer"),
        ("nestingDepthLimit", str(settings.max_depth), "integer"),
        ("chainLengthLimit", str(settings.max_chain), "integer"),
        ("resultByteLimit", str(settings.max_result_bytes), "integer"),
        ("queryMemoryLimit", str(query_memory_bytes(settings)), "integer"),
        ("egressBarrier", "true" if egress.barrier_active() else "false", "boolean"),
        ("requestBodyLimit", str(settings.max_upload_bytes), "integer"),
    ):
        yield ox.Triple(service, _n(str(SD[prop])), ox.Literal(value, datatype=_n(XSD + datatype)))

    # The research questions of queries/, as SHACL SPARQL executables aimed at this endpoint.
    yield from example_triples(endpoint.rsplit("/", 1)[0] + "/", service=endpoint)

    dataset = _n(endpoint + "#dataset")
    yield ox.Triple(service, _n(SDS + "defaultDataset"), dataset)
    yield ox.Triple(dataset, RDF_TYPE, _n(SDS + "Dataset"))
    default = _n(endpoint + "#default-graph")
    yield ox.Triple(dataset, _n(SDS + "defaultGraph"), default)
    yield ox.Triple(default, RDF_TYPE, _n(SDS + "Graph"))
    union = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # a set: no duplicates
    yield ox.Triple(default, _n(str(VOID.triples)), next(iter(union))["n"])
    counts = {
        row["g"].value: row["n"]
        for row in store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    for graph in store.graph_names():
        named = ox.BlankNode()
        yield ox.Triple(dataset, _n(SDS + "namedGraph"), named)
        yield ox.Triple(named, RDF_TYPE, _n(SDS + "NamedGraph"))
        yield ox.Triple(named, _n(SDS + "name"), _n(graph))
        described = ox.BlankNode()
        yield ox.Triple(named, _n(SDS + "graph"), described)
        yield ox.Triple(described, RDF_TYPE, _n(SDS + "Graph"))
        yield ox.Triple(
            described,
            _n(str(VOID.triples)),
            counts.get(graph, ox.Literal("0", datatype=_n(XSD + "integer"))),
        )
