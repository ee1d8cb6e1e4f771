"""The SPARQL 1.1 Protocol at /sparql, through Flask's test client on the sample data."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from scidip_graph.api import open_graph
from scidip_graph.settings import Settings
from scidip_graph.web import create_app
from tests.conftest import SAMPLE

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NAMES = (
    "SELECT ?name WHERE { <https://w3id.org/scidip/id/country/CH> "
    "<http://schema.org/name> ?name } ORDER BY ?name"
)
CONSTRUCT = "CONSTRUCT { ?s <http://schema.org/name> ?n } WHERE { ?s <http://schema.org/name> ?n }"
G1 = "https://w3id.org/scidip/graph/one"
G2 = "https://w3id.org/scidip/graph/two"


def make_client(**settings: object) -> FlaskClient:
    app = create_app(Settings(**settings), store=open_graph([SAMPLE]).store)  # type: ignore[arg-type]
    return app.test_client()


@pytest.fixture
def client() -> FlaskClient:
    return make_client()


def count(response) -> int:  # type: ignore[no-untyped-def]
    return int(response.json["results"]["bindings"][0]["n"]["value"])


# -- the three ways to send a query --------------------------------------------------------


def test_get(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": COUNT})
    assert r.status_code == 200
    assert r.content_type == "application/sparql-results+json"
    assert count(r) == 21  # union of the default graph and both named graphs


def test_post_form(client: FlaskClient) -> None:
    r = client.post("/sparql", data={"query": COUNT})
    assert (r.status_code, count(r)) == (200, 21)


def test_post_direct(client: FlaskClient) -> None:
    r = client.post("/sparql", data=COUNT, content_type="application/sparql-query")
    assert (r.status_code, count(r)) == (200, 21)


def test_query_alias_route(client: FlaskClient) -> None:
    assert count(client.get("/query", query_string={"query": COUNT})) == 21


# -- the dataset --------------------------------------------------------------------------


def test_the_union_default_graph_is_a_set(client: FlaskClient) -> None:
    # CERN's English name is stated in both named graphs: it is one triple of the union.
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://schema.org/name> 'CERN'@en }"
    assert count(client.get("/sparql", query_string={"query": q})) == 1
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <http://schema.org/name> 'CERN'@en } }"
    assert count(client.get("/sparql", query_string={"query": q})) == 2


def test_default_graph_uri(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": COUNT, "default-graph-uri": G2})
    assert count(r) == 7


def test_named_graph_uri_limits_graph(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.post(
        "/sparql?named-graph-uri=" + G1, data=query, content_type="application/sparql-query"
    )
    assert [b["g"]["value"] for b in r.json["results"]["bindings"]] == [G1]


def test_from_clause_of_a_dataset_graph(client: FlaskClient) -> None:
    r = client.get(
        "/sparql",
        query_string={"query": f"SELECT (COUNT(*) AS ?n) FROM <{G2}> WHERE {{ ?s ?p ?o }}"},
    )
    assert count(r) == 7


def test_graph_tells_the_source(client: FlaskClient) -> None:
    q = (
        "SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/scidip/id/organization/cern> "
        "<https://w3id.org/scidip/ontology#statedMemberCount> ?n } }"
    )
    r = client.get("/sparql", query_string={"query": q})
    assert r.json["results"]["bindings"][0]["g"]["value"] == G2


# -- result formats -------------------------------------------------------------------------


def test_xml_results(client: FlaskClient) -> None:
    r = client.get(
        "/sparql",
        query_string={"query": NAMES},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert r.content_type == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literals = ET.fromstring(r.data).findall(".//r:literal", ns)
    assert [
        (lit.text, lit.get("{http://www.w3.org/XML/1998/namespace}lang")) for lit in literals
    ] == [("Suisse", "fr"), ("Switzerland", "en"), ("瑞士", "zh")]


def test_csv_results(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": NAMES}, headers={"Accept": "text/csv"})
    assert r.content_type == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(r.data.decode()))) == [
        ["name"],
        ["Suisse"],
        ["Switzerland"],
        ["瑞士"],
    ]
    assert r.data.endswith(b"\r\n")


def test_tsv_results_use_rdf_term_syntax(client: FlaskClient) -> None:
    q = (
        "SELECT ?d ?n WHERE { <https://w3id.org/scidip/id/organization/cern> "
        "<http://schema.org/description> ?d ; "
        "<https://w3id.org/scidip/ontology#statedMemberCount> ?n }"
    )
    r = client.get(
        "/sparql", query_string={"query": q}, headers={"Accept": "text/tab-separated-values"}
    )
    lines = r.data.decode().split("\n")
    assert lines[0] == "?d\t?n"
    assert lines[1] == '"A laboratory \\"near\\" Geneva.\\nSecond line."@en\t23'


def test_json_results_terms(client: FlaskClient) -> None:
    q = "SELECT ?s ?d WHERE { ?s <http://schema.org/foundingDate> ?d }"
    binding = client.get("/sparql", query_string={"query": q}).json["results"]["bindings"][0]
    assert binding == {
        "s": {"type": "uri", "value": "https://w3id.org/scidip/id/organization/cern"},
        "d": {
            "type": "literal",
            "value": "1954",
            "datatype": "http://www.w3.org/2001/XMLSchema#gYear",
        },
    }


def test_ask(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "ASK { ?s a <http://schema.org/Country> }"})
    assert r.json == {"head": {}, "boolean": True}
    r = client.get(
        "/sparql",
        query_string={"query": "ASK {}"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert b"<boolean>true</boolean>" in r.data


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/trig", "application/trig", "trig"),
        ("application/n-quads", "application/n-quads", "nquads"),
    ],
)
def test_construct_formats(
    client: FlaskClient, accept: str, media: str, rdflib_format: str
) -> None:
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.content_type.split(";")[0] == media
    graph = Graph().parse(data=r.data, format=rdflib_format)
    assert len(graph) == 5  # CERN (en, fr), Switzerland (en, fr, zh)


def test_describe(client: FlaskClient) -> None:
    r = client.get(
        "/sparql", query_string={"query": "DESCRIBE <https://w3id.org/scidip/id/country/CH>"}
    )
    assert r.content_type.startswith("text/turtle")
    assert len(Graph().parse(data=r.data, format="turtle")) == 4


def test_q_values_choose(client: FlaskClient) -> None:
    r = client.get(
        "/sparql",
        query_string={"query": COUNT},
        headers={"Accept": "application/sparql-results+json;q=0.5, text/csv;q=0.9"},
    )
    assert r.content_type.startswith("text/csv")


def test_format_parameter_wins(client: FlaskClient) -> None:
    r = client.get(
        "/sparql",
        query_string={"query": COUNT, "format": "tsv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.content_type.startswith("text/tab-separated-values")


def test_406_lists_what_is_available(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/csv" in r.json["error"]["detail"]["available"]
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406


# -- errors ----------------------------------------------------------------------------------


def test_syntax_error_has_line_and_column(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    detail = r.json["error"]["detail"]
    assert detail["line"] == 3 and detail["column"] in (1, 2)  # at, or just past, the "}"
    assert "line 3" in r.json["error"]["message"]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_405(client: FlaskClient, method: str) -> None:
    r = getattr(client, method)("/sparql", query_string={"query": COUNT})
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_update_by_get_is_405(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert r.status_code == 405


def test_415(client: FlaskClient) -> None:
    r = client.post("/sparql", data=COUNT, content_type="text/plain")
    assert r.status_code == 415


def test_413_body_too_large() -> None:
    client = make_client(max_upload_bytes=1000)
    r = client.post("/sparql", data="#" * 2000, content_type="application/sparql-query")
    assert r.status_code == 413


def test_413_query_too_long() -> None:
    client = make_client(max_query_length=100)
    r = client.get("/sparql", query_string={"query": COUNT + " #" + "x" * 200})
    assert r.status_code == 413


def test_both_query_and_update_is_400(client: FlaskClient) -> None:
    r = client.post("/sparql", data={"query": COUNT, "update": "CLEAR ALL"})
    assert r.status_code == 400


def test_repeated_query_parameter_is_400(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string=[("query", COUNT), ("query", "ASK {}")])
    assert r.status_code == 400
    assert "given 2 times" in r.json["error"]["message"]
    r = client.get("/sparql", query_string=[("query", COUNT), ("query", COUNT)])
    assert r.status_code == 200  # the same value twice is no contradiction


def test_bad_timeout_is_400(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": COUNT, "timeout": "soon"})
    assert r.status_code == 400


# -- writes ----------------------------------------------------------------------------------

UPDATE = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"


def test_updates_are_refused_without_a_token(client: FlaskClient) -> None:
    r = client.post("/sparql", data={"update": UPDATE})
    assert r.status_code == 403
    assert "write token" in r.json["error"]["message"]
    r = client.post("/sparql", data=UPDATE, content_type="application/sparql-update")
    assert r.status_code == 403


def test_updates_with_a_wrong_token_are_refused() -> None:
    client = make_client(write_token="s3cret")
    r = client.post("/sparql", data={"update": UPDATE}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403


def test_an_update_in_the_query_parameter_is_refused(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": UPDATE})
    assert r.status_code == 403
    assert count(client.get("/sparql", query_string={"query": COUNT})) == 21


def test_a_valid_token_reaches_the_write_path_which_is_not_open_yet() -> None:
    client = make_client(write_token="s3cret")
    r = client.post("/sparql", data={"update": UPDATE}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 501
    assert count(client.get("/sparql", query_string={"query": COUNT})) == 21


# -- service description, browser page, CORS ------------------------------------------------


def test_bare_get_is_the_service_description(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.data, format="turtle")
    q = """PREFIX sds: <http://www.w3.org/ns/sparql-service-description#>
           PREFIX void: <http://rdfs.org/ns/void#>
           SELECT ?name ?n WHERE { ?s sds:defaultDataset/sds:namedGraph ?ng .
                                   ?ng sds:name ?name ; sds:graph/void:triples ?n }
           ORDER BY ?name"""
    assert [(str(a), int(b)) for a, b in g.query(q)] == [(G1, 12), (G2, 7)]
    limits = {
        str(p).rsplit("#", 1)[1]: o.toPython()
        for p, o in g.predicate_objects()
        if str(p).startswith("https://w3id.org/scidip/ontology#")
    }
    assert limits["resultRowLimit"] == 100_000 and float(limits["queryTimeLimit"]) == 30


def test_service_description_as_json_ld(client: FlaskClient) -> None:
    r = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=r.data, format="json-ld")) > 10


def test_browser_gets_the_query_page(client: FlaskClient) -> None:
    r = client.get(
        "/sparql",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert r.status_code == 200 and r.content_type.startswith("text/html")
    assert b"<form" in r.data


def test_cors_for_anonymous_reads(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": COUNT})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.options(
        "/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert r.status_code == 204
    assert "POST" in r.headers["Access-Control-Allow-Methods"]


# -- caching and caps ------------------------------------------------------------------------


def test_etag_and_304(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": COUNT})
    etag = first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"]
    again = client.get("/sparql", query_string={"query": COUNT}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get(
        "/sparql", query_string={"query": COUNT, "format": "csv"}, headers={"If-None-Match": etag}
    )
    assert other.status_code == 200


def test_row_cap_is_reported() -> None:
    client = make_client(max_rows=3)
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(r.json["results"]["bindings"]) == 3
    assert r.headers["X-Result-Rows"] == "3"
    assert r.headers["X-Result-Capped"] == "true; max-rows=3"
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "nt"})
    assert len(r.data.strip().split(b"\n")) == 3 and "X-Result-Capped" in r.headers


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "nt", "ttl", "jsonld"])
def test_byte_cap_is_reported(fmt: str) -> None:
    """200 rows of 10 kB each under a 50 kB cap: the answer stops after about 5 rows."""
    client = make_client(max_result_bytes=50_000)
    graph = fmt in ("nt", "ttl", "jsonld")
    head = "CONSTRUCT { ?i <x:v> ?v }" if graph else "SELECT ?i ?v"
    values = " ".join(f"<x:{i}>" if graph else str(i) for i in range(200))
    pad = "x" * 10_000
    query = f"{head} {{ VALUES ?i {{ {values} }} BIND(CONCAT(STR(?i), STRUUID(), '{pad}') AS ?v) }}"
    r = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert r.status_code == 200
    assert r.headers["X-Result-Capped"] == "true; max-bytes=50000"
    rows = int(r.headers["X-Result-Rows"])
    assert 1 <= rows <= 10
    assert 50_000 <= len(r.data) < 50_000 + 2 * 10_100  # ends with the first row past the cap


def test_head(client: FlaskClient) -> None:
    r = client.head("/sparql", query_string={"query": COUNT})
    assert r.status_code == 200 and r.data == b""
    assert int(r.headers["Content-Length"]) > 0


def test_result_cache_serves_repeated_queries(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from scidip_graph.sparql.cache import ResultCache
    from scidip_graph.sparql.service import SparqlService

    store = open_graph([SAMPLE]).store
    settings = Settings(cache_min_seconds=0)
    events: list[str] = []
    service = SparqlService(
        store, settings, cache=ResultCache(tmp_path, max_bytes=1 << 20), on_event=events.append
    )
    from scidip_graph.sparql.protocol import ProtocolRequest

    op = service.operation(ProtocolRequest("GET", {"query": [COUNT]}))
    assert op is not None
    first, _ = service.respond(op)
    second, outcome = service.respond(op)
    assert outcome.cached and events == ["cache_hit"]
    assert b"".join(first.body) == second.body  # type: ignore[arg-type]


def test_metrics_count_requests(client: FlaskClient) -> None:
    client.get("/sparql", query_string={"query": COUNT})
    client.get("/sparql", query_string={"query": "SELECT nonsense"})
    text = client.get("/-/metrics").data.decode()
    assert 'scidip_http_requests_total{route="/sparql",status="200"} 1.0' in text
    assert 'scidip_query_events_total{event="rejected"} 1.0' in text


def test_health(client: FlaskClient) -> None:
    body = client.get("/-/health").json
    assert body["status"] == "ok" and body["store"]["quads"] == 22  # 21 distinct triples


def test_openapi_names_every_route(client: FlaskClient) -> None:
    doc = client.get("/openapi.json").json
    rules = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule)  # Flask's <path:x> is OpenAPI's {x}
        for r in client.application.url_map.iter_rules()
        if r.endpoint != "static"
    }
    assert rules <= set(doc["paths"]), rules - set(doc["paths"])
    json.dumps(doc)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_in_every_results_format(fmt: str) -> None:
    query = (
        'SELECT ?v WHERE { VALUES ?v { "a\\nb" "c,d" "<result>" "e\\tf" "}},{\\"" } } ORDER BY ?v'
    )
    within = make_client(max_rows=5).get("/sparql", query_string={"query": query, "format": fmt})
    assert within.headers["X-Result-Rows"] == "5" and "X-Result-Capped" not in within.headers
    over = make_client(max_rows=2).get("/sparql", query_string={"query": query, "format": fmt})
    assert over.headers["X-Result-Rows"] == "2"
    assert over.headers["X-Result-Capped"] == "true; max-rows=2"
