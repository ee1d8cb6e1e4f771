"""The dataset description: every number equals a SPARQL count on the store, also after writes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from scidip_graph import __version__
from scidip_graph.api import KnowledgeGraph, open_graph
from scidip_graph.namespaces import DESC as VOID_NS
from scidip_graph.pages.readers import graph_numbers
from scidip_graph.pages.void import (
    DATASET,
    GRAPH_KINDS,
    citation,
    dataset_description,
    statistics,
    void_bytes,
)
from scidip_graph.settings import Settings
from scidip_graph.store import Store
from scidip_graph.web import create_app
from tests.conftest import SAMPLE

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SAME_AS = "http://schema.org/sameAs"
DS = URIRef(DATASET.value)
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _private_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    # `serve` run in-process by an earlier test (test_startup) leaves PROMETHEUS_MULTIPROC_DIR
    # set, and then a second app in this process clashes in the shared metrics registry.
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)


def _count(store: Store, where: str, what: str = "COUNT(*)") -> int:
    row = next(iter(store.query(f"SELECT ({what} AS ?n) WHERE {{ {where} }}")))  # type: ignore[call-overload]
    return int(row["n"].value)


def _int(g: Graph, s: URIRef, p: URIRef) -> int:
    value = g.value(s, p)
    assert isinstance(value, Literal), (s, p)
    return int(value)


def _void(store: Store) -> Graph:
    description = dataset_description(store, base_url="http://h")
    return Graph().parse(data=void_bytes(description), format="turtle")


def _assert_counts_match(store: Store, g: Graph) -> None:
    assert _int(g, DS, VOID.triples) == _count(store, "?s ?p ?o")
    assert _int(g, DS, VOID.properties) == _count(store, "?s ?p ?o", "COUNT(DISTINCT ?p)")
    assert _int(g, DS, VOID.classes) == _count(store, "?s a ?c", "COUNT(DISTINCT ?c)")
    assert _int(g, DS, VOID.distinctSubjects) == _count(store, "?s ?p ?o", "COUNT(DISTINCT ?s)")
    assert _int(g, DS, VOID.distinctObjects) == _count(store, "?s ?p ?o", "COUNT(DISTINCT ?o)")
    assert _int(g, DS, VOID.entities) == _count(
        store,
        '?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/scidip/id/") && !isBlank(?s))',
        "COUNT(DISTINCT ?s)",
    )
    graphs = {URIRef(name) for name in store.graph_names()}
    kinds = {URIRef(f"{VOID_NS}graphs-{slug}"): cls for slug, cls, _ in GRAPH_KINDS}
    subsets = {s for s in g.objects(DS, VOID.subset) if (s, VOID.linkPredicate, None) not in g}
    assert subsets == graphs | set(kinds)
    for kind, cls in kinds.items():  # distinct triples of the graphs of a kind, and those graphs
        where = f"?g a <{cls}> GRAPH ?g {{ ?s ?p ?o }}"
        expected = _count(store, f"SELECT DISTINCT ?s ?p ?o WHERE {{ {where} }}", "COUNT(*)")
        assert _int(g, kind, VOID.triples) == expected, kind
        named = {URIRef(r["g"].value) for r in store.query(f"SELECT ?g WHERE {{ ?g a <{cls}> }}")}  # type: ignore[union-attr]
        assert set(g.objects(kind, VOID.subset)) == named & graphs, kind
    for graph in graphs:
        assert _int(g, graph, VOID.triples) == _count(store, f"GRAPH <{graph}> {{ ?s ?p ?o }}")
    partitions = list(g.objects(DS, VOID.classPartition))
    assert len(partitions) == _int(g, DS, VOID.classes)
    for part in partitions:
        cls = g.value(part, VOID["class"])
        n = _count(store, f"?s a <{cls}>", "COUNT(DISTINCT ?s)")
        assert _int(g, part, VOID.entities) == n, cls
    for slug, space in (
        ("wikidata", "http://www.wikidata.org/entity/"),
        ("ror", "https://ror.org/"),
        ("geonames", "https://sws.geonames.org/"),
    ):
        linkset = URIRef(f"{VOID_NS}links-{slug}")
        assert (DS, VOID.subset, linkset) in g
        assert g.value(linkset, VOID.linkPredicate) == URIRef(SAME_AS)
        assert set(g.objects(linkset, VOID.target)) == {DS, URIRef(VOID_NS + slug)}
        expected = _count(store, f'?s <{SAME_AS}> ?o FILTER(STRSTARTS(STR(?o), "{space}"))')
        assert _int(g, linkset, VOID.triples) == expected


def test_counts_equal_sparql_counts_on_the_sample(sample_kg: KnowledgeGraph) -> None:
    _assert_counts_match(sample_kg.store, _void(sample_kg.store))


def test_counts_equal_sparql_counts_on_the_bundled_data(bundled_kg: KnowledgeGraph) -> None:
    g = _void(bundled_kg.store)
    _assert_counts_match(bundled_kg.store, g)
    assert _int(g, URIRef(VOID_NS + "links-wikidata"), VOID.triples) > 40
    examples = {str(o) for o in g.objects(DS, VOID.exampleResource)}
    assert "https://w3id.org/scidip/id/organization/cern" in examples
    assert "https://w3id.org/scidip/id/concept/science-diplomacy" in examples
    vocabularies = {str(o) for o in g.objects(DS, VOID.vocabulary)}
    assert {"http://schema.org/", "http://www.w3.org/ns/org#"} <= vocabularies
    article = URIRef("https://w3id.org/scidip/graph/article")
    derived = URIRef("https://w3id.org/scidip/id/source/twas-article")
    assert (article, PROV.wasDerivedFrom, derived) in g


def test_counts_follow_writes_through_the_server() -> None:
    store = open_graph([SAMPLE]).store
    client = create_app(Settings(), store=store).test_client()
    before = Graph().parse(data=client.get("/void").data, format="turtle")
    _assert_counts_match(store, before)
    g3 = ox.NamedNode("https://w3id.org/scidip/graph/three")
    lab = ox.NamedNode("https://w3id.org/scidip/id/organization/lab")
    store.add(
        [
            ox.Quad(lab, ox.NamedNode(str(VOID) + "x"), ox.Literal("y"), g3),
            ox.Quad(lab, ox.NamedNode(SAME_AS), ox.NamedNode("https://ror.org/000"), g3),
            ox.Quad(
                lab,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("http://schema.org/Organization"),
                g3,
            ),
        ]
    )
    after = Graph().parse(data=client.get("/void").data, format="turtle")
    _assert_counts_match(store, after)
    assert _int(after, DS, VOID.triples) == _int(before, DS, VOID.triples) + 3
    assert _int(after, URIRef(VOID_NS + "links-ror"), VOID.triples) == 1
    # the dumps listed are the new ones
    listed = {f["name"]: f["sha256"] for f in client.get("/download/index.json").json["files"]}
    sizes = {str(o) for o in after.objects(None, DCAT.byteSize)}
    assert str(len(client.get("/download/scidip-graph.nq").data)) in sizes
    assert listed["scidip-graph.nq"] in after.serialize(format="nt")


def test_dcat_distributions_and_service(sample_kg: KnowledgeGraph) -> None:
    client = create_app(Settings(), store=open_graph([SAMPLE]).store).test_client()
    # The links are relative: they resolve against the URL the client fetched.
    g = Graph().parse(
        data=client.get("/void.ttl").data, format="turtle", publicID="http://localhost/void.ttl"
    )
    endpoint = URIRef("http://localhost/sparql")
    assert g.value(DS, VOID.sparqlEndpoint) == endpoint
    service = g.value(None, DCAT.endpointURL, endpoint)
    assert g.value(service, DCAT.servesDataset) == DS
    assert g.value(DS, DCT.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(DS, DCT.publisher) == URIRef("https://w3id.org/scidip/id/agent/curators")
    assert str(g.value(DS, DCAT.version)).startswith(__version__ + "+")
    dumps = set(g.objects(DS, VOID.dataDump))
    assert URIRef("http://localhost/download/scidip-graph.trig") in dumps and len(dumps) == 6
    for dist in g.objects(DS, DCAT.distribution):
        url = g.value(dist, DCAT.downloadURL)
        data = client.get(str(url).removeprefix("http://localhost")).data
        assert int(g.value(dist, DCAT.byteSize)) == len(data)  # type: ignore[arg-type]
        assert str(g.value(dist, DCAT.mediaType)).startswith("https://www.iana.org/")


@pytest.mark.parametrize(
    ("path", "accept", "media", "rdflib"),
    [
        ("/void", None, "text/turtle", "turtle"),
        ("/void", "application/ld+json", "application/ld+json", "json-ld"),
        ("/void", "application/n-triples", "application/n-triples", "nt"),
        ("/void", "application/rdf+xml;q=0.9, text/html;q=0.1", "application/rdf+xml", "xml"),
        ("/void.ttl", "application/ld+json", "text/turtle", "turtle"),
        ("/void.jsonld", None, "application/ld+json", "json-ld"),
        ("/void.nt", None, "application/n-triples", "nt"),
        ("/void.rdf", None, "application/rdf+xml", "xml"),
    ],
)
def test_formats_by_accept_and_suffix(
    path: str, accept: str | None, media: str, rdflib: str
) -> None:
    client = create_app(Settings(), store=open_graph([SAMPLE]).store).test_client()
    headers = {"Accept": accept} if accept else {}
    r = client.get(path, headers=headers)
    assert r.status_code == 200 and r.content_type.split(";")[0] == media
    # Relative links resolve against the URL fetched; N-Triples, which cannot hold them, has
    # them on the address the server listens on: the same graphs when fetched from there.
    here = "http://127.0.0.1:8000"
    turtle = Graph().parse(
        data=client.get("/void.ttl").data, format="turtle", publicID=here + "/void.ttl"
    )
    assert isomorphic(Graph().parse(data=r.data, format=rdflib, publicID=here + path), turtle)
    again = client.get(path, headers={**headers, "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def test_a_browser_gets_a_page_with_the_statistics_and_the_numbered_graphs(
    sample_kg: KnowledgeGraph,
) -> None:
    client = create_app(Settings(), store=sample_kg.store).test_client()
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/void", headers={"Accept": browser})
    assert (r.status_code, r.mimetype) == (200, "text/html")
    assert r.headers["Vary"] == "Accept, Accept-Encoding"
    html = r.data.decode()
    stats = statistics(sample_kg.store)
    assert f'<dd data-count="triples">{stats.triples}</dd>' in html
    assert f'<dd data-count="graphs">{len(stats.graphs)}</dd>' in html
    for graph, number in graph_numbers(sample_kg.store).items():
        if graph:  # each graph under the footnote number the resource pages give it
            row = html.split(f'<tr id="source-{number}">', 1)[1].split("</tr>", 1)[0]
            assert f"graph:{graph.rsplit('/', 1)[-1]}</code>" in row
    assert '<a href="/void.ttl" type="text/turtle">' in html
    assert client.get("/void").mimetype == "text/turtle"  # machines: RDF as before


def test_unsupported_type_and_suffix() -> None:
    client = create_app(Settings(), store=open_graph([SAMPLE]).store).test_client()
    r = client.get("/void", headers={"Accept": "text/csv"})
    assert r.status_code == 406 and r.json["error"]["status"] == 406
    assert client.get("/void.csv").status_code == 404


def test_citation_matches_citation_cff() -> None:
    cff = (REPO / "CITATION.cff").read_text()
    fields = dict(re.findall(r'^(\w[\w-]*): "?([^"\n]*)"?$', cff, re.MULTILINE))
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert fields["cff-version"] == "1.2.0"
    assert fields["version"] == project["version"] == citation().version
    assert fields["title"] == citation().title
    assert fields["license"] == "CC-BY-4.0" and "license: MIT" in cff
    assert "scidip-graph curators" in cff and citation().version in citation().text
    store = open_graph([SAMPLE]).store
    assert store.version in citation(store).version
