"""The dataset description (VoID and DCAT), computed from the store, and how to cite it.

Every number is counted with SPARQL on the store (never written by hand) and recounted when
the data version changes, so the statistics stay right after writes. Identifiers are stable
(``https://w3id.org/scidip/void#...``); locations (the SPARQL endpoint, the downloads) come
from the base URL the description is served at.

>>> from scidip_graph.store import OxigraphStore
>>> stats = statistics(OxigraphStore())
>>> stats.triples, stats.graphs
(0, {})
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from scidip_graph.namespaces import (
    DESC,
    DESCRIPTION_PREFIXES,
    ID,
    MEDIA_TYPES,
    PROV,
    SCHEMA,
    SCIDIP,
    SD,
    WD,
    expand,
)
from scidip_graph.pages.dumps import DumpFile
from scidip_graph.rdf.exporters import serialize_quads
from scidip_graph.rdf.formats import RDF_KINDS, get_format
from scidip_graph.rdf.jsonld import load_context
from scidip_graph.store import Store
from scidip_graph.version import __version__

DATASET = ox.NamedNode(str(DESC.dataset))
"""The IRI of the dataset as a whole."""
TITLE = "scidip-graph: an open knowledge graph of science diplomacy"
DESCRIPTION = (
    "The concept of science diplomacy and its three categories, with the institutions, "
    "countries, examples, programmes, publications and people the sources name; every fact "
    "kept in the named graph of the source it comes from."
)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = str(ID["agent/curators"])
KEYWORDS = ("science diplomacy", "knowledge graph", "linked data", "international cooperation")
EXAMPLES = tuple(
    str(ID[path])
    for path in (
        "organization/cern",
        "organization/sesame",
        "concept/science-diplomacy",
        "example/sesame",
    )
)
"""Well-known resources offered as ``void:exampleResource`` (those the data has)."""
LINK_TARGETS = (
    ("wikidata", "Wikidata", str(WD), "https://www.wikidata.org/"),
    ("ror", "ROR, the Research Organization Registry", "https://ror.org/", "https://ror.org/"),
    ("geonames", "GeoNames", "https://sws.geonames.org/", "https://www.geonames.org/"),
)
"""(slug, title, URI space, home page) of the datasets ``schema:sameAs`` links point into."""

GRAPH_KINDS = (
    ("documentary", SD.DocumentaryGraph, "Documentary graphs: facts as their sources state them"),
    ("editorial", SD.EditorialGraph, "Editorial graphs: the curators' judgements"),
)
"""(slug, class, title) of the kinds of named graphs, each described as a subset."""

GRAPH_PROVENANCE = ("prov:wasDerivedFrom", "prov:wasAttributedTo", "prov:generatedAtTime")


@dataclass
class Statistics:
    """Counts over the union of all graphs, per graph, per class and per link target.

    Attributes:
        triples: distinct triples; ``entities``: distinct subjects in the URI space.
        graphs: triples per named graph; ``classes``: instances per class.
        links: ``schema:sameAs`` links per target slug (``wikidata``, ``ror``, ``geonames``).
        kinds: distinct triples in the graphs of each kind of :data:`GRAPH_KINDS` (by slug);
            ``kind_graphs`` the graphs of each kind.
        vocabularies: namespaces of the predicates and classes used.
        issued, modified: earliest and latest ``prov:generatedAtTime`` of a graph (and the
            time of the last committed change, for a durable store).
    """

    triples: int = 0
    entities: int = 0
    classes: int = 0
    properties: int = 0
    distinct_subjects: int = 0
    distinct_objects: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    class_partitions: dict[str, int] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    kind_graphs: dict[str, list[str]] = field(default_factory=dict)
    vocabularies: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    issued: str | None = None
    modified: str | None = None


def statistics(store: Store) -> Statistics:
    """Count everything the description states, with SPARQL on the store."""

    def one(where: str, what: str = "COUNT(*)") -> int:
        (row,) = _select(store, f"SELECT ({what} AS ?n) WHERE {{ {where} }}")
        return int(row["n"].value)

    stats = Statistics(
        triples=one("?s ?p ?o"),
        entities=one(
            f'?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}"))', "COUNT(DISTINCT ?s)"
        ),
        classes=one("?s a ?c", "COUNT(DISTINCT ?c)"),
        properties=one("?s ?p ?o", "COUNT(DISTINCT ?p)"),
        distinct_subjects=one("?s ?p ?o", "COUNT(DISTINCT ?s)"),
        distinct_objects=one("?s ?p ?o", "COUNT(DISTINCT ?o)"),
    )
    for row in _select(
        store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ):
        stats.graphs[row["g"].value] = int(row["n"].value)
    for row in _select(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):
        if isinstance(row["c"], ox.NamedNode):
            stats.class_partitions[row["c"].value] = int(row["n"].value)
    kinds = " ".join(f"(<{cls}> {ox.Literal(slug)})" for slug, cls, _ in GRAPH_KINDS)
    for row in _select(
        store,
        f"SELECT ?slug (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?slug ?s ?p ?o WHERE {{ "
        f"VALUES (?k ?slug) {{ {kinds} }} ?g a ?k GRAPH ?g {{ ?s ?p ?o }} }} }} GROUP BY ?slug",
    ):
        stats.kinds[row["slug"].value] = int(row["n"].value)
    for row in _select(
        store, f"SELECT ?slug ?g WHERE {{ VALUES (?k ?slug) {{ {kinds} }} ?g a ?k }} ORDER BY ?g"
    ):
        if row["g"].value in stats.graphs:
            stats.kind_graphs.setdefault(row["slug"].value, []).append(row["g"].value)
    for slug, _, space, _ in LINK_TARGETS:
        stats.links[slug] = one(
            f'?s <{SCHEMA.sameAs}> ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{space}"))'
        )
    used = [
        r["t"].value
        for r in _select(
            store, "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } FILTER(isIRI(?t)) }"
        )
    ]
    stats.vocabularies = sorted({vocabulary(iri) for iri in used})
    stats.examples = [iri for iri in EXAMPLES if bool(store.query(f"ASK {{ <{iri}> ?p ?o }}"))]
    times = sorted(
        r["t"].value
        for r in _select(store, f"SELECT DISTINCT ?t WHERE {{ ?g <{PROV.generatedAtTime}> ?t }}")
    )
    changed = store.last_modified()
    stats.issued = times[0] if times else None
    stats.modified = max([*times[-1:], *([changed] if changed else [])], default=None)
    return stats


def vocabulary(iri: str) -> str:
    """The namespace of a term: up to its last ``#`` or ``/`` (``:`` in a URN, which has none).

    >>> vocabulary("http://schema.org/name"), vocabulary("http://www.w3.org/ns/org#member")
    ('http://schema.org/', 'http://www.w3.org/ns/org#')
    >>> vocabulary("urn:example:batch")  # not "": void:vocabulary takes an IRI
    'urn:example:'
    """
    cut = max(iri.rfind("#"), iri.rfind("/"))
    if cut < 0:
        cut = iri.rfind(":")
    return iri[: cut + 1]


def dataset_description(
    store: Store, *, base_url: str, files: Sequence[DumpFile] = (), stats: Statistics | None = None
) -> list[ox.Quad]:
    """The VoID + DCAT description of the dataset as sorted quads of the default graph.

    Args:
        store: the store described.
        base_url: where the server runs (``https://example.org``); the endpoint is
            ``{base_url}/sparql`` and the files ``{base_url}/download/{name}``.
        files: the dataset dumps to list as distributions.
        stats: counts already made for this data version (counted now when None).

    >>> from scidip_graph.store import OxigraphStore
    >>> len(dataset_description(OxigraphStore(), base_url="http://localhost")) > 20
    True
    """
    stats = stats or statistics(store)
    base = base_url.rstrip("/")
    out: list[ox.Quad] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal | int
    ) -> None:
        out.append(ox.Quad(s, _iri(p), _int(o) if isinstance(o, int) else o))

    ds = DATASET
    add(ds, "rdf:type", _iri("void:Dataset"))
    add(ds, "rdf:type", _iri("dcat:Dataset"))
    add(ds, "dct:title", ox.Literal(TITLE, language="en"))
    add(ds, "dct:description", ox.Literal(DESCRIPTION, language="en"))
    add(ds, "dct:license", ox.NamedNode(LICENSE))
    add(ds, "dct:publisher", ox.NamedNode(PUBLISHER))
    add(ds, "dcat:version", ox.Literal(f"{__version__}+{store.version}"))
    add(ds, "owl:versionInfo", ox.Literal(__version__))
    for keyword in KEYWORDS:
        add(ds, "dcat:keyword", ox.Literal(keyword, language="en"))
    if stats.issued:
        add(ds, "dct:issued", _typed(stats.issued[:10], "xsd:date"))
    if stats.modified:
        add(ds, "dct:modified", _typed(_datetime(stats.modified), "xsd:dateTime"))
    add(ds, "dcat:landingPage", ox.NamedNode(base + "/"))
    add(ds, "void:uriSpace", ox.Literal(str(ID)))
    for name, value in (
        ("triples", stats.triples),
        ("entities", stats.entities),
        ("classes", stats.classes),
        ("properties", stats.properties),
        ("distinctSubjects", stats.distinct_subjects),
        ("distinctObjects", stats.distinct_objects),
    ):
        add(ds, f"void:{name}", value)
    for ns in stats.vocabularies:
        add(ds, "void:vocabulary", ox.NamedNode(ns))
    for iri in stats.examples:
        add(ds, "void:exampleResource", ox.NamedNode(iri))

    endpoint = ox.NamedNode(base + "/sparql")
    service = ox.NamedNode(DESC + "sparql-service")
    add(ds, "void:sparqlEndpoint", endpoint)
    add(service, "rdf:type", _iri("dcat:DataService"))
    add(service, "dct:title", ox.Literal("The SPARQL 1.1 endpoint of scidip-graph", language="en"))
    add(service, "dcat:endpointURL", endpoint)
    add(service, "dcat:endpointDescription", endpoint)
    add(service, "dcat:servesDataset", ds)
    add(service, "dct:conformsTo", ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/"))

    for f in files:
        url = ox.NamedNode(f"{base}/download/{f.name}")
        dist = ox.NamedNode(f"{DESC}download-{f.name}")
        add(ds, "void:dataDump", url)
        add(ds, "dcat:distribution", dist)
        add(dist, "rdf:type", _iri("dcat:Distribution"))
        add(dist, "dct:title", ox.Literal(f.entry.title, language="en"))
        add(dist, "dcat:downloadURL", url)
        add(dist, "dcat:accessURL", ox.NamedNode(f"{base}/download/"))
        add(dist, "dcat:mediaType", ox.NamedNode(MEDIA_TYPES + f.entry.media_type))
        add(dist, "dcat:byteSize", _typed(str(f.size), "xsd:nonNegativeInteger"))
        checksum = ox.BlankNode("sha256-" + f.sha256[:16])
        add(dist, "spdx:checksum", checksum)
        add(checksum, "rdf:type", _iri("spdx:Checksum"))
        add(checksum, "spdx:algorithm", _iri("spdx:checksumAlgorithm_sha256"))
        add(checksum, "spdx:checksumValue", _typed(f.sha256, "xsd:hexBinary"))

    provenance = _graph_provenance(store)
    for graph, triples in sorted(stats.graphs.items()):
        node = ox.NamedNode(graph)
        add(ds, "void:subset", node)
        add(node, "rdf:type", _iri("void:Dataset"))
        add(node, "void:triples", triples)
        for p, o in provenance.get(graph, []):
            out.append(ox.Quad(node, p, o))

    for slug, _, title in GRAPH_KINDS:
        kind = ox.NamedNode(f"{DESC}graphs-{slug}")
        add(ds, "void:subset", kind)
        add(kind, "rdf:type", _iri("void:Dataset"))
        add(kind, "dct:title", ox.Literal(title, language="en"))
        add(kind, "void:triples", stats.kinds.get(slug, 0))
        for graph in stats.kind_graphs.get(slug, []):
            add(kind, "void:subset", ox.NamedNode(graph))

    for iri, count in sorted(stats.class_partitions.items()):
        part = ox.NamedNode(f"{DESC}class-{_slug(iri)}")
        add(ds, "void:classPartition", part)
        add(part, "void:class", ox.NamedNode(iri))
        add(part, "void:entities", count)

    for slug, title, space, home in LINK_TARGETS:
        target, linkset = ox.NamedNode(DESC + slug), ox.NamedNode(f"{DESC}links-{slug}")
        add(target, "rdf:type", _iri("void:Dataset"))
        add(target, "dct:title", ox.Literal(title, language="en"))
        add(target, "void:uriSpace", ox.Literal(space))
        add(target, "dcat:landingPage", ox.NamedNode(home))
        add(ds, "void:subset", linkset)
        add(linkset, "rdf:type", _iri("void:Linkset"))
        add(linkset, "void:linkPredicate", _iri("schema:sameAs"))
        add(linkset, "void:target", ds)
        add(linkset, "void:target", target)
        add(linkset, "void:triples", stats.links.get(slug, 0))
    return sorted(set(out), key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))


def void_bytes(quads: Iterable[ox.Quad], format: str = "turtle") -> bytes:
    """The description in an RDF format (JSON-LD with the project context).

    >>> void_bytes([], "ntriples")
    b''
    """
    fmt = get_format(format, kinds=RDF_KINDS)
    return serialize_quads(quads, fmt, prefixes=DESCRIPTION_PREFIXES)


@dataclass(frozen=True)
class Citation:
    """What the "cite this dataset" block shows.

    Attributes:
        title: the dataset's title; ``version`` the package version (and data version).
        authors: who to credit; ``url`` where it lives; ``license`` its licence.
        text: the whole reference as one line.
    """

    title: str
    version: str
    authors: str
    url: str
    license: str
    text: str


def citation(store: Store | None = None) -> Citation:
    """How to cite the dataset (the same as ``CITATION.cff``).

    Args:
        store: when given, the data version is part of the version cited.

    >>> c = citation()
    >>> c.version == __version__, c.text.startswith("scidip-graph curators.")
    (True, True)
    """
    version = __version__ if store is None else f"{__version__} (data {store.version})"
    url = str(SCIDIP)
    text = (
        f"scidip-graph curators. {TITLE} (version {version}) [Data set]. {url}. "
        "Licensed under CC BY 4.0."
    )
    return Citation(TITLE, version, "scidip-graph curators", url, "CC-BY-4.0", text)


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _select(store: Store, sparql: str) -> list[ox.QuerySolution]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def _graph_provenance(store: Store) -> dict[str, list[tuple[ox.NamedNode, Term]]]:
    wanted = {_iri(p) for p in (*GRAPH_PROVENANCE, "dct:title", "dct:license")}
    found: dict[str, list[tuple[ox.NamedNode, Term]]] = {}
    for quad in store.quads(graph=""):
        if quad.predicate in wanted and isinstance(quad.subject, ox.NamedNode):
            found.setdefault(quad.subject.value, []).append((quad.predicate, quad.object))
    return found


def _iri(curie: str) -> ox.NamedNode:
    return ox.NamedNode(expand(curie, prefixes=DESCRIPTION_PREFIXES))


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=_iri(datatype))


def _int(value: int) -> ox.Literal:
    return _typed(str(value), "xsd:integer")


def _datetime(value: str) -> str:
    """A timestamp as xsd:dateTime with a zone (changeset times come as ISO 8601)."""
    return (
        dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat().replace("+00:00", "Z")
    )


def _slug(iri: str) -> str:
    compact = load_context().compact(iri)
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in compact)
