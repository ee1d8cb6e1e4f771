"""The validation report API: conformance, text, JSON, files, and an untouched input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_isomorphic

from scidip_graph.ingest.validation import ValidationReport, load_shapes, validate
from scidip_graph.resources import ONTOLOGY_DIR

ID = "https://w3id.org/scidip/id/"
DATA = """
@prefix sd: <https://w3id.org/scidip/ontology#> .
@prefix schema: <http://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix g: <https://w3id.org/scidip/graph/> .
@prefix orgn: <https://w3id.org/scidip/id/organization/> .
@prefix cty: <https://w3id.org/scidip/id/country/> .
@prefix ms: <https://w3id.org/scidip/id/membership/> .
@prefix role: <https://w3id.org/scidip/id/role/> .

g:a {
    orgn:cern a schema:Organization ; schema:name "CERN"@en .
    cty:CH a schema:Country ; sd:iso3166Alpha2 "CH" .
    ms:cern-ch a org:Membership ; org:member cty:CH ; org:organization orgn:cern ;
        org:role role:member-state ;
        org:memberDuring [ a time:Interval ;
            time:hasBeginning [ a time:Instant ; time:inXSDDate "1954"^^xsd:gYear ] ] .
}
g:b {
    cty:CH schema:name "Switzerland" .
}
"""
ORIGINS = {"https://w3id.org/scidip/graph/a": "a.trig", "https://w3id.org/scidip/graph/b": "b.trig"}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes([ONTOLOGY_DIR / "shapes.ttl"])


@pytest.fixture
def data() -> Dataset:
    ds = Dataset()
    ds.parse(data=DATA, format="trig")
    return ds


@pytest.fixture
def report(data: Dataset, shapes: Graph) -> ValidationReport:
    return validate(data, shapes=shapes, origins=ORIGINS)


def test_violations_fail_and_are_described(report: ValidationReport) -> None:
    assert not report.conforms
    name = [r for r in report.violations() if r.source_shape == "shape:EnglishName"]
    assert [(r.focus_node, r.path, r.value, r.constraint) for r in name] == [
        (ID + "country/CH", "schema:name", '"Switzerland"', "sh:DatatypeConstraintComponent"),
        (ID + "country/CH", "schema:name", None, "sh:QualifiedMinCountConstraintComponent"),
    ]
    assert name[0].message.startswith("Needs a name in English")


def test_files_are_those_of_the_graphs_describing_the_node(report: ValidationReport) -> None:
    by_focus = {r.focus_node: r.files for r in report.results}
    assert by_focus[ID + "country/CH"] == ("a.trig", "b.trig")
    assert by_focus[ID + "organization/cern"] == ("a.trig",)


def test_blank_node_results_name_the_iri_that_reaches_them(report: ValidationReport) -> None:
    [instant] = [r for r in report.results if r.path == "time:inXSDDate"]
    assert instant.focus_node == "_:b0"
    assert instant.anchor == ID + "membership/cern-ch"
    assert instant.files == ("a.trig",)
    assert instant.value == '"1954"^^xsd:gYear'


def test_text_is_grouped_by_node(report: ValidationReport) -> None:
    text = report.text()
    assert text.startswith("Does not conform: ")
    assert f"<{ID}country/CH>  (a.trig, b.trig)" in text
    block = text.split(f"<{ID}membership/cern-ch>")[1]
    assert '_:b0 time:inXSDDate = "1954"^^xsd:gYear' in block
    # one header per node
    assert text.count(f"<{ID}country/CH>") == 1


def test_json_and_turtle(report: ValidationReport) -> None:
    body = json.loads(json.dumps(report.to_json()))
    assert body["conforms"] is False
    assert body["violations"] == len(report.violations())
    first = body["results"][0]
    assert set(first) >= {"focus_node", "path", "value", "message", "severity", "files"}
    assert "sh:ValidationReport" in report.to_turtle()


def test_report_order_is_deterministic(data: Dataset, shapes: Graph) -> None:
    first = validate(data, shapes=shapes, origins=ORIGINS)
    second = validate(data, shapes=shapes, origins=ORIGINS)
    assert first.results == second.results
    assert first.text() == second.text()


def test_input_is_not_mutated(data: Dataset, shapes: Graph) -> None:
    before = {(s, p, o, g) for s, p, o, g in data.quads((None, None, None, None))}
    graphs_before = sorted(str(g.identifier) for g in data.graphs())
    validate(data, shapes=shapes)
    assert {(s, p, o, g) for s, p, o, g in data.quads((None, None, None, None))} == before
    assert sorted(str(g.identifier) for g in data.graphs()) == graphs_before


def test_a_plain_graph_is_validated_too(shapes: Graph) -> None:
    graph = Graph().parse(
        data="<https://w3id.org/scidip/id/organization/x> a <http://schema.org/Organization> ;"
        ' <http://schema.org/name> "X"@en .',
        format="turtle",
    )
    copy = to_isomorphic(graph)
    report = validate(graph, shapes=shapes, origins={"": "x.ttl"})
    assert to_isomorphic(graph) == copy
    # A missing Wikidata link is only a warning: the data conforms.
    assert report.conforms
    [warning] = report.warnings()
    assert (warning.source_shape, warning.files) == ("shape:Organization-wikidata", ("x.ttl",))
    assert "Warning" in report.text()


def test_default_shapes_include_every_shapes_file() -> None:
    shapes = load_shapes()
    for path in sorted(ONTOLOGY_DIR.glob("shapes*.ttl")):
        assert all(triple in shapes for triple in Graph().parse(path) if not _has_bnode(triple))
    assert (URIRef("https://w3id.org/scidip/shapes#ExampleShape"), None, None) in shapes


def test_load_shapes_reads_given_paths(tmp_path: Path) -> None:
    path = tmp_path / "s.ttl"
    path.write_text("<urn:s> a <http://www.w3.org/ns/shacl#NodeShape> .")
    assert len(load_shapes([path])) == 1


def _has_bnode(triple: tuple[object, ...]) -> bool:
    return any(isinstance(term, BNode) for term in triple)
