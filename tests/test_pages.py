"""Every resource page of the bundled data, the home page, search, browse and the scheme."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask.testing import FlaskClient

from scidip_graph.api import KnowledgeGraph
from scidip_graph.pages.catalogue import HOME_GROUPS
from scidip_graph.pages.readers import graph_numbers
from scidip_graph.settings import Settings
from scidip_graph.web import create_app

BROWSER = {"Accept": "text/html"}
ID = "https://w3id.org/scidip/id/"


@pytest.fixture(scope="module")
def client(bundled_kg: KnowledgeGraph) -> FlaskClient:
    return create_app(Settings(), store=bundled_kg.store).test_client()


def subjects(kg: KnowledgeGraph) -> list[str]:
    rows = kg.select(
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{ID}')) }} ORDER BY ?s"
    )
    return [r["s"] for r in rows]


def text_of(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def text(html: bytes) -> str:
    body = re.split(r"<main[^>]*>", html.decode(), maxsplit=1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_every_kind_of_resource_page_renders_with_its_sources(
    client: FlaskClient, bundled_kg: KnowledgeGraph
) -> None:
    """Every example's page, and six pages of every other kind of resource (kinds are the
    first segment of the id: path): thousands of pages would cost minutes and test the same
    code. How fast pages are is measured in bench/, not here."""
    by_kind: dict[str, list[str]] = {}
    for iri in sorted(subjects(bundled_kg)):
        by_kind.setdefault(iri[len(ID) :].split("/", 1)[0], []).append(iri)
    keep = [
        iri
        for kind, iris in by_kind.items()
        for iri in (iris if kind == "example" else iris[:: max(1, len(iris) // 6)])
    ]
    keep += [ID + f"country/{code}" for code in ("CH", "JO", "IN", "KP", "YUCS", "XK")]
    assert len(by_kind) > 10 and len(keep) > 100
    numbers = {
        f"graph:{g.rsplit('/', 1)[-1]}": n for g, n in graph_numbers(bundled_kg.store).items()
    }
    numbers["default graph"] = numbers.pop("graph:")
    for iri in dict.fromkeys(keep):
        r = client.get("/id/" + iri[len(ID) :], headers=BROWSER)
        assert r.status_code == 200, iri
        html = r.data.decode()
        legend = re.findall(r'<li id="source-(\d+)" value="\1">\s*<code>([^<]+)</code>', html)
        assert legend, iri  # the legend of sources
        for number, graph in legend:  # a graph has the same number on every page
            assert numbers[graph] == int(number), (iri, graph)
        markers = set(re.findall(r'class="src" href="#source-(\d+)"', html))
        assert markers and markers <= {n for n, _ in legend}, iri  # facts carry their marker


def test_organisation_page(client: FlaskClient) -> None:
    page = text(client.get("/id/organization/cern", headers=BROWSER).data)
    for expected in [
        "CERN",
        "Geneva",  # where it is
        "Memberships",
        "member state",
        "1954-09-29",  # a founder's start date
        "Yugoslavia",  # a past member, with its end
        "diplomacy for science",  # the examples it is involved in, by category
        "CERN (institution-building)",
        "Wikidata Q42944",
        "ROR 01ggx4157",
        "Our Member States",  # a source document
    ]:
        assert expected in page, expected


def test_country_page(client: FlaskClient) -> None:
    page = text(client.get("/id/country/JO", headers=BROWSER).data)
    for expected in [
        "Jordan",
        "SESAME (institution-building)",
        "JOR",
        "400",
        "Wikidata",
        "GeoNames",
    ]:
        assert expected in page, expected
    assert "Memberships" in page


def test_example_page_marks_the_category_as_editorial(client: FlaskClient) -> None:
    page = text(client.get("/id/example/vaccines-for-peace", headers=BROWSER).data)
    for expected in [
        "science for diplomacy",
        "the curators' editorial decision",
        "Anwar Nasim",
        "Pakistan",
        "Editorial decisions of the scidip-graph curators",
        "Outcome",
    ]:
        assert expected in page, expected


def test_incoming_links_read_as_relations_to_the_resource(client: FlaskClient) -> None:
    html = client.get("/id/organization/cern", headers=BROWSER).data.decode()
    incoming = html.split('<section class="incoming">', 1)[1].split("</section>", 1)[0]
    labels = [unescape(t) for t in re.findall(r"<dt>([^<]*)</dt>", incoming)]
    assert "member of CERN" in labels and "about CERN" in labels
    assert "has CERN as publisher" in labels
    assert not [t for t in labels if " of of " in t or t.endswith(" of this")]


def test_the_type_line_names_each_kind_once(client: FlaskClient) -> None:
    html = client.get("/id/organization/cern", headers=BROWSER).data.decode()
    line = text_of(html.split('<p class="types">', 1)[1].split("</p>", 1)[0])
    assert line.split(" · ")[0] == "organisation"


def test_dates_do_not_wrap_in_the_memberships_table(client: FlaskClient) -> None:
    html = client.get("/id/organization/cern", headers=BROWSER).data.decode()
    assert '<td data-label="From"><time datetime="1954-09-29">1954-09-29</time></td>' in html
    assert re.search(r"time \{[^}]*white-space: nowrap", html)


def test_an_example_page_gives_its_description_once(client: FlaskClient) -> None:
    page = text(client.get("/id/example/cern", headers=BROWSER).data)
    assert page.count("A high profile science diplomacy success in institution-building") == 1


def test_person_page(client: FlaskClient) -> None:
    page = text(client.get("/id/person/cristina-serra", headers=BROWSER).data)
    for expected in ["Staff writer", "The World Academy of Sciences", "+39 338 430-5210"]:
        assert expected in page, expected
    fellow = text(client.get("/id/person/anwar-nasim", headers=BROWSER).data)
    assert "fellow" in fellow and "Vaccines for Peace" in fellow


def test_concept_scheme_page_shows_each_category_and_its_examples(
    client: FlaskClient, bundled_kg: KnowledgeGraph
) -> None:
    html = client.get("/id/scheme/science-diplomacy", headers=BROWSER).data.decode()
    rows = bundled_kg.select(
        "PREFIX sd: <https://w3id.org/scidip/ontology#> PREFIX schema: <http://schema.org/> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?cat ?def ?name WHERE { ?e sd:category ?cat ; schema:name ?name . "
        "?cat skos:definition ?def }"
    )
    assert {r["cat"] for r in rows} == {
        ID + "concept/diplomacy-for-science",
        ID + "concept/science-for-diplomacy",
        ID + "concept/science-in-diplomacy",
    }
    for r in rows:
        section = html.split('href="/id/' + r["cat"][len(ID) :] + '"', 1)[1].split("<h3", 1)[0]
        section = unescape(section)
        assert r["def"] in section
        assert r["name"] in section, (r["cat"], r["name"])


def test_pages_escape_everything(client: FlaskClient) -> None:
    r = client.get("/search", query_string={"q": "<script>alert(1)</script>"}, headers=BROWSER)
    assert r.status_code == 200
    assert b"<script>alert(1)" not in r.data
    assert b"&lt;script&gt;" in r.data


# -- home, search, browse -------------------------------------------------------------------


def test_home_counts_equal_sparql_counts(client: FlaskClient, bundled_kg: KnowledgeGraph) -> None:
    html = client.get("/", headers=BROWSER).data.decode()
    for title, classes in HOME_GROUPS:
        values = " ".join(f"<{c}>" for c in classes)
        n = bundled_kg.select(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }}"
        )[0]["n"]
        shown = re.search(rf'data-count="{re.escape(title)}">(\d+)<', html)
        assert shown is not None, title
        assert int(shown[1]) == n, title


def test_home_page_links(client: FlaskClient) -> None:
    r = client.get("/", headers=BROWSER)
    html = r.data.decode()
    for href in ["/sparql", "/download/", "/void", "/search", "/id/scheme/science-diplomacy",
                 "/browse/sd:Example", "/browse/sd:Treaty", "/id/scheme/themes"]:  # fmt: skip
        assert f'"{href}"' in html, href
    assert "Cite this dataset" in html
    from scidip_graph import __version__

    assert __version__ in html
    assert "describedby" in r.headers["Link"]


def test_search_finds_cern_by_nuclear(client: FlaskClient) -> None:
    r = client.get("/search", query_string={"q": "nuclear"}, headers=BROWSER)
    assert 'href="/id/organization/cern"' in r.data.decode()
    js = client.get("/search", query_string={"q": "Nuclear", "format": "json"}).json
    assert ID + "organization/cern" in [hit["iri"] for hit in js["results"]]


@pytest.mark.parametrize("q", ['"', "\\", "') } DROP ALL #", "a\nb", "瑞士", ""])
def test_search_is_safe(client: FlaskClient, q: str) -> None:
    r = client.get("/search", query_string={"q": q}, headers={"Accept": "application/json"})
    assert r.status_code == 200
    if q == "瑞士":
        assert r.json["results"][0]["iri"] == ID + "country/CH"


def test_browse_lists_classes_with_counts(client: FlaskClient, bundled_kg: KnowledgeGraph) -> None:
    js = client.get("/browse", headers={"Accept": "application/json"}).json
    counts = {c["classes"][0]: c["count"] for c in js["classes"]}
    assert (
        counts["http://schema.org/Country"]
        == bundled_kg.select(
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <http://schema.org/Country> }"
        )[0]["n"]
    )
    html = client.get("/browse", headers=BROWSER).data.decode()
    assert 'href="/browse/sd:Example"' in html


def test_browse_a_class(client: FlaskClient) -> None:
    html = client.get("/browse/sd:Example", headers=BROWSER).data.decode()
    for slug in [
        "cern",
        "sesame",
        "mt-paektu-study",
        "vaccines-for-peace",
        "virunga-national-park",
    ]:
        assert f'href="/id/example/{slug}"' in html
    assert client.get("/browse/nope:Thing").status_code == 404
    assert client.get("/browse/schema:Unused").status_code == 404


def test_pages_carry_an_etag_and_answer_304(bundled_kg) -> None:  # type: ignore[no-untyped-def]
    from scidip_graph.settings import Settings
    from scidip_graph.web import create_app

    client = create_app(Settings(), store=bundled_kg.store).test_client()
    first = client.get("/id/organization/cern", headers={"Accept": "text/html"})
    etag = first.headers["ETag"]
    again = client.get(
        "/id/organization/cern", headers={"Accept": "text/html", "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert "ETag" not in client.get("/-/health").headers
