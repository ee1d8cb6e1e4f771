"""JSON-LD with the project context: round trips, compactness, determinism, one writer."""

from __future__ import annotations

import io
import json
import random

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from scidip_graph.api import KnowledgeGraph, open_graph
from scidip_graph.namespaces import PREFIXES
from scidip_graph.rdf.exporters import dump
from scidip_graph.rdf.jsonld import CONTEXT_PATH, jsonld_bytes, jsonld_document, load_context
from scidip_graph.settings import Settings
from scidip_graph.web import create_app
from tests.conftest import SAMPLE

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(autouse=True)
def _private_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    # `serve` run in-process by an earlier test (test_startup) leaves PROMETHEUS_MULTIPROC_DIR
    # set, and then a second app in this process clashes in the shared metrics registry.
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)


def _graphs(ds: Dataset) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs.setdefault(str(g), Graph()).add((s, p, o))
    return graphs


def _assert_same_dataset(expected: Dataset, data: bytes) -> None:
    parsed = Dataset()
    parsed.parse(data=data, format="json-ld")
    want, got = _graphs(expected), _graphs(parsed)
    assert sorted(want) == sorted(got)
    for name in want:
        if not isomorphic(want[name], got[name]):
            _, missing, unexpected = graph_diff(to_isomorphic(want[name]), to_isomorphic(got[name]))
            pytest.fail(
                f"{name}\nmissing:\n{missing.serialize(format='nt')}"
                f"unexpected:\n{unexpected.serialize(format='nt')}"
            )


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_sample_round_trips_with_named_graphs(sample_kg: KnowledgeGraph) -> None:
    assert sample_kg.sources is not None
    _assert_same_dataset(sample_kg.sources.to_rdflib(), jsonld_bytes(sample_kg.store.quads()))


def test_bundled_data_round_trips(bundled_kg: KnowledgeGraph) -> None:
    assert bundled_kg.sources is not None
    _assert_same_dataset(bundled_kg.sources.to_rdflib(), jsonld_bytes(bundled_kg.store.quads()))


def test_no_full_iris_as_keys_and_terms_for_the_data(bundled_kg: KnowledgeGraph) -> None:
    doc = jsonld_document(bundled_kg.store.quads(), context_url="/context.jsonld")
    keys = _keys(doc["@graph"])
    assert not [k for k in keys if "://" in k]
    assert {"name", "memberOf", "inXSDDate", "sameAs", "wasDerivedFrom"} <= keys
    # Every property of the bundled data has a short term (the fallback is for mismatched
    # datatypes only); dct:description and dct:publisher (a publisher's name as a case sheet
    # gives it) share their local names with schema:description and schema:publisher.
    assert {k for k in keys if ":" in k} <= {"dct:description", "dct:publisher", "time:inXSDDate"}


def test_context_prefixes_and_terms_are_consistent() -> None:
    ctx = load_context()
    definitions = json.loads(CONTEXT_PATH.read_text())["@context"]
    assert {k: definitions[k] for k in PREFIXES} == PREFIXES
    iris = list(ctx.terms) + list(ctx.classes)
    assert len(iris) == len(set(iris)), "two terms for one IRI"
    assert "https://schema.org/" not in CONTEXT_PATH.read_text()


def test_mismatched_datatype_falls_back_to_the_compact_iri_key() -> None:
    s, inside = ox.NamedNode("https://w3id.org/scidip/id/x"), ox.NamedNode("http://x.org/o")
    date = ox.NamedNode("http://www.w3.org/2006/time#inXSDDate")
    member_of = ox.NamedNode("https://w3id.org/scidip/ontology#memberOf")
    quads = [
        ox.Quad(s, date, ox.Literal("1954-09-29", datatype=ox.NamedNode(XSD + "date"))),
        ox.Quad(s, date, ox.Literal("1954", datatype=ox.NamedNode(XSD + "gYear"))),
        ox.Quad(s, member_of, inside),
        ox.Quad(s, member_of, ox.Literal("not an IRI")),
        ox.Quad(s, member_of, ox.Literal("007", datatype=ox.NamedNode(XSD + "integer"))),
    ]
    doc = jsonld_document(quads)
    node = doc["@graph"][0]
    assert node["inXSDDate"] == "1954-09-29"
    assert node["time:inXSDDate"] == {"@value": "1954", "@type": "xsd:gYear"}
    assert node["memberOf"] == "http://x.org/o"
    assert node["sd:memberOf"] == [{"@value": "007", "@type": "xsd:integer"}, "not an IRI"]
    parsed = Graph().parse(data=json.dumps(doc), format="json-ld")
    want = Graph().parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nt")
    assert isomorphic(want, parsed)


def test_blank_nodes_shared_across_graphs_keep_their_label() -> None:
    b, p = ox.BlankNode("shared"), ox.NamedNode("http://x.org/p")
    g1, g2 = ox.NamedNode("http://x.org/g1"), ox.NamedNode("http://x.org/g2")
    quads = [
        ox.Quad(ox.NamedNode("http://x.org/a"), p, b, g1),
        ox.Quad(b, p, ox.Literal("x"), g2),
        ox.Quad(ox.BlankNode("c1"), p, ox.BlankNode("c2"), g1),  # a cycle of blank nodes
        ox.Quad(ox.BlankNode("c2"), p, ox.BlankNode("c1"), g1),
    ]
    ds = Dataset()
    ds.parse(data=jsonld_bytes(quads), format="json-ld")
    assert len(list(ds.quads((None, None, None, None)))) == 4
    rows = list(ds.quads((None, URIRef(p.value), None, None)))
    shared = {o for _, _, o, _ in rows if str(o) != "x"}
    subjects = {s for s, _, _, _ in rows}
    assert len(shared & subjects) == 3  # shared, c1, c2 are each both subject and object


def test_deterministic_whatever_the_input_order(sample_kg: KnowledgeGraph) -> None:
    quads = list(sample_kg.store.quads())
    shuffled = quads[:]
    random.Random(4).shuffle(shuffled)
    assert jsonld_bytes(quads) == jsonld_bytes(shuffled)


def test_context_embedded_by_default_or_referenced() -> None:
    assert jsonld_document([])["@context"] == load_context().document["@context"]
    assert jsonld_document([], context_url="https://x.org/c.jsonld")["@context"] == (
        "https://x.org/c.jsonld"
    )


def test_cli_export_and_endpoint_use_the_same_writer(sample_kg: KnowledgeGraph) -> None:
    buf = io.BytesIO()
    dump(sample_kg.store, "jsonld", buf)
    assert buf.getvalue() == jsonld_bytes(sample_kg.store.quads())
    client = create_app(Settings(), store=open_graph([SAMPLE]).store).test_client()
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    r = client.get("/sparql", query_string={"query": construct, "format": "jsonld"})
    assert r.status_code == 200
    triples = [ox.Quad(t.subject, t.predicate, t.object) for t in sample_kg.store.query(construct)]
    assert r.data == jsonld_bytes(triples)
    assert '"name"' in r.text and '"http://schema.org/name"' not in r.text
