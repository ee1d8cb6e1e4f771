"""A real server on loopback: real clients, hard time limits, workers kept current."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.conftest import SAMPLE
from tests.live import LiveServer, cpu_seconds

CH = "https://w3id.org/scidip/id/country/CH"
NAMES = f"SELECT ?name WHERE {{ <{CH}> <http://schema.org/name> ?name }} ORDER BY ?name"
CONSTRUCT = "CONSTRUCT { ?s <http://schema.org/name> ?n } WHERE { ?s <http://schema.org/name> ?n }"
# 21 triples to the 6th power: far more work than the time limit allows.
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?x ?o . ?p ?q ?r }"
)


# SPARQLWrapper and rdflib's SPARQLStore leave their HTTP responses for the garbage collector.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(
        tmp_path_factory.mktemp("live"),
        [SAMPLE],
        workers=3,
        env={
            "SCIDIP_QUERY_TIMEOUT": "20",
            "SCIDIP_HEAVY_AFTER": "0.5",
            "SCIDIP_MAX_HEAVY": "2",
            "SCIDIP_CLIENT_TIMEOUT": "1",
        },
    )
    yield live
    live.stop()


def get(server: LiveServer, query: str, **params: str) -> tuple[int, dict[str, str], bytes]:
    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": query, **params})
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers), err.read()


# -- real clients ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(server: LiveServer, fmt: str) -> None:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(NAMES)
    sw.setReturnFormat(fmt)
    result = sw.query().convert()
    if fmt == JSON:
        names = [b["name"]["value"] for b in result["results"]["bindings"]]
    elif fmt == XML:
        names = [n.firstChild.data for n in result.getElementsByTagName("literal")]
    elif fmt == CSV:
        names = result.decode().split("\r\n")[1:4]
    else:
        names = [line.split("@")[0].strip('"') for line in result.decode().split("\n")[1:4]]
    assert names == ["Suisse", "Switzerland", "瑞士"]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server: LiveServer, fmt: str) -> None:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(f"ASK {{ <{CH}> a <http://schema.org/Country> }}")
    sw.setReturnFormat(fmt)
    result = sw.query().convert()
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, "json-ld"])
def test_sparqlwrapper_construct(server: LiveServer, fmt: str) -> None:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(fmt)
    result = sw.query().convert()
    graph = (
        result
        if isinstance(result, Graph)
        else Graph().parse(data=result, format={"json-ld": "json-ld"}.get(fmt, "turtle"))
    )
    assert len(graph) == 5


def test_sparqlwrapper_post(server: LiveServer) -> None:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setMethod("POST")
    sw.setQuery(NAMES)
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == 3


def test_rdflib_sparqlstore(server: LiveServer) -> None:
    store = SPARQLStore(server.url + "/sparql")
    graph = Graph(store=store)
    names = sorted(str(row[0]) for row in graph.query(NAMES))
    assert names == ["Suisse", "Switzerland", "瑞士"]
    assert (URIRef(CH), None, None) in graph


# -- closed to abuse -----------------------------------------------------------------------------


class Listener:
    """A TCP listener on loopback that records whether anyone connects."""

    def __init__(self) -> None:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.sock.close()


def test_service_load_and_from_make_no_request_and_read_no_file(
    server: LiveServer, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text('<http://x/secret> <http://x/p> "do not read me" .\n')
    listener = Listener()
    try:
        attempts = [
            f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}",
            f"PREFIX l: <{listener.url.rsplit('/', 1)[0]}/> "
            "SELECT * WHERE { sErViCe l:sparql { ?s ?p ?o } }",
            f"BASE <{listener.url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE <sparql> {{}} }}",
            f"SELECT * WHERE {{ SERVICE <{secret.as_uri()}> {{ ?s ?p ?o }} }}",
            "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        ]
        for query in attempts:
            status, _, body = get(server, query)
            assert status == 403, (query, body)
            assert b"do not read me" not in body
        # FROM and FROM NAMED are never fetched: outside the dataset they are empty graphs.
        empty = [
            f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
        ]
        for query in empty:
            status, _, body = get(server, query)
            assert status == 200, (query, body)
            assert json.loads(body)["results"]["bindings"] == []
        for update in (f"LOAD <{listener.url}>", f"LOAD <{secret.as_uri()}>"):
            request = urllib.request.Request(
                server.url + "/sparql",
                data=update.encode(),
                headers={"Content-Type": "application/sparql-update"},
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            assert refused.value.code == 403
        for parameter in ("default-graph-uri", "named-graph-uri"):
            for iri in (secret.as_uri(), listener.url):
                status, _, body = get(server, NAMES, **{parameter: iri})
                assert status == 200, body
                assert json.loads(body)["results"]["bindings"] == []
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_a_query_of_several_megabytes_gets_413(server: LiveServer) -> None:
    body = ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 5_000_000).encode()
    request = urllib.request.Request(
        server.url + "/sparql", data=body, headers={"Content-Type": "application/sparql-query"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 413


def test_a_deeply_nested_query_gets_400_not_a_crash(server: LiveServer) -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    body = urllib.parse.urlencode({"query": deep}).encode()
    request = urllib.request.Request(server.url + "/sparql", data=body)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
    assert json.loads(refused.value.read())["error"]["code"] == "limit"
    assert get(server, NAMES)[0] == 200


# -- hard time limits ---------------------------------------------------------------------------


def test_an_overrunning_query_is_stopped_and_light_queries_go_on(server: LiveServer) -> None:
    outcome: dict[str, object] = {}

    def heavy() -> None:
        started = time.monotonic()
        outcome["status"], outcome["headers"], outcome["body"] = get(server, HEAVY, timeout="3")
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.3)
    light = []
    while thread.is_alive():
        light.append(get(server, NAMES)[0])
    thread.join()
    assert outcome["status"] == 503, outcome
    assert json.loads(outcome["body"])["error"]["code"] == "timeout"  # type: ignore[arg-type]
    assert light and set(light) == {200}
    # The worker that ran it is gone and no process goes on burning CPU.
    time.sleep(1.0)
    before = {pid: cpu_seconds(pid) for pid in server.workers()}
    time.sleep(1.0)
    spent = sum(cpu_seconds(pid) - cpu for pid, cpu in before.items())
    assert spent < 0.3, f"workers still used {spent:.2f} s of CPU in 1 s"
    assert len(server.workers()) == 3  # replaced
    assert get(server, NAMES)[0] == 200
    metrics = urllib.request.urlopen(server.url + "/-/metrics", timeout=10).read().decode()
    assert 'scidip_query_events_total{event="timeout"}' in metrics


def test_heavy_queries_beyond_the_limit_get_503_with_retry_after(server: LiveServer) -> None:
    results: list[tuple[int, dict[str, str]]] = []

    def heavy() -> None:
        status, headers, _ = get(server, HEAVY, timeout="3")
        results.append((status, headers))

    threads = [threading.Thread(target=heavy) for _ in range(3)]
    for t in threads:
        t.start()
        time.sleep(0.1)
    for t in threads:
        t.join()
    statuses = sorted(status for status, _ in results)
    assert statuses == [503, 503, 503]
    busy = [h for s, h in results if h.get("Retry-After")]
    assert len(busy) == 1  # two heavy slots: the third was turned away at once
    time.sleep(1.0)
    assert get(server, NAMES)[0] == 200


def test_a_query_that_turned_heavy_is_refused_before_it_runs_while_the_slots_are_taken(
    server: LiveServer,
) -> None:
    """Sent again while both heavy slots are taken, a query that turned heavy before is
    answered 503 at once, without holding a worker until it turns heavy again (a client
    resending it kept one of two workers busy, and light queries waited)."""
    holders = [
        threading.Thread(target=get, args=(server, f"{HEAVY} LIMIT {i}"), kwargs={"timeout": "6"})
        for i in (1, 2)
    ]
    for holder in holders:
        holder.start()
    time.sleep(1.5)  # both heavy after 0.5 s: they hold the two slots
    again = f"{HEAVY} LIMIT 3"
    first = get(server, again, timeout="6")
    second = get(server, again, timeout="6")
    for holder in holders:
        holder.join()
    assert first[0] == second[0] == 503
    assert "known_heavy" not in json.loads(first[2])["error"].get("detail", {})  # it ran
    refused = json.loads(second[2])["error"]
    assert refused["detail"]["known_heavy"] is True and "took long before" in refused["message"]
    assert second[1]["Retry-After"] == "5"
    time.sleep(1.0)
    assert get(server, NAMES)[0] == 200


def thread_states(pids: set[int]) -> dict[tuple[int, int], tuple[float, int]]:
    """(worker pid, thread id) -> (CPU seconds, nice value), read from /proc."""
    states = {}
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # the thread ended meanwhile
                continue
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            states[(pid, int(task.name))] = (ticks / os.sysconf("SC_CLK_TCK"), int(fields[16]))
    return states


def test_a_heavy_query_runs_at_low_priority_on_the_thread_that_runs_it(
    server: LiveServer,
) -> None:
    """Past SCIDIP_HEAVY_AFTER the thread evaluating the query (not another thread of its
    worker: Linux nice values are per thread) runs at nice 10."""
    thread = threading.Thread(target=get, args=(server, HEAVY), kwargs={"timeout": "4"})
    thread.start()
    time.sleep(1.5)  # heavy after 0.5 s
    before = thread_states(server.workers())
    time.sleep(1.0)
    after = thread_states(server.workers())
    thread.join()
    # The thread that ran the query is the one that used the most CPU meanwhile (on a busy
    # machine, at nice 10, that may be little).
    spent = {key: cpu - before.get(key, (cpu, 0))[0] for key, (cpu, _) in after.items()}
    busy = max(spent, key=lambda key: spent[key])
    assert spent[busy] > 0.02, "no thread of any worker ran the query"
    assert after[busy][1] == 10, after[busy]
    idle = [key for key in after if key[0] == busy[0] and key != busy]
    assert idle and all(after[key][1] == 0 for key in idle)  # the rest of its worker is not
    time.sleep(1.0)
    assert get(server, NAMES)[0] == 200


def test_a_heavy_sort_runs_at_low_priority_in_the_helper_that_evaluates_it(
    server: LiveServer,
) -> None:
    """An ORDER BY query is evaluated by its worker's sorting helper (a child process); once
    it turns heavy, the helper runs at nice 10, not only the worker's thread that waits."""
    thread = threading.Thread(
        target=get, args=(server, f"{HEAVY} ORDER BY ?n"), kwargs={"timeout": "4"}
    )
    thread.start()
    time.sleep(1.5)  # heavy after 0.5 s
    helpers = {}
    for worker in server.workers():
        for task in Path(f"/proc/{worker}/task").glob("*"):
            with contextlib.suppress(OSError):
                for child in (task / "children").read_text().split():
                    stat = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
                    helpers[int(child)] = int(stat[16])  # its nice value
    thread.join()
    assert 10 in helpers.values(), helpers  # the helper running the heavy sort
    time.sleep(1.0)
    assert get(server, NAMES)[0] == 200


# -- every worker current ------------------------------------------------------------------------


def test_committed_changes_reach_every_worker(server: LiveServer) -> None:
    import pyoxigraph as ox

    from scidip_graph.store.durable import open_durable

    store = open_durable(server.data_dir)
    quad = ox.Quad(
        ox.NamedNode(CH),
        ox.NamedNode("http://schema.org/name"),
        ox.Literal("Schweiz", language="de"),
        ox.NamedNode("https://w3id.org/scidip/graph/two"),
    )
    store.commit(added=[quad], author="test", message="German name")
    for _ in range(12):  # enough requests to meet every worker
        status, _, body = get(server, NAMES, format="csv")
        assert status == 200
        assert "Schweiz" in body.decode()


def test_slow_clients_do_not_hold_the_workers(server: LiveServer) -> None:
    import socket

    slow = []
    for _ in range(4):  # more than the workers
        conn = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        conn.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")  # never finished
        slow.append(conn)
    try:
        time.sleep(2.5)  # past the client timeout (1 s in this server)
        for conn in slow:
            conn.settimeout(3)
            assert conn.recv(100) == b""  # dropped by the server, not kept waiting
        assert get(server, NAMES)[0] == 200
    finally:
        for conn in slow:
            conn.close()


@pytest.mark.parametrize("token", ["", "a-curator-token-of-enough-length"])
def test_the_master_warms_the_gate_before_forking_when_writes_are_on(
    tmp_path: Path, token: str
) -> None:
    """With writes on, the app the master builds (and the workers inherit) has the shapes
    read and their reach compiled, so no worker pays for them on its first write."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    script = f"""
import json
from pathlib import Path
from scidip_graph.ingest.reach import compile_reach
from scidip_graph.server.prefork import build_app
from scidip_graph.settings import Settings
settings = Settings.from_env(
    None, data_dir=Path({str(tmp_path / "var")!r}), source_dir=Path({str(sources)!r}),
    validate=False,
    write_token={token!r},
)
build_app(settings)
print(json.dumps(compile_reach.cache_info().currsize))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1]) == (1 if token else 0)
