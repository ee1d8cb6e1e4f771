"""The home page's themes and categories, the faceted browse of examples and treaties, search by
name and acronym, on the bundled data: every number shown equals a SPARQL count."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient

from scidip_graph.api import KnowledgeGraph
from scidip_graph.settings import Settings
from scidip_graph.web import create_app

BROWSER = {"Accept": "text/html"}
ID = "https://w3id.org/scidip/id/"
PREFIXES = """PREFIX sd: <https://w3id.org/scidip/ontology#>
PREFIX schema: <http://schema.org/>
PREFIX dct: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="module")
def client(bundled_kg: KnowledgeGraph) -> FlaskClient:
    return create_app(Settings(), store=bundled_kg.store).test_client()


def count(kg: KnowledgeGraph, where: str) -> int:
    return int(
        kg.select(f"{PREFIXES}SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {where} }}")[0]["n"]
    )


def items(kg: KnowledgeGraph, where: str) -> set[str]:
    return {r["e"] for r in kg.select(f"{PREFIXES}SELECT DISTINCT ?e WHERE {{ {where} }}")}


def browse(client: FlaskClient, path: str, **params: str | list[str]) -> dict[str, Any]:
    """The JSON twin of a page."""
    r = client.get(path, query_string={**params, "format": "json"})
    assert r.status_code == 200, r.data
    js = r.get_json()
    assert isinstance(js, dict)
    return js


# -- home -----------------------------------------------------------------------------------------


def test_home_themes_and_categories_are_counted_from_the_data(
    client: FlaskClient, bundled_kg: KnowledgeGraph
) -> None:
    html = client.get("/", headers=BROWSER).data.decode()
    themes = bundled_kg.select(
        f"{PREFIXES}SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a sd:Example ; sd:theme ?t }} "
        "GROUP BY ?t"
    )
    assert len(themes) >= 11
    for row in themes:
        key = row["t"].rsplit("/", 1)[1]
        assert f'data-theme="{key}">{row["n"]}<' in html, key
        assert f'href="/browse/sd:Example?theme={key}"' in html, key
    for cat in ("diplomacy-for-science", "science-for-diplomacy", "science-in-diplomacy"):
        iri = f"<{ID}concept/{cat}>"
        primary = count(bundled_kg, f"?e a sd:Example ; sd:primaryCategory {iri}")
        anyhow = count(bundled_kg, f"?e a sd:Example ; sd:category {iri}")
        assert re.search(rf'data-primary="{cat}"><a href="[^"]*primary={cat}">{primary}<', html)
        assert re.search(rf'data-category="{cat}"><a href="[^"]*category={cat}">{anyhow}<', html)


def test_home_counts_treaties_and_sources(client: FlaskClient, bundled_kg: KnowledgeGraph) -> None:
    html = client.get("/", headers=BROWSER).data.decode()
    treaties = count(bundled_kg, "?e a sd:Treaty")
    sources = count(
        bundled_kg, "?g a sd:SourceGraph ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?e"
    )
    assert treaties > 50 and sources > 500
    assert f'data-count="Treaties and agreements">{treaties}<' in html
    assert f'data-count="Source documents">{sources}<' in html


def test_home_and_browse_cost_at_most_two_queries(bundled_kg: KnowledgeGraph) -> None:
    store = bundled_kg.store
    asked: list[str] = []
    query = store.query

    def counting(sparql: str, *args: object, **kwargs: object) -> object:
        asked.append(sparql)
        return query(sparql, *args, **kwargs)  # type: ignore[arg-type]

    fresh = create_app(Settings(), store=store).test_client()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(store, "query", counting)
        assert fresh.get("/", headers=BROWSER).status_code == 200
        assert len(asked) <= 2, asked
        asked.clear()
        assert fresh.get("/browse/sd:Example?theme=health", headers=BROWSER).status_code == 200
        assert fresh.get("/browse/sd:Treaty?decade=1960", headers=BROWSER).status_code == 200
        assert len(asked) <= 1, asked  # the examples' rows were read for the home page
        asked.clear()
        assert fresh.get("/search", query_string={"q": "IPCC"}, headers=BROWSER).status_code == 200
        assert len(asked) <= 2, asked


# -- browse ---------------------------------------------------------------------------------------


def test_combined_filters_equal_a_sparql_query(
    client: FlaskClient, bundled_kg: KnowledgeGraph
) -> None:
    js = browse(client, "/browse/sd:Example", theme="health", region="middle-east")
    where = (
        f"?e a sd:Example ; sd:theme <{ID}theme/health> ; "
        "sd:hostCountry|sd:participantCountry ?c . "
        f"?c schema:containedInPlace <{ID}region/middle-east>"
    )
    expected = items(bundled_kg, where)
    assert expected and {i["iri"] for i in js["instances"]} == expected
    assert js["count"] == len(expected) and js["total"] == count(bundled_kg, "?e a sd:Example")
    facets = {f["key"]: f for f in js["facets"]}
    for value in facets["primary"]["values"]:
        n = count(bundled_kg, f"{where} . ?e sd:primaryCategory <{value['iri']}>")
        assert value["count"] == n, value["key"]
    # Each value's link keeps both filters and adds its own; a selected one's link removes it.
    for f in js["facets"]:
        for value in f["values"]:
            pairs = parse_qsl(urlsplit(value["href"]).query)
            if value["selected"]:
                assert (f["key"], value["key"]) not in pairs
            else:
                assert {("theme", "health"), ("region", "middle-east")} <= set(pairs)
                assert (f["key"], value["key"]) in pairs
    removed = {f["facet"]: f["remove_href"] for f in js["filters"]}
    assert removed == {
        "theme": "/browse/sd:Example?region=middle-east",
        "region": "/browse/sd:Example?theme=health",
    }


def test_region_middle_east_and_western_asia_differ(
    client: FlaskClient, bundled_kg: KnowledgeGraph
) -> None:
    for region in ("middle-east", "western-asia"):
        js = browse(client, "/browse/sd:Example", region=region)
        where = (
            "?e a sd:Example ; sd:hostCountry|sd:participantCountry ?c . "
            f"?c schema:containedInPlace <{ID}region/{region}>"
        )
        assert {i["iri"] for i in js["instances"]} == items(bundled_kg, where), region


def test_two_values_of_one_facet_both_hold(client: FlaskClient, bundled_kg: KnowledgeGraph) -> None:
    js = browse(client, "/browse/sd:Example", theme=["health", "security"])
    expected = items(
        bundled_kg, f"?e a sd:Example ; sd:theme <{ID}theme/health> , <{ID}theme/security>"
    )
    assert expected and {i["iri"] for i in js["instances"]} == expected


def test_host_and_participant_country(client: FlaskClient, bundled_kg: KnowledgeGraph) -> None:
    js = browse(client, "/browse/sd:Example", host="CH", participant="JO")
    expected = items(
        bundled_kg,
        f"?e a sd:Example ; sd:hostCountry <{ID}country/CH> ; "
        f"sd:participantCountry <{ID}country/JO>",
    )
    assert {i["iri"] for i in js["instances"]} == expected


def test_institution_facet_equals_a_sparql_query(
    client: FlaskClient, bundled_kg: KnowledgeGraph
) -> None:
    js = browse(client, "/browse/sd:Example", institution="cern")
    expected = items(
        bundled_kg,
        f"?e a sd:Example ; sd:hostOrganization|sd:participantOrganization|sd:involvesOrganization "
        f"<{ID}organization/cern>",
    )
    assert len(expected) > 1 and {i["iri"] for i in js["instances"]} == expected
    facet = next(f for f in js["facets"] if f["key"] == "institution")
    cern = next(v for v in facet["values"] if v["key"] == "cern")
    assert (cern["label"], cern["count"], cern["selected"]) == ("CERN", len(expected), True)
    both = browse(client, "/browse/sd:Example", institution="cern", theme="big-science")
    assert both["instances"] and {i["iri"] for i in both["instances"]} < expected


def test_decades_of_treaties_and_examples(client: FlaskClient, bundled_kg: KnowledgeGraph) -> None:
    js = browse(client, "/browse/sd:Treaty", decade="1960")
    signed = bundled_kg.select(
        f"{PREFIXES}SELECT ?e (MIN(SUBSTR(STR(?d), 1, 4)) AS ?y) "
        "WHERE { ?e a sd:Treaty ; sd:signatureDate ?d } GROUP BY ?e"
    )
    expected = {r["e"] for r in signed if 1960 <= int(r["y"]) <= 1969}
    assert expected and {i["iri"] for i in js["instances"]} == expected
    assert all(i["columns"]["Signed"][:3] == "196" for i in js["instances"])
    # An example's date: its own, or the signature of the treaty it is about (the NPT: 1968).
    js = browse(client, "/browse/sd:Example", decade="1960")
    assert ID + "example/npt" in {i["iri"] for i in js["instances"]}
    decades = next(f for f in js["facets"] if f["key"] == "decade")["values"]
    assert [v["key"] for v in decades] == ["1960"]


def test_treaties_facet_by_party_and_its_region(
    client: FlaskClient, bundled_kg: KnowledgeGraph
) -> None:
    js = browse(client, "/browse/sd:Treaty", party="IN")
    assert {i["iri"] for i in js["instances"]} == items(
        bundled_kg, f"?e a sd:Treaty . <{ID}country/IN> sd:partyTo ?e"
    )
    html = client.get("/browse/sd:Treaty", headers=BROWSER).data.decode()
    assert 'data-facet="region"' in html and 'data-facet="party"' in html


def test_unknown_values_and_parameters(client: FlaskClient) -> None:
    js = browse(client, "/browse/sd:Example", theme="no-such-theme", nonsense="x")
    assert js["count"] == 0 and [f["facet"] for f in js["filters"]] == ["theme"]
    r = client.get(
        "/browse/sd:Example", query_string={"theme": "<script>x</script>"}, headers=BROWSER
    )
    assert r.status_code == 200
    assert b"<script>x" not in r.data and b"&lt;script&gt;x" in r.data


def test_browse_page_and_its_json_twin_agree(client: FlaskClient) -> None:
    r = client.get("/browse/sd:Example?theme=space&primary=diplomacy-for-science", headers=BROWSER)
    html = r.data.decode()
    js = browse(client, "/browse/sd:Example", theme="space", primary="diplomacy-for-science")
    assert f'data-count="shown">{js["count"]}<' in html
    for item in js["instances"]:
        assert f'href="{item["href"]}"' in html
    assert "application/json" in r.headers["Link"]
    assert (
        'href="/browse/sd:Example?theme=space&amp;primary=diplomacy-for-science&amp;format=json"'
        in html
    )


# -- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "first", "kind"),
    [
        ("IPCC", "organization/ipcc", "organisation"),
        ("CTBTO", "organization/ctbto", "organisation"),
        ("ctbt", "treaty/comprehensive-nuclear-test-ban-treaty", "treaty"),
        ("Hans Blix", "person/hans-blix", "person"),
    ],
)
def test_search_finds_acronyms_first_with_their_kind(
    client: FlaskClient, q: str, first: str, kind: str
) -> None:
    js = browse(client, "/search", q=q)
    assert js["results"][0]["iri"] == ID + first
    assert js["results"][0]["kind"] == kind
    assert js["total"] >= len(js["results"])


def test_search_ranks_exact_then_prefix_then_the_rest(client: FlaskClient) -> None:
    from scidip_graph.pages.search import rank as _rank

    js = browse(client, "/search", q="who")
    ranks = [_rank(h["matched"], "who") for h in js["results"]]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert js["results"][0]["iri"] == ID + "organization/who"


def test_search_finds_cases_and_treaties_with_all_words(client: FlaskClient) -> None:
    js = browse(client, "/search", q="test ban treaty")
    kinds = {h["kind"] for h in js["results"]}
    assert {"treaty", "example"} <= kinds
    html = client.get("/search", query_string={"q": "CTBTO"}, headers=BROWSER).data.decode()
    assert 'data-kind="organisation">organisation<' in html


def test_search_tells_cern_and_its_namesakes_apart_and_filters_by_kind(
    client: FlaskClient,
) -> None:
    js = browse(client, "/search", q="CERN")
    kinds = {h["label"]: h["kind"] for h in js["results"]}
    assert kinds["CERN"] == "organisation"
    assert kinds["CERN (institution-building)"] == "example"
    assert kinds["CERN Convention"] == "legislation"
    counts = {k["kind"]: k["count"] for k in js["kinds"]}
    assert sum(counts.values()) == js["total"]
    for kind, n in counts.items():
        only = browse(client, "/search", q="CERN", kind=kind)
        assert only["total"] == n and {h["kind"] for h in only["results"]} == {kind}
    two = browse(client, "/search", q="CERN", kind=["organisation", "legislation"])
    assert [h["label"] for h in two["results"]] == ["CERN", "CERN Convention"]
    html = client.get(
        "/search", query_string={"q": "CERN", "kind": "example"}, headers=BROWSER
    ).data.decode()
    assert 'href="/search?q=CERN&amp;kind=example&amp;format=json"' in html
    assert 'data-kind-filter="example" aria-current="true"' in html
    assert 'href="/search?q=CERN&amp;kind=example&amp;kind=organisation"' in html


def test_search_reads_names_in_every_language(
    client: FlaskClient, bundled_kg: KnowledgeGraph
) -> None:
    (row,) = bundled_kg.select(
        """SELECT ?s ?l WHERE { ?s <http://schema.org/name>|<http://schema.org/alternateName> ?l
             FILTER(LANG(?l) != "" && !LANGMATCHES(LANG(?l), "en")
                    && STRSTARTS(STR(?s), "https://w3id.org/scidip/id/")) }
           ORDER BY ?s ?l LIMIT 1"""
    )
    js = browse(client, "/search", q=str(row["l"]))
    assert js["results"][0]["iri"] == row["s"] and js["results"][0]["matched"] == str(row["l"])
