"""Queries cannot make the server fetch URLs: the policy against the engine, and the OS barrier.

A canary HTTP listener on loopback counts every request it gets; the engine (pyoxigraph) sends
one for any SERVICE it evaluates. The differential fuzz runs every query the policy accepts on
the real engine and fails on any hit; the Landlock test runs SERVICE on the engine with no policy
at all, in a process that denied itself outgoing connections.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scidip_graph.errors import PolicyError, ScidipError
from scidip_graph.sparql import egress
from scidip_graph.sparql.policy import Policy, check
from tests.apps import sample_client


class Canary:
    """An HTTP listener that counts the requests it gets and answers an empty SPARQL result."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                canary.hits.append(f"{self.command} {self.path}")
                body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/x"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


def test_the_canary_sees_an_unchecked_service(canary: Canary) -> None:
    """The fuzz below means something only if the engine really calls SERVICE endpoints."""
    before = len(canary.hits)
    list(ox.Store().query(f"SELECT * {{ SERVICE <{canary.url}> {{ ?x ?y ?z }} }}"))  # type: ignore[arg-type]
    assert len(canary.hits) == before + 1


# The pieces where a reading of SPARQL can go wrong: "<" (less-than or IRI), ">", every quote,
# comments, escapes, line breaks, triple terms, brackets.
PIECES = [
    "<", ">", "<=", "'", '"', "'''", '"""', "#", "\n", "\r", " ", "\\", "\\u003C", "\\u0027",
    "<'>", "'>'", '">"', "<#>", "?a", "$b", "1", "-1", "(", ")", "{", "}", "[", "]", "<<", ">>",
    "<<(", ")>>", ",", ".", ";", "x:", ":y", "!", "&&", "||", "^^", "@en", "~", "*", "/", "|",
    "true", "STR(", "<x:f>(", "SILENT", "SERVICE", "AS ?c", "FILTER(", "BIND(", "}", "{",
]  # fmt: skip
HEADS = [
    "SELECT * {{ BIND('!' AS ?a) FILTER(?a{mid}) SERVICE {target} {{ ?x ?y ?z }} }}{tail}",
    "SELECT * {{ BIND(?a{mid} AS ?b) SERVICE {target} {{ ?x ?y ?z }} }}{tail}",
    "SELECT (?a{mid} AS ?b) {{ SERVICE {target} {{ ?x ?y ?z }} }}{tail}",
    "SELECT * {{ ?s ?p ?o {mid} SERVICE {target} {{ }} }}{tail}",
    "SELECT * {{ FILTER <x:f>(?a{mid}) SERVICE SILENT {target} {{ }} }}{tail}",
    "SELECT * {{ }} ORDER BY (?a{mid}) {tail} SERVICE {target}",
    "SELECT * {{ {mid} }} {tail} {{ SERVICE {target} {{ }} }}",
]


def _target(url: str, spelling: int) -> str:
    if spelling == 1:
        return "<" + url.replace(":", "\\u003A", 1) + ">"
    return f"<{url}>"


def _run_if_accepted(query: str) -> None:
    try:
        check(query, Policy())
    except ScidipError:
        return  # refused: the engine never sees it
    try:
        result = ox.Store().query(query)
        if not isinstance(result, ox.QueryBoolean):
            list(result)  # type: ignore[arg-type]
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass  # the engine refused it too


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    head=st.sampled_from(HEADS),
    mid=st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    tail=st.lists(st.sampled_from(PIECES), max_size=6).map("".join),
    spelling=st.integers(0, 1),
)
@example(head=HEADS[0], mid="<'>'", tail=" #'", spelling=0)
@example(head=HEADS[0], mid="<#>'''\n'~'", tail=" #'''", spelling=0)
@example(head=HEADS[1], mid="<'>'", tail=" #'", spelling=1)
def test_no_query_the_policy_accepts_reaches_the_canary(
    canary: Canary, head: str, mid: str, tail: str, spelling: int
) -> None:
    before = len(canary.hits)
    query = head.format(mid=mid, tail=tail, target=_target(canary.url, spelling))
    _run_if_accepted(query)
    assert len(canary.hits) == before, f"the policy let a SERVICE through: {query!r}"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { BIND('!' AS ?a) FILTER(?a<'>') SERVICE <{url}> { ?x ?y ?z } } #'",
        "SELECT * { BIND('!' AS ?a) FILTER(?a<#>'''\n'~') SERVICE <{url}> { ?x ?y ?z } } #'''",
        "SELECT * { SERVICE SILENT <{url}> { } }",
        "SELECT * { \\u0053ERVICE <{url}> { } }",
        "LOAD <{url}>",
        "LOAD <file:///etc/passwd>",
    ],
)
def test_the_raw_text_check_refuses_the_known_attacks(query: str, canary: Canary) -> None:
    with pytest.raises(PolicyError) as caught:
        egress.check_raw_text(query.replace("{url}", canary.url))
    assert caught.value.status == 403
    assert caught.value.detail is not None and caught.value.detail["barrier"] == "raw-text"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p 'the Foreign Service of Norway' }",
        "SELECT ?service ?load { ?service <x:load> ?load }",
        "SELECT * { ?s <x:p> 'service' FILTER(CONTAINS(?o, 'load')) }",
    ],
)
def test_the_raw_text_check_passes_ordinary_words(query: str) -> None:
    egress.check_raw_text(query)


@pytest.mark.skipif(egress.landlock_abi() < 4, reason="the kernel has no Landlock network rules")
def test_landlock_stops_the_engine_with_no_policy_at_all(canary: Canary) -> None:
    script = textwrap.dedent(
        f"""
        import pyoxigraph as ox
        from scidip_graph.sparql import egress
        assert egress.deny_outgoing([]) and egress.barrier_active()
        try:
            list(ox.Store().query("SELECT * {{ SERVICE <{canary.url}> {{ ?x ?y ?z }} }}"))
        except OSError as err:
            print("refused:", err)
        """
    )
    before = len(canary.hits)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "refused:" in done.stdout
    assert len(canary.hits) == before  # the engine tried, the kernel said no


# FROM, FROM NAMED, USING, USING NAMED, WITH and the protocol's dataset parameters pass the
# policy with any IRI, because the engine never fetches them: this process has no Landlock
# barrier, so the canary would see any request.
DATASET_QUERIES = [
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "ASK FROM <{url}> FROM NAMED <{url}> {{ GRAPH <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "DESCRIBE <{url}> FROM <{url}>",
]
DATASET_UPDATES = [
    "INSERT {{ <x:s> <x:p> ?o }} USING <{url}> WHERE {{ ?s ?p ?o }}",
    "INSERT {{ <x:s> <x:p> ?g }} USING NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "WITH <{url}> DELETE {{ ?s ?p ?o }} INSERT {{ <x:s> <x:p> 1 }} WHERE {{ ?s ?p ?o }}",
    "DELETE {{ ?s ?p ?o }} USING <{url}> USING NAMED <{url}> WHERE {{ ?s ?p ?o }}",
]


def test_the_engine_never_fetches_dataset_graphs(canary: Canary, tmp_path: Path) -> None:
    assert not egress.barrier_active()
    secret = tmp_path / "secret.ttl"
    secret.write_text('<x:secret> <x:p> "do not read me" .\n')
    store = ox.Store()
    before = len(canary.hits)
    for url in (canary.url, secret.as_uri()):
        for query in DATASET_QUERIES:
            text = query.format(url=url)
            check(text, Policy())  # accepted
            result = store.query(text)
            assert not isinstance(result, ox.QueryBoolean) or not result
            if not isinstance(result, ox.QueryBoolean):
                assert list(result) == []  # type: ignore[arg-type]
        named = ox.NamedNode(url)
        result = store.query("SELECT * { ?s ?p ?o }", default_graph=[named], named_graphs=[named])
        assert list(result) == []  # type: ignore[arg-type]
        for update in DATASET_UPDATES:
            text = update.format(url=url)
            check(text, Policy(allow_updates=True))  # accepted
            store.update(text)
    assert len(store) == 0  # every graph named was empty, so nothing was inserted
    assert len(canary.hits) == before


def test_the_endpoint_never_fetches_dataset_graphs(canary: Canary) -> None:
    client = sample_client()
    before = len(canary.hits)
    for query in DATASET_QUERIES[:2]:
        r = client.get("/sparql", query_string={"query": query.format(url=canary.url)})
        assert r.status_code == 200 and r.json["results"]["bindings"] == []
    for parameter in ("default-graph-uri", "named-graph-uri"):
        q = "SELECT * { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        r = client.get("/sparql", query_string={"query": q, parameter: canary.url})
        assert r.status_code == 200 and r.json["results"]["bindings"] == []
    assert len(canary.hits) == before
