"""The rules every case file of ``data/cases/`` follows (docs/modelling.md, "Cases").

They are the "bad input" of the data: a fact without a page to check it against, a country
code that is not ISO 3166-1, an organisation minted twice, an example without its primary
category, a host or participant without the general link a query for "involves" reads.
The rules are read from the loaded graph, so they hold for every case as it is added.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from scidip_graph.api import KnowledgeGraph
from scidip_graph.ingest.countries import FORMER_COUNTRIES
from scidip_graph.namespaces import GRAPH, ID
from scidip_graph.resources import DATA_DIR

CASES_DIR = DATA_DIR / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.trig")) if CASES_DIR.is_dir() else []
SHEETS = Path(__file__).resolve().parents[2] / "shared" / "sources"

PREFIXES = """
PREFIX sd: <https://w3id.org/scidip/ontology#>
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

USER_ASSIGNED = {"XK"}
"""Codes outside ISO 3166-1 a sheet uses on purpose: Kosovo's user-assigned code."""

SAME_NAME_ALLOWED: dict[str, str] = {}
"""Names two distinct organisations may share, each with why (none yet)."""


def case_graphs(kg: KnowledgeGraph) -> list[str]:
    """The named graphs the case files hold."""
    prefix = str(GRAPH)
    slugs = {p.stem for p in CASE_FILES}
    return [
        g
        for g in kg.store.graph_names()
        if g.startswith(prefix) and g[len(prefix) :].rsplit("-", 1)[0] in slugs
    ]


def rows(kg: KnowledgeGraph, query: str) -> list[tuple[str, ...]]:
    return [
        tuple(term.value if term is not None else "" for term in solution)
        for solution in kg.store.select(PREFIXES + query)
    ]


@pytest.fixture(scope="module")
def kg(bundled_kg: KnowledgeGraph) -> KnowledgeGraph:
    if not CASE_FILES:
        pytest.skip("no case files yet")
    return bundled_kg


def test_every_case_file_holds_its_sheet_s_graphs(kg: KnowledgeGraph) -> None:
    graphs = set(case_graphs(kg))
    for path in CASE_FILES:
        assert str(GRAPH[f"{path.stem}-editorial"]) in graphs, path.name
        assert any(g.startswith(str(GRAPH[f"{path.stem}-s"])) for g in graphs), path.name


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_a_case_file_names_a_sheet(path: Path) -> None:
    sheets = [SHEETS / "cases" / path.name, SHEETS / "cases-2" / path.name]
    sheets = [s.with_suffix(".md") for s in sheets]
    if not SHEETS.is_dir():
        pytest.skip("the source sheets are not next to this checkout")
    assert any(s.is_file() for s in sheets), f"{path.name}: no sheet of that slug"


def test_every_documentary_graph_leads_to_a_url(kg: KnowledgeGraph) -> None:
    """GRAPH ?g plus ?g prov:wasDerivedFrom/schema:url: from any case fact to its page."""
    found = dict(
        rows(
            kg,
            """SELECT ?g (SAMPLE(?url) AS ?u) WHERE {
                 ?g a sd:DocumentaryGraph .
                 OPTIONAL { ?g prov:wasDerivedFrom/schema:url ?url }
               } GROUP BY ?g""",
        )
    )
    for graph in case_graphs(kg):
        if graph.endswith("-editorial"):
            continue
        assert graph in found, f"{graph} is not typed sd:DocumentaryGraph"
        assert found[graph], f"{graph}: no prov:wasDerivedFrom with a schema:url"


def test_every_editorial_graph_is_the_curators(kg: KnowledgeGraph) -> None:
    editorial = {
        g
        for (g,) in rows(
            kg,
            f"""SELECT ?g WHERE {{ ?g a sd:EditorialGraph ;
                   prov:wasAttributedTo <{ID["agent/curators"]}> }}""",
        )
    }
    for graph in case_graphs(kg):
        if graph.endswith("-editorial"):
            assert graph in editorial, f"{graph}: not an sd:EditorialGraph of the curators"


def test_every_graph_is_documentary_or_editorial(bundled_kg: KnowledgeGraph) -> None:
    """Every named graph, not only the cases': a sourced fact or a judgement, by its type."""
    kg = bundled_kg
    typed = {
        g
        for (g,) in rows(
            kg,
            """SELECT DISTINCT ?g WHERE { ?g a sd:SourceGraph .
                 { ?g a sd:DocumentaryGraph } UNION { ?g a sd:EditorialGraph } }""",
        )
    }
    both = rows(kg, "SELECT ?g WHERE { ?g a sd:DocumentaryGraph , sd:EditorialGraph }")
    assert not both, f"graphs typed both documentary and editorial: {both}"
    untyped = sorted(set(kg.store.graph_names()) - typed)
    assert not untyped, f"graphs neither sd:DocumentaryGraph nor sd:EditorialGraph: {untyped}"


def test_country_codes_are_iso_3166(kg: KnowledgeGraph) -> None:
    prefix = str(ID["country/"])
    valid = {c.alpha_2 for c in pycountry.countries} | set(FORMER_COUNTRIES) | USER_ASSIGNED
    used = {
        iri
        for (iri,) in rows(
            kg,
            f"""SELECT DISTINCT ?c WHERE {{
                  {{ ?c ?p ?o }} UNION {{ ?s ?p ?c }}
                  FILTER(isIRI(?c) && STRSTARTS(STR(?c), "{prefix}")) }}""",
        )
    }
    wrong = sorted(iri for iri in used if iri[len(prefix) :] not in valid)
    assert not wrong, f"country IRIs that are not ISO 3166-1 (or a former state, or XK): {wrong}"


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"\bthe\b|[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def test_no_organisation_is_minted_twice(kg: KnowledgeGraph) -> None:
    """Two organisation IRIs with the same name, full name or acronym are one minted twice."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for org, name in rows(
        kg,
        """SELECT DISTINCT ?org ?name WHERE {
             ?org a schema:Organization .
             { ?org schema:name ?name } UNION { ?org schema:alternateName ?name } }""",
    ):
        by_name[_key(name)].add(org)
    twice = {
        name: sorted(orgs)
        for name, orgs in by_name.items()
        if len(orgs) > 1 and name not in SAME_NAME_ALLOWED
    }
    assert not twice, f"organisations minted twice (same name): {twice}"


def test_a_primary_category_is_a_category(kg: KnowledgeGraph) -> None:
    missing = rows(
        kg,
        """SELECT ?example ?category WHERE {
             GRAPH ?g { ?example sd:primaryCategory ?category }
             FILTER NOT EXISTS { GRAPH ?g { ?example sd:category ?category } } }""",
    )
    assert not missing, f"primary categories not also stated as sd:category: {missing}"


@pytest.mark.parametrize(
    ("specific", "general"),
    [
        ("hostCountry", "involvesCountry"),
        ("participantCountry", "involvesCountry"),
        ("formerParticipantCountry", "involvesCountry"),
        ("hostOrganization", "involvesOrganization"),
        ("participantOrganization", "involvesOrganization"),
    ],
)
def test_a_role_comes_with_its_general_link(
    kg: KnowledgeGraph, specific: str, general: str
) -> None:
    missing = rows(
        kg,
        f"""SELECT ?example ?x WHERE {{
              GRAPH ?g {{ ?example sd:{specific} ?x }}
              FILTER NOT EXISTS {{ GRAPH ?g {{ ?example sd:{general} ?x }} }} }}""",
    )
    assert not missing, f"sd:{specific} without sd:{general} in the same graph: {missing}"
