"""No answer is built from the Host header: shared caches keep them (cache poisoning).

Every route of the app is asked with ``Host: evil.example``; nothing it answers may name that
host, and the cacheable answers must be the same bytes whatever the Host. With
``SCIDIP_PUBLIC_URL`` set, the absolute links are on it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Namespace, URIRef
from werkzeug.test import TestResponse

from scidip_graph.settings import Settings
from scidip_graph.web.links import public_url
from tests.apps import sample_client
from tests.conftest import SAMPLE
from tests.live import LiveServer

EVIL = "evil.example"
PUBLIC = "https://scidip.example.org"
SDS = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")

# Requests for each rule of the url map; a test fails when a route has none.
EXAMPLES: dict[str, list[str]] = {
    "/": ["/", "/?format=json"],
    "/search": ["/search?q=cern", "/search?q=cern&format=json"],
    "/browse": ["/browse", "/browse?format=json"],
    "/browse/<name>": ["/browse/schema:Organization", "/browse/schema:Nothing"],
    "/id/<path:path>": [
        "/id/organization/cern",
        *(f"/id/organization/cern{ext}" for ext in (".html", ".ttl", ".jsonld", ".nt", ".rdf")),
        *(f"/id/organization/cern{ext}" for ext in (".trig", ".nq")),
        "/id/organization/no-such-thing",
        "/id/organization/no-such-thing.ttl",
    ],
    "/ontology": ["/ontology"],
    "/ontology.<ext>": [f"/ontology.{ext}" for ext in ("ttl", "jsonld", "nt", "rdf", "html")],
    "/void": ["/void", "/void?format=jsonld"],
    "/void.<suffix>": [f"/void.{suffix}" for suffix in ("ttl", "jsonld", "nt", "rdf", "csv")],
    "/context.jsonld": ["/context.jsonld"],
    "/download/": ["/download/", "/download"],
    "/download/index.json": ["/download/index.json"],
    "/download/<name>": ["/download/SHA256SUMS", "/download/void.ttl", "/download/nothing"],
    "/sparql": [
        "/sparql",
        *(f"/sparql?format={f}" for f in ("ttl", "jsonld", "nt", "rdf", "trig", "nq")),
        "/sparql?query=ASK%7B%7D",
        "/sparql?query=SELECT",
    ],
    "/query": ["/query", "/query?format=nt"],
    "/queries": ["/queries", "/queries?format=json", "/queries?format=ttl"],
    "/queries/<name>": ["/queries/course-editions", "/queries/course-editions.rq", "/queries/x"],
    "/q": ["/q"],  # POST only: 405
    "/q/<link_id>": ["/q/aaaaaaaaaaaa", "/q/aaaaaaaaaaaa?format=json"],
    "/validate": ["/validate"],  # POST only: 405
    "/store": ["/store", "/store?default", "/store?graph=https%3A%2F%2Fexample.org%2Fnone"],
    "/-/health": ["/-/health"],
    "/-/metrics": ["/-/metrics"],
    "/openapi.json": ["/openapi.json"],
    "/reconcile": [
        "/reconcile",
        "/reconcile?queries=%7B%22q0%22%3A%7B%22query%22%3A%22cern%22%7D%7D",
    ],
    "/reconcile/suggest/entity": ["/reconcile/suggest/entity?prefix=ce"],
    "/reconcile/suggest/type": ["/reconcile/suggest/type?prefix=org"],
    "/reconcile/suggest/property": ["/reconcile/suggest/property?prefix=na"],
    "/reconcile/preview": [
        "/reconcile/preview?id=https%3A%2F%2Fw3id.org%2Fscidip%2Fid%2Forganization%2Fcern"
    ],
    "/reconcile/properties": ["/reconcile/properties?type=http%3A%2F%2Fschema.org%2FCountry"],
    "/changes": ["/changes", "/changes?about=https%3A%2F%2Fw3id.org%2Fscidip%2Fid%2Fcountry%2FCH"],
    "/changes.<suffix>": ["/changes.json", "/changes.atom", "/changes.html", "/changes.xml"],
    "/changes/<int:change_id>": ["/changes/1"],
    "/changes/<int:change_id>.<suffix>": ["/changes/1.json"],
    "/static/<path:filename>": ["/static/nothing.css"],
    "/curate": ["/curate"],
    "/curate/sign-in": ["/curate/sign-in"],  # POST only: 405
    "/curate/sign-out": ["/curate/sign-out"],
    "/import": ["/import"],
}
ACCEPTS = [
    None,
    "text/html",
    "application/json",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/n-quads",
]
# Answers that change from one request to the next whatever the Host.
VOLATILE = ("/-/health", "/-/metrics", "/curate")  # /curate: a CSRF token per session


@pytest.fixture
def client() -> FlaskClient:
    return sample_client()


@pytest.fixture
def public_client() -> FlaskClient:
    return sample_client(public_url=PUBLIC + "/")


def all_urls(client: FlaskClient) -> Iterator[str]:
    rules = {r.rule for r in client.application.url_map.iter_rules()}
    assert rules <= set(EXAMPLES), f"routes without examples here: {rules - set(EXAMPLES)}"
    for rule in sorted(rules):
        yield from EXAMPLES[rule]
    files = client.get("/download/index.json").json["files"]
    yield from (f"/download/{f['name']}" for f in files)


def requests(client: FlaskClient) -> Iterator[tuple[str, str, dict[str, str]]]:
    for url in all_urls(client):
        for accept in ACCEPTS:
            yield "GET", url, {"Accept": accept} if accept else {}
        yield "HEAD", url, {}
    yield "OPTIONS", "/sparql", {"Origin": "http://x", "Access-Control-Request-Method": "POST"}
    yield "POST", "/sparql", {"Content-Type": "application/sparql-query"}


def ask(client: FlaskClient, method: str, url: str, headers: dict[str, str], host: str):  # type: ignore[no-untyped-def]
    data = "ASK {}" if method == "POST" else None
    return client.open(url, method=method, headers={**headers, "Host": host}, data=data)


def assert_clean(r: TestResponse, where: str) -> None:
    for name, value in r.headers.items():
        assert EVIL not in value, f"{where}: {name}: {value}"
    assert EVIL.encode() not in r.data, f"{where}: body names {EVIL}"


@pytest.mark.parametrize("settings", [{}, {"public_url": PUBLIC}], ids=["relative", "public"])
def test_no_answer_names_the_host_header(settings: dict[str, str]) -> None:
    client = sample_client(**settings)
    seen = 0
    for method, url, headers in requests(client):
        r = ask(client, method, url, headers, EVIL)
        assert r.status_code < 500, (method, url, headers, r.data[:300])
        assert_clean(r, f"{method} {url} {headers}")
        seen += 1
    assert seen > 300


def test_answers_are_the_same_bytes_whatever_the_host(client: FlaskClient) -> None:
    for method, url, headers in requests(client):
        if url.startswith(VOLATILE):
            continue
        here = ask(client, method, url, headers, "localhost")
        there = ask(client, method, url, headers, EVIL)
        assert here.status_code == there.status_code, (url, headers)
        names = ["Location", "Link", "ETag", "Content-Length"]
        again = ask(client, method, url, headers, "localhost")
        if (again.data, again.headers.get("ETag")) == (here.data, here.headers.get("ETag")):
            assert here.data == there.data, (url, headers)
        else:
            # The ontology's blank nodes get new labels on every request, whatever the Host.
            assert _unlabelled(here.data) == _unlabelled(there.data), (url, headers)
            names = names[:2]
        for name in names:
            assert here.headers.get(name) == there.headers.get(name), (url, headers, name)


def _unlabelled(data: bytes) -> list[bytes]:
    return sorted(re.sub(rb'_:[0-9a-f]+|nodeID="[0-9a-f]+"', b"_", data).splitlines())


def test_checksums_do_not_depend_on_the_host(client: FlaskClient) -> None:
    sums = {client.get("/download/SHA256SUMS", headers={"Host": h}).data for h in ("a", EVIL)}
    assert len(sums) == 1


# -- without SCIDIP_PUBLIC_URL: relative links -------------------------------------------------


def test_links_are_relative_without_a_public_url(client: FlaskClient) -> None:
    for f in client.get("/download/index.json").json["files"]:
        assert f["url"] == f"/download/{f['name']}"
    link = client.get("/id/organization/cern").headers["Link"]
    assert "</id/organization/cern.ttl>" in link
    assert '<https://w3id.org/scidip/id/organization/cern>; rel="canonical"' in link
    assert client.get("/openapi.json").json["servers"] == [{"url": "/"}]
    r = client.get("/download", headers={"Host": EVIL})
    assert r.status_code == 308 and r.headers["Location"] == "/download/"


@pytest.mark.parametrize(
    ("fmt", "rdflib"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml"), ("trig", "trig")]
)
def test_the_service_description_names_the_endpoint_relative_to_its_url(
    client: FlaskClient, fmt: str, rdflib: str
) -> None:
    for route in ("/sparql", "/query"):
        data = client.get(route, query_string={"format": fmt}).data
        assert b"relative.invalid" not in data
        # A client resolves it against the URL it asked, whatever host it knows us by.
        for base in ("http://localhost:8000", "https://proxy.example.net"):
            g = Graph().parse(data=data, format=rdflib, publicID=base + route)
            assert set(g.objects(None, SDS.endpoint)) == {URIRef(base + route)}


def test_line_formats_name_the_listening_address() -> None:
    client = sample_client(host="0.0.0.0", port=9000)
    nt = client.get("/sparql", query_string={"format": "nt"}, headers={"Host": EVIL}).text
    assert "<http://0.0.0.0:9000/sparql>" in nt.split("#endpoint> ", 1)[1].split("\n")[0]
    void = client.get("/void.nt").text
    assert "<http://rdfs.org/ns/void#sparqlEndpoint> <http://0.0.0.0:9000/sparql> ." in void


def test_the_dataset_description_is_relative(client: FlaskClient) -> None:
    for url in ("/void.ttl", "/download/void.ttl"):
        g = Graph().parse(data=client.get(url).data, format="turtle", publicID="http://h" + url)
        assert set(g.objects(None, VOID.sparqlEndpoint)) == {URIRef("http://h/sparql")}
        dumps = {str(o) for o in g.objects(None, VOID.dataDump)}
        assert "http://h/download/scidip-graph.trig" in dumps


# -- with SCIDIP_PUBLIC_URL ---------------------------------------------------------------------


def test_links_use_the_public_url(public_client: FlaskClient) -> None:
    for f in public_client.get("/download/index.json", headers={"Host": EVIL}).json["files"]:
        assert f["url"] == f"{PUBLIC}/download/{f['name']}"
    link = public_client.get("/id/organization/cern.ttl", headers={"Host": EVIL}).headers["Link"]
    alternates = re.findall(r"<([^>]+)>; rel=\"alternate\"", link)
    assert len(alternates) == 8  # every representation, and the JSON-LD with its graphs
    assert all(a.startswith(f"{PUBLIC}/id/organization/cern.") for a in alternates)
    assert public_client.get("/openapi.json").json["servers"] == [{"url": PUBLIC}]
    r = public_client.get("/download", headers={"Host": EVIL})
    assert r.headers["Location"] == f"{PUBLIC}/download/"


@pytest.mark.parametrize(
    ("fmt", "rdflib"),
    [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml"), ("nq", "nquads")],
)
def test_descriptions_use_the_public_url(public_client: FlaskClient, fmt: str, rdflib: str) -> None:
    r = public_client.get("/sparql", query_string={"format": fmt}, headers={"Host": EVIL})
    g = Graph().parse(data=r.data, format=rdflib)  # no base: every IRI is absolute
    assert set(g.objects(None, SDS.endpoint)) == {URIRef(f"{PUBLIC}/sparql")}
    if fmt != "nq":  # the dataset description has no N-Quads
        void = public_client.get(f"/void.{fmt}", headers={"Host": EVIL}).data
        v = Graph().parse(data=void, format=rdflib)
        assert set(v.objects(None, VOID.sparqlEndpoint)) == {URIRef(f"{PUBLIC}/sparql")}


def test_the_public_url_is_read_from_the_environment() -> None:
    settings = Settings.from_env({"SCIDIP_PUBLIC_URL": PUBLIC + "/"})
    assert public_url(settings) == PUBLIC


@pytest.mark.parametrize("bad", ["scidip.example.org", "ftp://x.org", "https://x.org/?a=1"])
def test_a_malformed_public_url_is_refused_naming_the_setting(bad: str) -> None:
    with pytest.raises(ValueError, match="SCIDIP_PUBLIC_URL"):
        public_url(Settings(public_url=bad))


# -- the real server ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("live-host"), [SAMPLE], workers=2)
    yield live
    live.stop()


def test_the_real_server_does_not_echo_the_host(server: LiveServer) -> None:
    import http.client

    for path in ("/sparql", "/sparql?format=nt", "/download/index.json", "/download", "/void"):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            conn.request("GET", path, headers={"Host": EVIL})
            r = conn.getresponse()
            body = r.read()
        finally:
            conn.close()
        assert r.status in (200, 308), (path, r.status, body[:300])
        assert EVIL not in json.dumps(r.getheaders()), (path, r.getheaders())
        assert EVIL.encode() not in body, path
