"""ontology/scidip.ttl: metadata, and the lines every sd: term must have."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from scidip_graph.namespaces import SD
from scidip_graph.resources import ONTOLOGY_DIR

ONTOLOGY = URIRef(str(SD))
VANN = "http://purl.org/vocab/vann/"
GRAPH = Graph().parse(ONTOLOGY_DIR / "scidip.ttl")
TERMS = sorted(
    s for s in set(GRAPH.subjects(RDF.type, None)) if str(s).startswith(str(SD)) and s != ONTOLOGY
)
PROPERTIES = [t for t in TERMS if (t, RDF.type, OWL.Class) not in GRAPH]
REQUIRED = [
    "Example", "CallForApplications", "SourceGraph", "category", "involves",
    "involvesOrganization", "involvesCountry", "involvesPerson", "involvesPlace", "outcome",
    "openingDate", "helpedEstablish", "statedMemberCount", "statedMemberDescription",
    "iso3166Alpha2", "iso3166Alpha3", "iso3166Numeric", "iso3166Alpha4", "editionNumber",
    "callFor", "callOpened", "statedStatus", "memberOf", "associateMemberOf", "observerOf",
    "underAuspicesOf",
]  # fmt: skip


def english(term: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        o for o in GRAPH.objects(term, predicate) if isinstance(o, Literal) and o.language == "en"
    ]


def test_ontology_metadata() -> None:
    for predicate in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, OWL.versionIRI,
                      DCTERMS.license, DCTERMS.creator, DCTERMS.issued, DCTERMS.modified,
                      URIRef(VANN + "preferredNamespacePrefix"),
                      URIRef(VANN + "preferredNamespaceUri")):  # fmt: skip
        assert GRAPH.value(ONTOLOGY, predicate) is not None, predicate
    assert GRAPH.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


@pytest.mark.parametrize("name", REQUIRED)
def test_required_terms_are_defined(name: str) -> None:
    assert SD[name] in TERMS


@pytest.mark.parametrize("term", TERMS, ids=[t.removeprefix(str(SD)) for t in TERMS])
def test_term_is_documented(term: URIRef) -> None:
    assert len(english(term, RDFS.label)) == 1
    assert len(english(term, RDFS.comment)) == 1
    assert GRAPH.value(term, RDFS.isDefinedBy) == ONTOLOGY
    if term in PROPERTIES:
        assert GRAPH.value(term, RDFS.domain) is not None
        assert GRAPH.value(term, RDFS.range) is not None


def test_only_http_schema_org() -> None:
    assert "https://schema.org/" not in (ONTOLOGY_DIR / "scidip.ttl").read_text()
    assert "https://schema.org/" not in (ONTOLOGY_DIR / "shapes.ttl").read_text()


def test_shortcuts_that_are_not_membership() -> None:
    # Observers and associates are not members: a query for members must not count them.
    for name in ("observerOf", "associateMemberOf", "associateMemberPreStageOf", "fellowOf"):
        assert (SD[name], RDFS.subPropertyOf, SD.memberOf) not in GRAPH
        assert (SD[name], RDFS.subPropertyOf, SD.hasMembershipRoleIn) in GRAPH
