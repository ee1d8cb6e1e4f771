"""The researcher's workbench without a browser: the editor page and what it loads, a query link
opened by a browser versus by SPARQL clients, the examples as data, and permalinks.

The page in a real browser is tests/test_browser.py's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from scidip_graph.settings import Settings
from scidip_graph.sparql.examples import examples
from scidip_graph.sparql.permalinks import FILE, Permalinks
from scidip_graph.store.durable import DurableStore
from scidip_graph.store.startup import prepare_store
from scidip_graph.web import create_app
from tests.apps import sample_client

QUERIES = sorted((Path(__file__).parent.parent / "queries").glob("*.rq"))
CHROME = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SPARQLWRAPPER_JSON = (
    "application/sparql-results+json,application/json,text/javascript,application/javascript"
)
RDFLIB_STORE = "application/sparql-results+xml"
ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
SCHEMA = Namespace("http://schema.org/")
ADMIN = "admin-workbench-token"


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return sample_client()


# -- the page and its files ------------------------------------------------------------------


def test_the_editor_loads_only_files_of_our_own(client: FlaskClient) -> None:
    page = client.get("/sparql", headers={"Accept": CHROME}).get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert len(sources) >= 6
    for source in sources:
        if source.startswith("data:"):  # inline, fetched from nowhere
            continue
        assert source.startswith("/static/"), source
        with client.get(source) as answer:
            assert answer.status_code == 200 and len(answer.data) > 1000, source
    assert "yasgui.min.js" in page and "workbench.js" in page and "d3.min.js" in page


def test_the_editor_knows_the_prefixes_the_endpoint_and_every_example(
    client: FlaskClient,
) -> None:
    page = client.get("/sparql", headers={"Accept": CHROME}).get_data(as_text=True)
    assert '"sd": "https://w3id.org/scidip/ontology#"' in page
    assert '"endpoint": "/sparql"' in page
    for path in QUERIES:
        assert f'data-name="{path.stem}"' in page
    assert "<form" in page  # the editor without JavaScript


def test_the_atlas_holds_country_shapes_keyed_by_iso_numeric(client: FlaskClient) -> None:
    with client.get("/static/vendor/world-atlas/countries-50m.json") as answer:
        atlas = answer.json
    ids = {g.get("id") for g in atlas["objects"]["countries"]["geometries"]}
    assert {"756", "250", "840", "376"} <= ids  # Switzerland, France, the US, Israel


# -- a query link: browsers get the editor, SPARQL clients the results -----------------------


@pytest.mark.parametrize("accept", [CHROME, FIREFOX, "text/html"])
def test_a_browser_opening_a_query_link_gets_the_editor_running_it(
    client: FlaskClient, accept: str
) -> None:
    r = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": accept})
    assert (r.status_code, r.mimetype) == (200, "text/html")
    assert '"query": "ASK { ?s ?p ?o }"' in r.get_data(as_text=True)
    assert '"run": true' in r.get_data(as_text=True)
    assert "Content-Disposition" not in r.headers


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),  # curl
        (SPARQLWRAPPER_JSON, "application/sparql-results+json"),
        (RDFLIB_STORE, "application/sparql-results+xml"),
        ("text/html, application/sparql-results+json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
    ],
)
def test_sparql_clients_still_get_results(
    client: FlaskClient, accept: str | None, mimetype: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", query_string={"query": SELECT}, headers=headers)
    assert (r.status_code, r.mimetype) == (200, mimetype)


def test_a_format_or_a_post_gets_results_even_from_a_browser(client: FlaskClient) -> None:
    r = client.get(
        "/sparql", query_string={"query": SELECT, "format": "csv"}, headers={"Accept": CHROME}
    )
    assert r.mimetype == "text/csv"
    r = client.post("/sparql", data={"query": ASK}, headers={"Accept": CHROME})
    assert r.mimetype != "text/html"


# -- the examples ----------------------------------------------------------------------------


def test_every_query_file_is_an_example_with_its_title_and_text(client: FlaskClient) -> None:
    listed = client.get("/queries?format=json").json["examples"]
    assert [e["name"] for e in listed] == [p.stem for p in QUERIES]
    for item, path in zip(listed, QUERIES, strict=True):
        text = path.read_text(encoding="utf-8")
        assert item["query"] == text
        assert text.startswith(f"# title: {item['title']}\n# description: {item['description']}")
        raw = client.get(f"/queries/{path.stem}", headers={"Accept": "application/sparql-query"})
        assert (raw.mimetype, raw.get_data(as_text=True)) == ("application/sparql-query", text)
        assert client.get(f"/queries/{path.stem}.rq").get_data(as_text=True) == text


def test_the_examples_as_shacl_executables(client: FlaskClient) -> None:
    r = client.get("/queries", headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle"
    g = Graph().parse(data=r.data, format="turtle", publicID="http://test.invalid/queries")
    found = set(g.subjects(RDF.type, SH.SPARQLExecutable))
    assert len(found) == len(QUERIES)
    for example in examples():
        node = URIRef(f"http://test.invalid/queries/{example.name}")
        assert node in found
        assert (node, RDFS.comment, Literal(example.description, lang="en")) in g
        assert (node, SH.select, Literal(example.text)) in g
        assert (node, SCHEMA.target, URIRef("http://test.invalid/sparql")) in g


def test_the_service_description_lists_the_examples(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.data, format="turtle", publicID="http://test.invalid/sparql")
    service = URIRef("http://test.invalid/sparql")
    targeted = set(g.subjects(SCHEMA.target, service))
    assert len(targeted) == len(QUERIES)
    assert all((node, RDF.type, SH.SPARQLSelectExecutable) in g for node in targeted)


def test_a_browser_opening_an_example_gets_the_editor(client: FlaskClient) -> None:
    r = client.get(f"/queries/{QUERIES[0].stem}", headers={"Accept": CHROME})
    assert r.mimetype == "text/html" and '"run": true' in r.get_data(as_text=True)
    r = client.get("/queries", headers={"Accept": CHROME})
    assert r.mimetype == "text/html" and "<details open>" in r.get_data(as_text=True)


def test_an_unknown_example_is_a_404_in_the_error_shape(client: FlaskClient) -> None:
    r = client.get("/queries/nope", headers={"Accept": "application/sparql-query"})
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


# -- permalinks ------------------------------------------------------------------------------


def test_a_permalink_keeps_the_query_and_repeats_are_free(client: FlaskClient) -> None:
    first = client.post("/q", data={"query": ASK})
    assert first.status_code == 201
    link = first.headers["Location"]
    assert re.fullmatch(r"/q/[a-z2-7]{12}", link) and first.json["url"] == link
    again = client.post("/q", data=ASK, content_type="application/sparql-query")
    assert (again.status_code, again.json["id"]) == (200, first.json["id"])
    raw = client.get(link, headers={"Accept": "application/sparql-query"})
    assert (raw.mimetype, raw.get_data(as_text=True)) == ("application/sparql-query", ASK)
    assert client.get(link).get_data(as_text=True) == ASK  # curl's */*
    page = client.get(link, headers={"Accept": CHROME}).get_data(as_text=True)
    assert "ASK { ?s ?p ?o }" in page and "has not changed since" in page
    described = client.get(link, headers={"Accept": "application/json"}).json
    assert described["changed"] is False and described["query"] == ASK


def test_permalink_errors_in_the_one_shape(client: FlaskClient) -> None:
    assert client.get("/q/aaaaaaaaaaaa").json["error"]["code"] == "not_found"
    assert client.get("/q/..%2Fetc").status_code == 404
    assert client.post("/q", data={"query": "  "}).json["error"]["status"] == 400
    r = client.post("/q", data=b"ASK {}", content_type="text/turtle")
    assert r.status_code == 415 and r.json["error"]["code"]


def test_permalinks_are_bounded() -> None:
    small = sample_client(permalink_bytes=100, max_query_length=60)
    assert small.post("/q", data={"query": "x" * 61}).json["error"]["code"] == "limit"
    assert small.post("/q", data={"query": "ASK { <a:1> ?p ?o }" * 3}).status_code == 201
    full = small.post("/q", data={"query": "ASK { <a:2> ?p ?o }" * 3})
    assert (full.status_code, full.json["error"]["code"]) == (507, "storage_full")
    assert small.post("/q", data={"query": "ASK { <a:1> ?p ?o }" * 3}).status_code == 200


def test_permalinks_survive_a_restart_and_tell_when_the_data_changed(tmp_path: Path) -> None:
    store = _store(tmp_path)
    settings = Settings(data_dir=tmp_path / "var", write_token=ADMIN)
    made = create_app(settings, store=store).test_client().post("/q", data={"query": ASK})
    assert (tmp_path / "var" / FILE).is_file()
    restarted = create_app(settings, store=store).test_client()
    link = made.headers["Location"]
    assert restarted.get(link, headers={"Accept": "application/json"}).json["changed"] is False
    insert = (
        "INSERT DATA { GRAPH <https://w3id.org/scidip/graph/editorial> { "
        '<https://w3id.org/scidip/id/person/ada> <http://schema.org/name> "Ada"@en } }'
    )
    written = restarted.post(
        "/sparql", data={"update": insert}, headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert written.status_code == 200, written.data
    described = restarted.get(link, headers={"Accept": "application/json"}).json
    assert described["changed"] is True and described["version"] != described["current_version"]
    page = restarted.get(link, headers={"Accept": CHROME}).get_data(as_text=True)
    assert "the data has changed since" in page


def test_the_store_of_links_reopens(tmp_path: Path) -> None:
    link, _ = Permalinks(tmp_path, max_bytes=1000, max_text=100).create(ASK, version="v1")
    again = Permalinks(tmp_path, max_bytes=1000, max_text=100).get(link.id)
    assert again == link


def _store(tmp_path: Path) -> DurableStore:
    sources = tmp_path / "sources"
    sources.mkdir()
    from tests.conftest import SAMPLE

    (sources / SAMPLE.name).symlink_to(SAMPLE)
    settings = Settings(data_dir=tmp_path / "var", source_dir=sources, validate=False)
    return prepare_store(settings)
