"""The Python API: ``select()`` returns typed values that keep language tags and datatypes."""

from __future__ import annotations

import pickle
import re
from decimal import Decimal
from pathlib import Path

import pytest

from scidip_graph.api import IRI, BlankNode, KnowledgeGraph, Literal
from scidip_graph.errors import SparqlSyntaxError

README = Path(__file__).resolve().parent.parent / "README.md"
XSD = "http://www.w3.org/2001/XMLSchema#"
CERN = "https://w3id.org/scidip/id/organization/cern"


def test_language_tags_are_kept(sample_kg: KnowledgeGraph) -> None:
    rows = sample_kg.select(
        f"SELECT ?name WHERE {{ <{CERN}> <http://schema.org/name> ?name }} ORDER BY ?name"
    )
    names = sorted((row["name"], row["name"].language) for row in rows)
    assert names == [("CERN", "en"), ("CERN", "fr")]
    assert all(isinstance(row["name"], Literal) for row in rows)
    assert rows[0]["name"].datatype == "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def test_datatypes_are_kept(sample_kg: KnowledgeGraph) -> None:
    (row,) = sample_kg.select(
        f"SELECT ?count ?founded WHERE {{ <{CERN}> "
        "<https://w3id.org/scidip/ontology#statedMemberCount> ?count ; "
        "<http://schema.org/foundingDate> ?founded }"
    )
    assert row["count"] == 23 and type(row["count"]) is int
    assert row["founded"] == "1954"
    assert row["founded"].datatype == XSD + "gYear" and row["founded"].language is None


def test_nodes_say_what_they_are(sample_kg: KnowledgeGraph) -> None:
    rows = sample_kg.select(
        "SELECT ?m ?interval WHERE { ?m <http://www.w3.org/ns/org#memberDuring> ?interval }"
    )
    assert isinstance(rows[0]["m"], IRI) and rows[0]["m"].startswith("https://w3id.org/")
    assert isinstance(rows[0]["interval"], BlankNode)


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ('"0.10"^^xsd:decimal', Decimal("0.10")),
        ('"1.5e3"^^xsd:double', 1500.0),
        ('"-7"^^xsd:nonPositiveInteger', -7),
        ('"true"^^xsd:boolean', True),
        ('"0"^^xsd:boolean', False),
        ('"2024-01-31"^^xsd:date', Literal("2024-01-31", datatype=XSD + "date")),
        ('"plain"', Literal("plain", datatype=XSD + "string")),
        ('"twelve"^^xsd:integer', Literal("twelve", datatype=XSD + "integer")),  # ill-typed
    ],
)
def test_values_of_each_datatype(sample_kg: KnowledgeGraph, literal: str, expected: object) -> None:
    (row,) = sample_kg.select(f"PREFIX xsd: <{XSD}> SELECT ?v WHERE {{ BIND({literal} AS ?v) }}")
    assert row["v"] == expected and type(row["v"]) is type(expected)
    if isinstance(expected, Literal):
        assert (row["v"].language, row["v"].datatype) == (None, expected.datatype)


def test_unbound_variables_are_absent(sample_kg: KnowledgeGraph) -> None:
    assert sample_kg.select("SELECT ?x ?y WHERE { BIND(1 AS ?x) }") == [{"x": 1}]


def test_a_literal_survives_pickling() -> None:
    name = pickle.loads(pickle.dumps(Literal("Suisse", language="fr")))
    assert (name, name.language, type(name)) == ("Suisse", "fr", Literal)


def test_syntax_errors_are_the_endpoints(sample_kg: KnowledgeGraph) -> None:
    with pytest.raises(SparqlSyntaxError, match=r"^undeclared prefix 'foo:' at line 1"):
        sample_kg.select("SELECT ?x WHERE { ?x foo:bar ?y }")


def test_the_readme_example_shows_what_select_returns() -> None:
    found = re.search(r"From Python:\n```python\n(.+?)```", README.read_text(), re.DOTALL)
    assert found, "the README's Python example"
    names: dict[str, object] = {}
    exec(found[1], names)
    shown = re.findall(r"^(.+?)  # ([\[({].*)$", found[1], re.MULTILINE)
    assert shown
    for expression, value in shown:
        assert repr(eval(expression, names)) == value, expression
