"""No client query gets a 500: every format of the endpoint, asked for what used to break.

Triple terms (RDF 1.2) in CONSTRUCT and SELECT results, a blank-node chain longer than
Python's recursion limit, a SERVICE endpoint that fails, and the evaluation errors pyoxigraph
raises: each gets an answer the format can carry, or an error in the one JSON shape.
"""

from __future__ import annotations

import csv
import io
import itertools
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from scidip_graph.api import open_graph
from scidip_graph.errors import NotAcceptableError, ScidipError, engine_error
from scidip_graph.rdf.exporters import serialize_quads
from scidip_graph.rdf.formats import FORMATS, RDF_KINDS, Format
from scidip_graph.rdf.negotiation import offered
from scidip_graph.settings import Settings
from scidip_graph.web import create_app
from tests.conftest import SAMPLE

S, P, R = (ox.NamedNode(f"http://example.org/{n}") for n in ("s", "p", "r"))
ONE = ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
TRIPLE = ox.Triple(S, P, ONE)
REIFIES = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies")
NEXT = ox.NamedNode("http://example.org/next")
CHAIN = 3000

CONSTRUCTS = {
    "triple term": (
        "CONSTRUCT { <http://example.org/r> <http://example.org/p> "
        "<<( <http://example.org/s> <http://example.org/p> 1 )>> } WHERE {}",
        {ox.Triple(R, P, TRIPLE)},
    ),
    "reifier": (
        "CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 ~ <http://example.org/r> }"
        " WHERE {}",
        {TRIPLE, ox.Triple(R, REIFIES, TRIPLE)},
    ),
}
SELECT_TRIPLE = (
    "SELECT ?t WHERE { VALUES ?i { 1 2 } "
    "BIND(TRIPLE(<http://example.org/s>, <http://example.org/p>, 1) AS ?t) }"
)
EVALUATION_ERRORS = {
    "unknown function": "SELECT (<http://example.org/f>(1) AS ?x) WHERE {}",
    "unknown function in a FILTER": "ASK { FILTER(<http://example.org/f>(1)) }",
    "unknown function in CONSTRUCT": (
        "CONSTRUCT { <http://example.org/s> <http://example.org/p> ?x } "
        "WHERE { BIND(<http://example.org/f>(1) AS ?x) }"
    ),
    "cast with two arguments": (
        "SELECT (<http://www.w3.org/2001/XMLSchema#integer>('1', '2') AS ?x) WHERE {}"
    ),
}
FORM_KIND = {"SELECT": "results", "ASK": "boolean", "CONSTRUCT": "graph"}


@pytest.fixture(autouse=True)
def _private_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    # As in test_jsonld: an in-process `serve` of another test leaves this set.
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)


class _Upstream(BaseHTTPRequestHandler):
    """A SPARQL endpoint that fails in the way its path says."""

    ANSWERS: ClassVar[dict[str, tuple[int, str, bytes]]] = {  # path -> status, type, body
        "/error": (500, "text/plain", b"the upstream is down"),
        "/garbage": (200, "application/sparql-results+json", b"{not json"),
        "/html": (200, "text/html", b"<html><body>a login page</body></html>"),
    }

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, content_type, body = self.ANSWERS[self.path]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def endpoints() -> Iterator[dict[str, str]]:
    """The failing SERVICE endpoints, by what they do: a closed port and a loopback server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with socket.socket() as sock:  # a port nothing listens on once this is closed
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    base = f"http://127.0.0.1:{server.server_port}"
    yield {
        "connection refused": f"http://127.0.0.1:{closed}/sparql",
        **{path.strip("/"): base + path for path in _Upstream.ANSWERS},
    }
    server.shutdown()
    server.server_close()
    thread.join()


def _client(endpoints: dict[str, str], **settings: Any) -> FlaskClient:
    store = open_graph([SAMPLE]).store
    nodes = [ox.BlankNode(f"c{i}") for i in range(CHAIN + 1)]
    graph = ox.NamedNode("https://w3id.org/scidip/graph/chain")
    store.add(ox.Quad(a, NEXT, b, graph) for a, b in itertools.pairwise(nodes))
    allow = frozenset(endpoints.values())
    return create_app(Settings(service_allowlist=allow, **settings), store=store).test_client()


@pytest.fixture(scope="module")
def client(endpoints: dict[str, str]) -> FlaskClient:
    return _client(endpoints)


@pytest.fixture(scope="module")
def capped(endpoints: dict[str, str]) -> FlaskClient:
    """Over one row, results go through the project's own writers instead of pyoxigraph's."""
    return _client(endpoints, max_rows=1)


def ask(client: FlaskClient, query: str, fmt: Format) -> Any:
    response = client.post("/sparql", data={"query": query}, headers={"Accept": fmt.media_type})
    assert response.status_code != 500, response.text
    return response


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one JSON error shape (tests/test_error_shape.py), with this status."""
    assert response.status_code == status, response.text
    assert response.content_type == "application/json"
    assert list(response.json) == ["error"]
    error: dict[str, Any] = response.json["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"status", "code", "message", "hint", "detail"}
    if code is not None:
        assert error["code"] == code
    return error


def carries(form: str, fmt: Format) -> bool:
    """Whether the endpoint offers this format for this query form."""
    return fmt.media_type in offered(FORM_KIND[form])


def triples(fmt: Format, body: bytes) -> set[ox.Triple]:
    quads = ox.parse(body, format=getattr(ox.RdfFormat, fmt.oxigraph or ""))
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


def solutions(fmt: Format, body: bytes, variable: str) -> list[Any]:
    if fmt.name == "csv":  # lossy: strings only, parsed as CSV
        rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
        assert rows[0] == [variable]
        return [row[0] for row in rows[1:]]
    parsed = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt.oxigraph or ""))
    return [solution[variable] for solution in parsed]  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("case", CONSTRUCTS)
def test_triple_terms_in_a_graph(client: FlaskClient, case: str, fmt: Format) -> None:
    query, expected = CONSTRUCTS[case]
    response = ask(client, query, fmt)
    if not carries("CONSTRUCT", fmt):
        assert_error(response, 406, "not_acceptable")
    elif fmt.name == "jsonld":
        error = assert_error(response, 406, "not_acceptable")
        assert "triple term" in error["message"]
        others = [f.media_type for f in FORMATS if f.kind in RDF_KINDS and f.name != "jsonld"]
        assert error["detail"]["available"] == others
    else:
        assert response.status_code == 200
        assert triples(fmt, response.data) == expected


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_triple_terms_in_results(client: FlaskClient, capped: FlaskClient, fmt: Format) -> None:
    response, capped_response = ask(client, SELECT_TRIPLE, fmt), ask(capped, SELECT_TRIPLE, fmt)
    if not carries("SELECT", fmt):
        assert_error(response, 406, "not_acceptable")
        return
    assert response.status_code == capped_response.status_code == 200
    assert capped_response.headers["X-Result-Capped"].startswith("true")
    whole, cut = solutions(fmt, response.data, "t"), solutions(fmt, capped_response.data, "t")
    if fmt.name == "csv":
        # SPARQL 1.2's CSV form from the project's writer; pyoxigraph 0.5.13's own writer,
        # used within the row cap, still writes the parts with spaces between them.
        assert cut == ['<<( http://example.org/s http://example.org/p "1" )>>']
        assert whole == ["http://example.org/s http://example.org/p 1"] * 2
    else:
        assert whole == [TRIPLE, TRIPLE]
        assert cut == [TRIPLE]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_a_blank_node_chain_longer_than_the_recursion_limit(
    client: FlaskClient, fmt: Format
) -> None:
    query = (
        "CONSTRUCT { ?a <http://example.org/next> ?b } WHERE { ?a <http://example.org/next> ?b }"
    )
    response = ask(client, query, fmt)
    if not carries("CONSTRUCT", fmt):
        assert_error(response, 406, "not_acceptable")
        return
    assert response.status_code == 200
    links = {t.subject: t.object for t in triples(fmt, response.data)}
    assert len(links) == CHAIN
    (start,) = set(links) - set(links.values())
    node, length = start, 0
    while node in links:
        node, length = links[node], length + 1
    assert length == CHAIN


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize(
    ("failure", "says"),
    [
        ("connection refused", "Connection refused"),
        ("error", "Error 500"),
        ("garbage", "Parser error"),
        ("html", "Unsupported Content-Type"),
    ],
)
def test_a_failing_service_is_a_502(
    client: FlaskClient, endpoints: dict[str, str], failure: str, says: str, fmt: Format
) -> None:
    service = f"SERVICE <{endpoints[failure]}> {{ ?s ?p ?o }}"
    form = "SELECT *" if fmt.kind == "results" else "CONSTRUCT { ?s ?p ?o }"
    response = ask(client, f"{form} WHERE {{ {service} }}", fmt)
    error = assert_error(response, 502, "upstream_error")
    assert says in error["message"] and "SERVICE SILENT" in error["hint"]
    silent = ask(client, f"SELECT * WHERE {{ SERVICE SILENT <{endpoints[failure]}> {{}} }}", fmt)
    assert silent.status_code == (200 if carries("SELECT", fmt) else 406)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("case", EVALUATION_ERRORS)
def test_evaluation_errors_are_the_querys(client: FlaskClient, case: str, fmt: Format) -> None:
    query = EVALUATION_ERRORS[case]
    response = ask(client, query, fmt)
    if not carries(query.split()[0], fmt):
        assert_error(response, 406, "not_acceptable")
        return
    error = assert_error(response, 400, "evaluation")
    assert "<http://" in error["message"] and "custom function" in error["message"]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.kind in RDF_KINDS], ids=lambda f: f.name)
def test_dumps_sort_triple_terms_and_json_ld_refuses_them(fmt: Format) -> None:
    quads = [
        ox.Quad(R, REIFIES, TRIPLE),
        ox.Quad(R, P, ox.Triple(R, P, TRIPLE)),
        ox.Quad(S, P, ONE),
    ]
    if fmt.name == "jsonld":
        with pytest.raises(NotAcceptableError, match="triple terms"):
            serialize_quads(quads, fmt)
    else:
        assert triples(fmt, serialize_quads(quads, fmt)) == {q.triple for q in quads}


def test_a_bug_in_the_query_path_stays_a_500(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("scidip_graph.sparql.service.write_solutions_natively", broken)
    response = client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal"
    assert "a bug" in caplog.text and "a bug" not in response.text


@pytest.mark.parametrize(
    ("err", "calls_service", "status"),
    [
        (ConnectionRefusedError("Connection refused (os error 111)"), True, 502),
        (OSError("Error 503 Service Unavailable returned by http://x.org/sparql"), True, 502),
        (RuntimeError("Unsupported Content-Type returned by service <http://x.org/>"), True, 502),
        (RuntimeError("The custom function <http://x.org/f> is not supported"), False, 400),
        (RuntimeError("The variable encoding the service name is unbound"), True, 400),
        # not the engine's, or not a failure a SERVICE call explains: bugs, left to be 500s
        (RuntimeError("Unsupported Content-Type returned by service <http://x.org/>"), False, None),
        (OSError("Connection refused"), False, None),
        (OSError(28, "No space left on device"), True, None),
        (RecursionError("maximum recursion depth exceeded"), True, None),
        (NotImplementedError("later"), True, None),
        (
            RuntimeError("The storage provided a triple term that is not a valid RDF-star term"),
            True,
            None,
        ),
        (ValueError("bad"), True, None),
        (KeyError("x"), True, None),
        (ScidipError("already a user error"), True, None),
    ],
)
def test_engine_error(err: BaseException, calls_service: bool, status: int | None) -> None:
    mapped = engine_error(err, calls_service=calls_service)
    assert (mapped.status if mapped is not None else None) == status
    if mapped is not None:
        assert str(err) in mapped.message
