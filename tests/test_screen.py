"""The screen of a whole graph: the report through it is pySHACL's full report, result by result.

The ``shacl`` package only names the focus nodes that have a result; pySHACL then reports on
those (``scidip_graph.ingest.screen``, ``gate.check_all``). So the one property to hold is that
the screen misses no focus node pySHACL reports. Checked on every file of ``tests/shapes/``,
on the bundled data, on generated benchmark data, on blank nodes where a shape cares whether
a node is blank, and on literals rdflib reads otherwise than ``shacl``. Results are compared as
``tests/test_gate.py`` compares them (focus, path, value, severity, shape, message,
constraint).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from scidip_graph.ingest import screen
from scidip_graph.ingest.gate import change_scope, check_all, whole_reason
from scidip_graph.ingest.loading import bundled_files, load_sources, quads_to_rdflib
from scidip_graph.ingest.validation import load_shapes, validate
from scidip_graph.namespaces import DCTERMS, GRAPH, ID, PREFIXES, prefix_declarations
from scidip_graph.resources import ONTOLOGY_DIR
from tests.test_gate import assert_gate_agrees, bundled, bundled_results, keys, store_of

pytestmark = pytest.mark.skipif(screen.version() is None, reason="the shacl package is missing")

HERE = Path(__file__).parent
SHAPE_FILES = sorted((HERE / "shapes").rglob("*.t*"))
BENCH = HERE.parent / "bench" / "generate.py"


@pytest.fixture(scope="module")
def shapes_file() -> Graph:
    return load_shapes([ONTOLOGY_DIR / "shapes.ttl"])


def assert_screened_as_full(quads: list[ox.Quad], shapes: Graph | None = None) -> set:
    """The report through the screen, from a store and from rdflib, is the full report."""
    full = keys(validate(quads_to_rdflib(quads), shapes=shapes))
    assert keys(check_all(store_of(quads), shapes=shapes)) == full
    assert keys(check_all(quads_to_rdflib(quads), shapes=shapes)) == full
    return full


def test_the_screen_runs_on_the_projects_shapes() -> None:
    assert whole_reason() == ""


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shapes_file(path: Path, shapes_file: Graph) -> None:
    full = assert_screened_as_full(load_sources([path]).quads, shapes_file)
    assert bool(full) == (path.parent.name == "invalid")


def test_the_bundled_data() -> None:
    sources = load_sources(bundled_files())
    full = keys(validate(sources.to_rdflib(), origins=sources.origins))
    report = check_all(store_of(sources.quads), origins=sources.origins)
    assert keys(report) == full
    assert report.conforms and report.warnings()


def test_generated_benchmark_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, generate)  # its dataclasses look it up
    spec.loader.exec_module(generate)
    generator = generate.Generator(generate.Sizes.for_triples(3000), random.Random(7))
    generator.run()
    generate.write(generator, tmp_path, seed=7, target=3000)
    quads = load_sources(sorted((tmp_path / "trig").glob("*.trig"))).quads
    full = assert_screened_as_full(quads)
    # The benchmark's data conforms: warnings only (bench/bench_load.py loads it).
    assert full and {k[3].rsplit("#", 1)[1] for k in full} == {"Warning"}


BLANK_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:iri ; sh:nodeKind sh:IRI ] ,
        [ sh:path ex:iriOrLiteral ; sh:nodeKind sh:IRIOrLiteral ] ,
        [ sh:path ex:blankOrIri ; sh:nodeKind sh:BlankNodeOrIRI ] ,
        [ sh:path ex:literal ; sh:nodeKind sh:Literal ] ,
        [ sh:path ex:pattern ; sh:pattern "^urn:" ] ,
        [ sh:path ex:notPattern ; sh:not [ sh:pattern "^urn:" ] ] ,
        [ sh:path ex:part ; sh:class ex:Part ; sh:minCount 1 ] .
ex:IriShape a sh:NodeShape ; sh:targetClass ex:Part ; sh:nodeKind sh:IRI .
"""
BLANK_DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing ; ex:iri _:x ; ex:iriOrLiteral _:x ; ex:blankOrIri _:x ; ex:literal _:x ;
    ex:pattern _:x ; ex:notPattern _:x ; ex:part _:p .
ex:b a ex:Thing ; ex:iri <urn:b> ; ex:iriOrLiteral "b" ; ex:blankOrIri <urn:b> ;
    ex:literal "b" ; ex:pattern <urn:b> ; ex:notPattern "b" ; ex:part ex:p .
_:t a ex:Thing ; ex:part [ a ex:Part ] .
_:p a ex:Part .
ex:p a ex:Part .
"""


def test_blank_nodes_fail_where_shapes_say_so() -> None:
    # The screen writes blank nodes as IRIs: the guards keep their verdicts those of blank
    # nodes (sh:nodeKind, sh:pattern), and blank focus nodes are named again.
    shapes = Graph().parse(data=BLANK_SHAPES, format="turtle")
    assert whole_reason(shapes) == ""
    quads = list(ox.parse(BLANK_DATA.encode(), format=ox.RdfFormat.TURTLE))
    quads = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
    full = assert_screened_as_full(quads, shapes)
    assert {k[0].split("/")[-1].rstrip(">") for k in full if not k[0].startswith("_:")} == {"a"}
    assert any(k[0].startswith("_:") for k in full)  # the blank Part and the blank Thing


@pytest.mark.parametrize(
    "kind", ["sh:BlankNode", "sh:BlankNodeOrLiteral"], ids=["blank", "blank-or-literal"]
)
def test_shapes_that_ask_for_blank_nodes_are_not_screened(kind: str) -> None:
    extra = f"ex:ThingShape sh:property [ sh:path ex:blank ; sh:nodeKind {kind} ] ."
    shapes = Graph().parse(data=BLANK_SHAPES + extra, format="turtle")
    assert "blank nodes" in whole_reason(shapes)
    quads = list(ox.parse(BLANK_DATA.encode(), format=ox.RdfFormat.TURTLE))
    assert_screened_as_full([ox.Quad(q.subject, q.predicate, q.object) for q in quads], shapes)


MISREAD = (
    prefix_declarations(PREFIXES)
    + """
id:membership\\/odd a org:Membership ;
    org:member id:country\\/CH ;
    org:organization id:organization\\/cern ;
    org:role id:role\\/member-state ;
    org:memberDuring [ a time:Interval ;
        time:hasBeginning [ a time:Instant ; time:inXSDDate "0000-01-01"^^xsd:date ] ] .
id:organization\\/cern sd:statedMemberCount "023"^^xsd:integer .
"""
)


def test_literals_rdflib_reads_otherwise() -> None:
    # shacl takes year 0 for a date; rdflib does not, so pySHACL reports the instant and
    # the membership whose start date it is. The screen passes them: the gate finds them
    # as the nodes whose shapes read a literal rdflib reads otherwise.
    added = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(str(GRAPH.odd)))
        for q in ox.parse(MISREAD.encode(), format=ox.RdfFormat.TURTLE)
    ]
    text = b"".join(ox.serialize([q], format=ox.RdfFormat.N_QUADS) or b"" for q in added)
    assert {lit.value for lit in screen.misread(text)} == {"0000-01-01", "023"}
    full = assert_screened_as_full(bundled() + added)
    assert any("inXSDDate" in k[1] for k in full)


def test_a_bulk_change_through_the_screen_is_the_full_report() -> None:
    # The countries and regions leave: more than a quarter of the data, so the gate validates
    # the whole would-be state (through the screen).
    generated = {ox.NamedNode(str(GRAPH.iso3166)), ox.NamedNode(str(GRAPH.regions))}
    removed = [q for q in bundled() if q.graph_name in generated]
    assert change_scope(store_of(bundled()), removed=removed).focus_nodes is None
    after = assert_gate_agrees(bundled(), [], removed, bundled_results())
    assert any(k[3].endswith("Violation") for k in after)


def test_a_literal_focus_node() -> None:
    # dct:source is a target of shapes (sh:targetObjectsOf): a literal source is a focus
    # node, which the gate looks up without asking the store for a literal's triples.
    example = ox.NamedNode(str(ID["example/sesame"]))
    added = [ox.Quad(example, ox.NamedNode(str(DCTERMS.source)), ox.Literal("a book"))]
    assert_gate_agrees(bundled(), added, [], bundled_results())


def test_without_the_shacl_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screen, "shacl", None)
    assert whole_reason() == "the shacl package is not installed"
    quads = load_sources([SHAPE_FILES[0]]).quads
    assert keys(check_all(store_of(quads))) == keys(validate(quads_to_rdflib(quads)))


def test_the_first_start_verdict_is_kept_per_screen_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scidip_graph.store import startup

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("SCIDIP_VALIDATION_CACHE", raising=False)
    screened = startup._verdict_path("the same files")
    monkeypatch.setattr(startup, "screen_version", lambda: None)
    unscreened = startup._verdict_path("the same files")
    assert screened is not None and unscreened is not None and screened != unscreened
