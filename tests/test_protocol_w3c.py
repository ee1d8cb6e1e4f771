"""The query cases of the W3C SPARQL 1.1 Protocol tests, by Flask's test client and a real client.

Each case is the manifest's request (``sparql/sparql11/protocol/manifest.ttl`` in w3c/rdf-tests)
with its expected answer. The dataset cases name ``http://kasei.us/...`` graphs: on a store that
has them (``tests/data/w3c-protocol.trig``, as the manifest's ``ut:graphData`` loads them) they
answer true; on one that has not, the graphs are empty, never fetched, never refused. A relative
IRI resolves against the endpoint's own IRI (the protocol allows it), which the policy uses too.
The update cases ``update_base_uri`` and ``bad_update_dataset_conflict`` run on a writable store
(the protocol's other update behaviours are tested in ``tests/test_updates.py``).
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from scidip_graph.api import open_graph
from scidip_graph.resources import DATA_DIR
from scidip_graph.settings import Settings
from scidip_graph.store.startup import prepare_store
from scidip_graph.web import create_app
from tests.apps import sample_client
from tests.conftest import SAMPLE, TESTS
from tests.live import LiveServer

W3C_DATA = TESTS / "data" / "w3c-protocol.trig"
KASEI = "http://kasei.us/2009/09/sparql/data/"
DATA0, DATA1, DATA2, DATA3 = (f"{KASEI}data{n}.rdf" for n in range(4))
QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
ENDPOINT = "http://127.0.0.1:8000/sparql"  # the base IRI with SCIDIP_PUBLIC_URL unset

# SPARQLWrapper leaves its HTTP responses for the garbage collector.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def _q(iri: str) -> str:
    return quote(iri, safe="")


def _client(**settings: object) -> FlaskClient:
    store = open_graph([SAMPLE, W3C_DATA]).store
    return create_app(Settings(**settings), store=store).test_client()  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def with_data() -> FlaskClient:
    return _client()


@pytest.fixture(scope="module")
def without_data() -> FlaskClient:
    return sample_client()


def _boolean(response) -> bool:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.data
    assert response.mimetype in BOOLEAN_TYPES
    return bool(response.json["boolean"])


# -- the cases without data: default-graph-uri names data0.rdf, which no store has --------------


def _post_over_data0(client: FlaskClient, query: str):  # type: ignore[no-untyped-def]
    """POST a query directly, with ``default-graph-uri`` naming data0.rdf, as the manifest does."""
    return client.post(f"/sparql?default-graph-uri={_q(DATA0)}", data=query, content_type=QUERY)


def test_query_get(without_data: FlaskClient) -> None:
    r = without_data.get(f"/sparql?query=ASK%20%7B%7D&default-graph-uri={_q(DATA0)}")
    assert _boolean(r) is True


def test_query_post_form(without_data: FlaskClient) -> None:
    r = without_data.post(
        f"/sparql?default-graph-uri={_q(DATA0)}", data="query=ASK%20%7B%7D", content_type=FORM
    )
    assert _boolean(r) is True


def test_query_post_direct(without_data: FlaskClient) -> None:
    assert _boolean(without_data.post("/sparql", data="ASK {}", content_type=QUERY)) is True


def test_query_content_type_select(without_data: FlaskClient) -> None:
    r = _post_over_data0(without_data, "SELECT (1 AS ?value) {}")
    assert r.status_code == 200 and r.mimetype in TABULAR_TYPES
    assert r.json["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(without_data: FlaskClient) -> None:
    r = _post_over_data0(without_data, "ASK {}")
    assert _boolean(r) is True


def test_query_content_type_describe(without_data: FlaskClient) -> None:
    r = _post_over_data0(without_data, "DESCRIBE <http://example.org/>")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    assert len(Graph().parse(data=r.data, format="turtle")) == 0  # over an empty graph


def test_query_content_type_construct(without_data: FlaskClient) -> None:
    r = _post_over_data0(without_data, "CONSTRUCT { <s> <p> 1 } WHERE {}")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    graph = Graph().parse(data=r.data, format="turtle")
    base = ENDPOINT.rsplit("/", 1)[0]
    assert set(graph) == {(URIRef(f"{base}/s"), URIRef(f"{base}/p"), Literal(1))}


# -- the dataset cases: true on a store with the graphs, false (empty graphs) on one without ----

DATASET_CASES = {
    "query_dataset_default_graphs_get": (
        "GET",
        "/sparql?query="
        + _q(f"ASK {{ <{DATA1}> a ?type . <{DATA2}> a ?type . }}")
        + f"&default-graph-uri={_q(DATA1)}&default-graph-uri={_q(DATA2)}",
        None,
    ),
    "query_dataset_default_graphs_post": (
        "POST",
        f"/sparql?default-graph-uri={_q(DATA1)}&default-graph-uri={_q(DATA2)}",
        f"ASK {{ <{DATA1}> a ?type . <{DATA2}> a ?type . }}",
    ),
    "query_dataset_named_graphs_post": (
        "POST",
        f"/sparql?named-graph-uri={_q(DATA1)}&named-graph-uri={_q(DATA2)}",
        f"ASK {{ GRAPH ?g1 {{ <{DATA1}> a ?type }} GRAPH ?g2 {{ <{DATA2}> a ?type }} }}",
    ),
    "query_dataset_named_graphs_get": (
        "GET",
        "/sparql?query="
        + _q(f"ASK {{ GRAPH ?g1 {{ <{DATA1}> a ?type }} GRAPH ?g2 {{ <{DATA2}> a ?type }} }}")
        + f"&named-graph-uri={_q(DATA1)}&named-graph-uri={_q(DATA2)}",
        None,
    ),
    "query_dataset_full": (
        "POST",
        f"/sparql?default-graph-uri={_q(DATA3)}"
        f"&named-graph-uri={_q(DATA1)}&named-graph-uri={_q(DATA2)}",
        f"ASK {{\n  <{DATA3}> a ?type\n  GRAPH ?g1 {{ <{DATA1}> a ?type }}\n"
        f"  GRAPH ?g2 {{ <{DATA2}> a ?type }}\n}}",
    ),
    # The manifest writes the two named-graph-uri of this case as one value (its "&" and "="
    # percent-encoded), which no store can answer true; the two values it means are sent here.
    "query_multiple_dataset": (
        "POST",
        f"/sparql?named-graph-uri={_q(DATA1)}&named-graph-uri={_q(DATA2)}",
        f"ASK FROM <{DATA3}> {{ GRAPH ?g1 {{ <{DATA1}> a ?type }} "
        f"GRAPH ?g2 {{ <{DATA2}> a ?type }} }}",
    ),
}


def _send(client: FlaskClient, method: str, path: str, body: str | None):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(path)
    return client.post(path, data=body, content_type=QUERY)


@pytest.mark.parametrize("case", DATASET_CASES)
def test_dataset_cases_on_a_store_with_the_graphs(with_data: FlaskClient, case: str) -> None:
    assert _boolean(_send(with_data, *DATASET_CASES[case])) is True


@pytest.mark.parametrize("case", DATASET_CASES)
def test_dataset_cases_on_a_store_without_them(without_data: FlaskClient, case: str) -> None:
    assert _boolean(_send(without_data, *DATASET_CASES[case])) is False


def test_the_protocol_dataset_replaces_the_querys_whole_dataset(with_data: FlaskClient) -> None:
    ask = f"ASK FROM <{DATA1}> {{ <{DATA1}> a ?type }}"
    assert _boolean(with_data.get("/sparql", query_string={"query": ask})) is True
    for parameter in ("default-graph-uri", "named-graph-uri"):  # the other one is empty
        r = with_data.get("/sparql", query_string={"query": ask, parameter: DATA2})
        assert _boolean(r) is False
    # FROM NAMED alone leaves the default graph empty, as named-graph-uri alone does.
    named_only = f"ASK FROM NAMED <{DATA1}> {{ <{DATA1}> a ?type }}"
    assert _boolean(with_data.get("/sparql", query_string={"query": named_only})) is False


def test_unknown_graphs_are_empty_graphs(without_data: FlaskClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}"
    for query, params in (
        (count.format(dataset=""), {"default-graph-uri": DATA1}),
        (count.format(dataset=f"FROM <{DATA1}>"), {}),
        (count.format(dataset=f"FROM NAMED <{DATA1}>"), {}),
        (count.format(dataset=""), {"named-graph-uri": DATA1}),
    ):
        r = without_data.get("/sparql", query_string={"query": query, **params})
        assert r.status_code == 200, r.data
        assert r.json["results"]["bindings"][0]["n"]["value"] == "0"
    # An empty graph is still a graph of the request's dataset: GRAPH ?g finds its name.
    r = without_data.get(
        "/sparql", query_string={"query": "SELECT ?g { GRAPH ?g {} }", "named-graph-uri": DATA1}
    )
    assert [b["g"]["value"] for b in r.json["results"]["bindings"]] == [DATA1]


def test_the_stores_hidden_graph_is_no_graph_of_the_dataset(without_data: FlaskClient) -> None:
    hidden = "urn:x-scidip:own-default-graph"  # where the store keeps the own default graph
    q = f"SELECT (COUNT(*) AS ?n) FROM <{hidden}> WHERE {{ ?s ?p ?o }}"
    for params in ({"query": q}, {"query": q, "default-graph-uri": hidden}):
        r = without_data.get("/sparql", query_string=params)
        assert r.json["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.mark.parametrize("bad", ["", "data0.rdf", "http://a b/", "http://x:port/"])
def test_dataset_parameters_must_be_absolute_iris(without_data: FlaskClient, bad: str) -> None:
    for parameter in ("default-graph-uri", "named-graph-uri"):
        r = without_data.get("/sparql", query_string={"query": "ASK {}", parameter: bad})
        assert r.status_code == 400
        assert f"{parameter}={bad!r} is not an absolute IRI" in r.json["error"]["message"]


# -- relative IRIs ------------------------------------------------------------------------------


def test_relative_iris_resolve_against_the_endpoint(without_data: FlaskClient) -> None:
    r = without_data.get("/sparql", query_string={"query": "ASK { <s> ?p ?o }"})
    assert _boolean(r) is False  # was 400 "expected OPTIONAL"
    for query, subject in (
        ("CONSTRUCT { <s> <p> 1 } WHERE {}", "http://127.0.0.1:8000/s"),
        ("BASE <sub/> CONSTRUCT { <s> <p> 1 } WHERE {}", "http://127.0.0.1:8000/sub/s"),
        ("BASE <http://e.org/a/> CONSTRUCT { <s> <p> 1 } WHERE {}", "http://e.org/a/s"),
    ):
        r = without_data.get("/sparql", query_string={"query": query, "format": "nt"})
        assert r.data.decode().split(" ", 1)[0] == f"<{subject}>", r.data


def test_the_base_is_the_public_url_and_the_policy_uses_it_too() -> None:
    client = sample_client(public_url="https://w3id.org/scidip/")
    # The endpoint is https://w3id.org/scidip/sparql: <id/country/CH> is a resource of the data.
    r = client.get("/sparql", query_string={"query": "ASK { <id/country/CH> ?p ?o }"})
    assert _boolean(r) is True
    # The policy reads FROM with the same base: the dataset is graph:two, 7 triples.
    q = "SELECT (COUNT(*) AS ?n) FROM <graph/two> WHERE { ?s ?p ?o }"
    r = client.get("/sparql", query_string={"query": q})
    assert r.json["results"]["bindings"][0]["n"]["value"] == "7"
    r = client.get("/sparql", query_string={"query": "ASK { SERVICE <elsewhere> {} }"})
    assert r.status_code == 403
    assert r.json["error"]["detail"]["iri"] == "https://w3id.org/scidip/elsewhere"


def test_the_base_does_not_come_from_the_host_header(without_data: FlaskClient) -> None:
    r = without_data.get(
        "/sparql",
        query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}", "format": "nt"},
        headers={"Host": "evil.example"},
    )
    assert r.data.startswith(b"<http://127.0.0.1:8000/s>")


# -- a real server, a real client ---------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # Without the OS barrier: nothing but the engine itself stands between a FROM and the net.
    live = LiveServer(
        tmp_path_factory.mktemp("w3c"),
        [SAMPLE, W3C_DATA],
        workers=2,
        env={"SCIDIP_EGRESS_BARRIER": "false"},
    )
    yield live
    live.stop()


def _wrapper(server: LiveServer, query: str, method: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(query)
    if method is not None:
        sw.setMethod(POST)
        sw.setRequestMethod(method)
    return sw


@pytest.mark.parametrize("method", [None, URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_dataset_parameters(server: LiveServer, method: str | None) -> None:
    sw = _wrapper(server, "ASK {}", method)
    sw.addDefaultGraph(DATA0)
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw = _wrapper(server, f"ASK {{ <{DATA1}> a ?type . <{DATA2}> a ?type . }}", method)
    sw.addDefaultGraph(DATA1)
    sw.addDefaultGraph(DATA2)
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw = _wrapper(server, DATASET_CASES["query_multiple_dataset"][2] or "", method)
    sw.addNamedGraph(DATA1)
    sw.addNamedGraph(DATA2)
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


def test_sparqlwrapper_relative_iris(server: LiveServer) -> None:
    sw = _wrapper(server, "CONSTRUCT { <s> <p> 1 } WHERE {}")
    sw.setReturnFormat(TURTLE)
    graph = Graph().parse(data=sw.query().convert(), format="turtle")
    # The server listens on SCIDIP_PORT: its endpoint IRI is the base.
    assert set(graph) == {(URIRef(server.url + "/s"), URIRef(server.url + "/p"), Literal(1))}
    sw = _wrapper(server, "ASK { <s> ?p ?o }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is False


def test_sparqlwrapper_bad_graph_iri_is_a_bad_request(server: LiveServer) -> None:
    sw = _wrapper(server, "ASK {}")
    sw.addDefaultGraph("data0.rdf")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="not an absolute IRI"):
        sw.query()


def test_unknown_graphs_are_not_fetched_by_a_real_server(
    server: LiveServer, tmp_path: Path
) -> None:
    from tests.test_egress import Canary

    secret = tmp_path / "secret.ttl"
    secret.write_text('<http://x/secret> <http://x/p> "do not read me" .\n')
    with urllib.request.urlopen(server.url + "/-/health", timeout=10) as r:
        assert json.load(r)["egress_barrier"]["active"] is False  # the engine alone is tested
    canary = Canary()
    try:
        for iri in (canary.url, secret.as_uri()):
            for query, graphs in (
                ("SELECT * WHERE { ?s ?p ?o }", "default"),
                ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named"),
                (f"SELECT * FROM <{iri}> WHERE {{ ?s ?p ?o }}", None),
                (f"SELECT * FROM NAMED <{iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", None),
            ):
                sw = _wrapper(server, query)
                if graphs == "default":
                    sw.addDefaultGraph(iri)
                elif graphs == "named":
                    sw.addNamedGraph(iri)
                sw.setReturnFormat(JSON)
                result = sw.query().convert()
                assert result["results"]["bindings"] == [], json.dumps(result)
        assert canary.hits == []
    finally:
        canary.close()


# -- update cases, on a writable store ------------------------------------------------------

WRITE_TOKEN = "w3c-update-token"
UPDATE = "application/sparql-update"
BASE_TEST = "http://example.org/protocol-base-test/"


@pytest.fixture
def writable(tmp_path: Path) -> FlaskClient:
    settings = Settings(
        data_dir=tmp_path / "var", source_dir=DATA_DIR, validate=False, write_token=WRITE_TOKEN
    )
    return create_app(settings, store=prepare_store(settings)).test_client()


def _update(client: FlaskClient, path: str, update: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    return client.post(path, data=update, content_type=UPDATE, headers=headers)


def test_update_base_uri(writable: FlaskClient) -> None:
    # CLEAR of a graph that holds nothing yet succeeds: the store keeps no empty graphs.
    update = (
        f"CLEAR GRAPH <{BASE_TEST}> ;\n"
        f"INSERT DATA {{ GRAPH <{BASE_TEST}> {{ <http://example.org/s> <http://example.org/p> "
        "<test> } }"
    )
    r = _update(writable, "/sparql", update)
    assert 200 <= r.status_code < 400, r.json
    pattern = "<http://example.org/s> <http://example.org/p> ?o"
    query = f"SELECT ?o WHERE {{ GRAPH <{BASE_TEST}> {{ {pattern} }} }}"
    r = writable.post(
        "/sparql",
        data=query,
        content_type=QUERY,
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    (row,) = r.json["results"]["bindings"]
    # one result with ?o bound to an IRI that is not <test>: the endpoint's base resolved it
    assert row["o"]["type"] == "uri" and row["o"]["value"] == ENDPOINT.rsplit("/", 1)[0] + "/test"
    assert 200 <= _update(writable, "/sparql", update).status_code < 400  # and again


def test_bad_update_dataset_conflict(writable: FlaskClient) -> None:
    update = (
        "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\n"
        "WITH <http://example/addresses>\n"
        "DELETE { ?person foaf:givenName 'Bill' }\n"
        "INSERT { ?person foaf:givenName 'William' }\n"
        "WHERE {\n    ?person foaf:givenName 'Bill'\n}"
    )
    r = _update(writable, f"/sparql?using-named-graph-uri={_q('http://example/people')}", update)
    assert 400 <= r.status_code < 500
    assert "USING or WITH" in r.json["error"]["message"]
