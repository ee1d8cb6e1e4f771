"""The SHACL shapes, driven by RDF files (STYLE habit 13).

``tests/shapes/valid/`` holds files that conform with no result at all; ``tests/shapes/invalid/``
holds one file per (shape, constraint) pair of ``ontology/shapes.ttl``, whose first lines say
which result it must produce::

    # expect: focus=<IRI> path=schema:name severity=Violation shape=shape:X constraint=sh:...

``focus=_:`` stands for a blank node (then ``anchor=<IRI>`` names the IRI that reaches it) and
``path=-`` for a constraint on the node itself. Each file is validated alone against
``shapes.ttl`` only (fast); the bundled data is validated once, against every shapes file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from scidip_graph.ingest.validation import ValidationResult, load_shapes, validate
from scidip_graph.resources import DATA_DIR, ONTOLOGY_DIR

HERE = Path(__file__).parent / "shapes"
VALID = sorted((HERE / "valid").glob("*.t*"))
INVALID = sorted((HERE / "invalid").glob("*.t*"))
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
SHAPE_NS = "https://w3id.org/scidip/shapes#"

# Constraint parameter -> the component pySHACL reports for it.
COMPONENTS = {
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn",
    SH.uniqueLang: "UniqueLang",
    SH["in"]: "In",
    SH.hasValue: "HasValue",
    SH["or"]: "Or",
    SH["and"]: "And",
    SH["not"]: "Not",
    SH.xone: "Xone",
    SH.node: "Node",
    SH.qualifiedMinCount: "QualifiedMinCount",
    SH.qualifiedMaxCount: "QualifiedMaxCount",
}
EXPECT = re.compile(r"^# expect: (.*)$", re.MULTILINE)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes([SHAPES_FILE])


def read(path: Path) -> Dataset:
    ds = Dataset()
    ds.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
    return ds


def expectation(path: Path) -> dict[str, str]:
    match = EXPECT.search(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no '# expect:' line"
    return dict(item.split("=", 1) for item in match.group(1).split())


def matches(result: ValidationResult, expected: dict[str, str]) -> bool:
    focus = expected["focus"]
    checks = [
        result.focus_node.startswith("_:") if focus == "_:" else f"<{result.focus_node}>" == focus,
        (result.path or "-") == expected["path"],
        result.severity == expected["severity"],
        result.source_shape == expected["shape"],
        result.constraint == expected["constraint"],
    ]
    if "anchor" in expected:
        checks.append(f"<{result.anchor}>" == expected["anchor"])
    return all(checks)


def declared_constraints() -> set[tuple[str, str]]:
    """Every (shape, constraint component) pair stated directly on a named shape."""
    graph = Graph().parse(SHAPES_FILE)
    pairs = set()
    for shape, parameter in graph.subject_predicates(None):
        if isinstance(shape, URIRef) and str(shape).startswith(SHAPE_NS):
            component = COMPONENTS.get(parameter)
            if component:
                name = "shape:" + str(shape)[len(SHAPE_NS) :]
                pairs.add((name, f"sh:{component}ConstraintComponent"))
    return pairs


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_file_conforms(path: Path, shapes: Graph) -> None:
    report = validate(read(path), shapes=shapes)
    assert report.results == [], report.text()


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_file_is_rejected(path: Path, shapes: Graph) -> None:
    expected = expectation(path)
    report = validate(read(path), shapes=shapes)
    assert any(matches(r, expected) for r in report.results), (
        f"expected {expected}\n{report.text()}"
    )
    assert report.conforms is (expected["severity"] != "Violation")


def test_every_constraint_has_an_invalid_file() -> None:
    covered = {(e["shape"], e["constraint"]) for e in map(expectation, INVALID)}
    missing = sorted(declared_constraints() - covered)
    assert not missing, f"constraints without an invalid file in tests/shapes/invalid: {missing}"


def test_every_invalid_file_names_a_declared_constraint() -> None:
    declared = declared_constraints()
    stale = [
        p.name
        for p in INVALID
        if (lambda e: (e["shape"], e["constraint"]))(expectation(p)) not in declared
    ]
    assert not stale, f"invalid files for constraints shapes.ttl no longer has: {stale}"


def test_every_constraint_has_a_message_and_a_severity() -> None:
    graph = Graph().parse(SHAPES_FILE)
    for shape, _ in declared_constraints():
        iri = URIRef(SHAPE_NS + shape.removeprefix("shape:"))
        assert graph.value(iri, SH.message), f"{shape} has no sh:message"
        assert graph.value(iri, SH.severity), f"{shape} has no sh:severity"


def test_bundled_data_conforms() -> None:
    from scidip_graph.ingest.loading import bundled_files, load_sources

    if not DATA_DIR.is_dir() or not list(DATA_DIR.glob("*.trig")):
        pytest.skip("data/ has no .trig file yet")
    sources = load_sources(bundled_files())
    report = validate(sources.to_rdflib(), origins=sources.origins)
    assert report.conforms, report.text()
