"""Regions and groupings: the generator's rules, and the questions they make possible."""

from __future__ import annotations

import importlib.util

import pytest
from rdflib import URIRef

from scidip_graph.api import KnowledgeGraph
from scidip_graph.ingest import regions
from scidip_graph.ingest.countries import country_iri
from scidip_graph.namespaces import ID, SCHEMA, SD
from scidip_graph.resources import DATA_DIR

PREFIXES = """
PREFIX sd: <https://w3id.org/scidip/ontology#>
PREFIX schema: <http://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX id: <https://w3id.org/scidip/id/>
"""

# A few rows as the library gives them (None where it has nothing).
TABLE = {
    "FR": {"continent": "Europe", "UNregion": "Western Europe", "EU": "EU", "G7": "G7",
           "G20": "G20", "OECD": 1961.0, "UNmember": "1945", "CoE": "CoE", "BRIC": None},
    "BE": {"continent": "Europe", "UNregion": "Western Europe", "EU": "EU", "G7": None,
           "G20": "G20", "OECD": 1961.0, "UNmember": "1945", "CoE": "CoE", "BRIC": None},
    "BR": {"continent": "America", "UNregion": "South America", "EU": None, "G7": None,
           "G20": "G20", "OECD": None, "UNmember": "1945", "CoE": None, "BRIC": "BRIC"},
    "AQ": {"continent": "Antarctica", "UNregion": "Antarctica", "EU": None, "G7": None,
           "G20": None, "OECD": None, "UNmember": None, "CoE": None, "BRIC": None},
}  # fmt: skip


def org(slug: str) -> URIRef:
    return ID[f"organization/{slug}"]


@pytest.fixture(scope="module")
def generated() -> regions.Graph:
    return regions.build_regions(TABLE).graph(regions.REGIONS_GRAPH)


def test_countries_are_in_their_region_and_continent(generated: regions.Graph) -> None:
    places = set(generated.objects(country_iri("FR"), SCHEMA.containedInPlace))
    assert places == {ID["region/europe"], ID["region/western-europe"]}
    assert (ID["region/western-europe"], SCHEMA.containedInPlace, ID["region/europe"]) in generated
    # A region that is its own continent is not contained in itself.
    assert set(generated.objects(country_iri("AQ"), SCHEMA.containedInPlace)) == {
        ID["region/antarctica"]
    }
    assert (ID["region/antarctica"], SCHEMA.containedInPlace, None) not in generated


def test_g20_members_in_their_own_right(generated: regions.Graph) -> None:
    """The library marks Belgium G20 through the EU: not a member of its own."""
    members = set(generated.subjects(SD.memberOf, org("g20")))
    assert members == {country_iri("FR"), country_iri("BR"), org("european-union")}


def test_dated_memberships_only_where_the_library_has_years(generated: regions.Graph) -> None:
    query = (
        PREFIXES
        + """SELECT ?org ?year WHERE {
        ?m org:member <https://w3id.org/scidip/id/country/BE> ; org:organization ?org ;
           org:memberDuring/time:hasBeginning/time:inXSDgYear ?year }"""
    )
    years = {(str(r[0]).rsplit("/", 1)[1], str(r[1])) for r in generated.query(query)}
    assert years == {("united-nations", "1945"), ("oecd", "1961")}
    assert (country_iri("BE"), SD.memberOf, org("council-of-europe")) in generated


@pytest.mark.skipif(
    importlib.util.find_spec("country_converter") is None,
    reason="the maintainers' extra (country-converter) is not installed",
)
def test_the_bundled_file_is_what_the_library_gives() -> None:
    assert (DATA_DIR / "regions.trig").read_text(encoding="utf-8") == regions.serialize_regions()


def ask(kg: KnowledgeGraph, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in row) for row in kg.store.select(PREFIXES + query)]


def test_cern_members_outside_europe(bundled_kg: KnowledgeGraph) -> None:
    rows = ask(
        bundled_kg,
        """SELECT DISTINCT ?c WHERE {
             ?c sd:memberOf id:organization\\/cern .
             FILTER NOT EXISTS { ?c schema:containedInPlace id:region\\/europe } }""",
    )
    assert rows == [(str(country_iri("IL")),)]


def test_the_middle_east_is_the_curators_region(bundled_kg: KnowledgeGraph) -> None:
    rows = ask(
        bundled_kg,
        """SELECT ?g (COUNT(?c) AS ?n) WHERE {
             GRAPH ?g { ?c schema:containedInPlace id:region\\/middle-east }
             FILTER(STRSTARTS(STR(?c), "https://w3id.org/scidip/id/country/")) } GROUP BY ?g""",
    )
    assert rows == [("https://w3id.org/scidip/graph/editorial", "17")]
