"""The ontology documentation at /ontology is generated from ontology/ and lists every term."""

from __future__ import annotations

import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.namespace import OWL, RDF, RDFS

from scidip_graph.api import KnowledgeGraph
from scidip_graph.pages.ontology_docs import ONTOLOGY_FILE, live_examples, ontology_doc
from scidip_graph.settings import Settings
from scidip_graph.web import create_app

SD = "https://w3id.org/scidip/ontology#"


@pytest.fixture(scope="module")
def client(bundled_kg: KnowledgeGraph) -> FlaskClient:
    return create_app(Settings(), store=bundled_kg.store).test_client()


def declared() -> dict[str, rdflib.term.Node]:
    g = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        str(s): g.value(s, RDFS.label)
        for kind in kinds
        for s in g.subjects(RDF.type, kind)
        if str(s).startswith(SD)
    }


def test_every_term_is_documented(client: FlaskClient) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"}).data.decode()
    terms = declared()
    assert len(terms) > 25
    for iri, label in terms.items():
        local = iri[len(SD) :]
        assert f'id="{local}"' in html, iri
        assert f"<code>{iri}</code>" in html, iri
        assert str(label).replace("'", "&#39;") in html, iri


def test_doc_has_domain_range_alignments_and_shapes() -> None:
    doc = ontology_doc()
    by = {t.curie: t for t in doc.classes + doc.properties}
    category = by["sd:category"]
    assert [d.text for d in category.domain] == ["sd:Example"]
    assert [r.text for r in category.range] == ["skos:Concept"]
    assert ("subproperty of", "dct:subject") in [(a, b.text) for a, b in category.alignments]
    assert any(s.shape == "shape:Example-category" and "minCount 1" in s.constraints
               for s in category.shapes)  # fmt: skip
    example = by["sd:Example"]
    assert any(s.shape == "shape:ExampleShape" for s in example.shapes)
    assert by["sd:openingDate"].domain[0].text == "sd:Example or schema:Organization"


def test_live_examples(bundled_kg: KnowledgeGraph) -> None:
    found = live_examples(bundled_kg.store, ontology_doc())
    examples = bundled_kg.select(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) "
        "WHERE { ?e a <https://w3id.org/scidip/ontology#Example> }"
    )
    assert found[SD + "Example"].count == int(examples[0]["n"]) >= 5
    subject, _ = found[SD + "helpedEstablish"].items[0]
    assert (subject.text, subject.href) == ("CERN", "/id/organization/cern")


def test_ontology_page_shows_examples_and_constraints(client: FlaskClient) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"}).data.decode()
    assert 'href="/id/example/cern"' in html
    assert "shape:Example-category" in html
    assert "Violation" in html
