"""Engine crashes stay apart: an ORDER BY runs in a forked child, and a child that dies becomes
a 500 in the one error shape while the worker goes on serving (``sparql/isolation.py``)."""

from __future__ import annotations

import json
import os
import random
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scidip_graph.api import open_graph
from scidip_graph.errors import EngineFaultError, SparqlSyntaxError
from scidip_graph.settings import Settings
from scidip_graph.sparql.isolation import Helper, run_forked
from scidip_graph.web import create_app
from tests.live import LiveServer, cpu_seconds

XSD = "http://www.w3.org/2001/XMLSchema#"
SORT_ALL = "SELECT ?v WHERE { ?s ?p ?v } ORDER BY ?v"


def mixed_values(n: int, seed: int) -> str:
    """Turtle of ``n`` integers, ``n`` plain strings and ``n`` dates, one per subject, in an
    order fixed by ``seed``: numbers, strings and dates side by side under one sort."""
    values = [f'"{i}"^^<{XSD}integer>' for i in range(n)]
    values += [f'"{i}"' for i in range(n)]
    values += [f'"20{i % 90 + 10:02d}-01-01"^^<{XSD}date>' for i in range(n)]
    random.Random(seed).shuffle(values)
    return "".join(f"<http://s/{i}> <http://p> {v} .\n" for i, v in enumerate(values))


@pytest.fixture(scope="module")
def crashing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data file on which pyoxigraph's sort crashes the process (checked, in a child)."""
    path = tmp_path_factory.mktemp("crash") / "mixed.ttl"
    path.write_text(mixed_values(40, 0), encoding="utf-8")

    def sort_directly(write: object) -> int:
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        return len(list(store.query(SORT_ALL)))  # type: ignore[arg-type]

    try:
        run_forked(sort_directly, sink=lambda _: None)
    except EngineFaultError:
        return path
    pytest.skip(f"pyoxigraph {ox.__version__} no longer crashes on this sort")


@pytest.fixture(scope="module")
def client(crashing: Path) -> FlaskClient:
    store = open_graph([crashing]).store
    return create_app(Settings(), store=store).test_client()


def test_run_forked_streams_returns_and_raises() -> None:
    chunks: list[bytes] = []
    big = os.urandom(200_000)  # more than a pipe holds, in several frames

    def work(write):  # type: ignore[no-untyped-def]
        write(b"head:")
        write(big)
        return {"rows": 3}

    assert run_forked(work, sink=chunks.append) == {"rows": 3}
    assert b"".join(chunks) == b"head:" + big

    def syntax(write):  # type: ignore[no-untyped-def]
        raise SparqlSyntaxError("expected a variable", line=1, column=8)

    with pytest.raises(SparqlSyntaxError) as raised:
        run_forked(syntax, sink=chunks.append)
    assert (raised.value.line, raised.value.column) == (1, 8)
    assert raised.value.detail == {"line": 1, "column": 8}

    class Local(Exception):  # cannot be pickled: defined in a function
        pass

    def unpicklable(write):  # type: ignore[no-untyped-def]
        raise Local("from inside")

    with pytest.raises(RuntimeError, match="from inside"):
        run_forked(unpicklable, sink=chunks.append)


def test_a_child_that_dies_is_an_engine_fault() -> None:
    def abort(write):  # type: ignore[no-untyped-def]
        write(b"partial")
        os.kill(os.getpid(), signal.SIGABRT)

    with pytest.raises(EngineFaultError) as raised:
        run_forked(abort, sink=lambda _: None)
    assert raised.value.status == 500 and "SIGABRT" in raised.value.message


def test_the_endpoint_answers_500_and_goes_on(client: FlaskClient) -> None:
    answer = client.get("/sparql", query_string={"query": SORT_ALL})
    assert answer.status_code == 500
    error = answer.get_json()["error"]
    assert error["code"] == "engine_fault" and "ORDER BY" in error["message"]
    assert "STR(" in error["hint"]
    # The same values ordered by their string form: the sort is total, and the answer whole.
    answer = client.get(
        "/sparql",
        query_string={"query": "SELECT ?v WHERE { ?s ?p ?v } ORDER BY STR(?v)"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200 and len(answer.get_json()["results"]["bindings"]) == 120


KINDS = {
    "integer": lambda i: f'"{i}"^^<{XSD}integer>',
    "double": lambda i: f'"{i}.5e0"^^<{XSD}double>',
    "nan": lambda i: f'"NaN"^^<{XSD}double>',
    "string": lambda i: f'"{i}"',
    "lang": lambda i: f'"w{i}"@en',
    "iri": lambda i: f"<http://o/{i}>",
    "bnode": lambda i: f"_:b{i}",
    "date": lambda i: f'"20{i % 90 + 10:02d}-01-01"^^<{XSD}date>',
    "dateTime": lambda i: f'"2001-01-01T{i % 24:02d}:00:00"^^<{XSD}dateTime>',
    "dateTimeZ": lambda i: f'"2001-01-01T{i % 24:02d}:00:00Z"^^<{XSD}dateTime>',
}
ORDERS = ["?v", "DESC(?v)", "?v ?s", "STR(?v)", "DATATYPE(?v) ?v", "?p DESC(?v) ?s"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kinds=st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=5, unique=True),
    n=st.integers(min_value=1, max_value=30),
    seed=st.integers(min_value=0, max_value=2**16),
    order=st.sampled_from(ORDERS),
)
def test_fuzz_order_by_never_takes_the_process_down(
    tmp_path: Path, kinds: list[str], n: int, seed: int, order: str
) -> None:
    """Random mixes of values under random orders, through the endpoint of a test client in
    this very process: were a crash to escape the child, pytest itself would die."""
    values = [KINDS[k](i) for k in kinds for i in range(n)]
    random.Random(seed).shuffle(values)
    path = tmp_path / f"fuzz-{seed}.ttl"
    path.write_text(
        "".join(f"<http://s/{i}> <http://p> {v} .\n" for i, v in enumerate(values)),
        encoding="utf-8",
    )
    client = create_app(Settings(), store=open_graph([path]).store).test_client()
    answer = client.get(
        "/sparql",
        query_string={"query": f"SELECT ?s ?v WHERE {{ ?s ?p ?v }} ORDER BY {order}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    if answer.status_code == 500:
        assert answer.get_json()["error"]["code"] == "engine_fault"
    else:
        assert answer.status_code == 200
        assert len(answer.get_json()["results"]["bindings"]) == len(values)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, crashing: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("live-crash"), [crashing], workers=1)
    yield server
    server.stop()


def test_a_real_worker_survives_the_crash(live: LiveServer) -> None:
    worker = live.workers()
    url = live.url + "/sparql?" + urllib.parse.urlencode({"query": SORT_ALL})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(url, timeout=30)
    with raised.value as answer:
        assert answer.code == 500
        assert json.load(answer)["error"]["code"] == "engine_fault"
    assert live.workers() == worker  # the same worker, never restarted
    ask = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    with urllib.request.urlopen(f"{live.url}/sparql?{ask}", timeout=30) as answer:
        assert answer.status == 200


def group_cpu(group: int) -> dict[int, float]:
    """CPU seconds of every process of a process group (a server and what it forked)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            found[int(stat.parent.name)] = cpu_seconds(int(stat.parent.name))
    return found


def test_an_overrunning_sort_stops_with_its_worker(tmp_path: Path, crashing: Path) -> None:
    """The child of a sort that overruns dies with the worker the time limit stops: nothing
    of the server goes on using the CPU."""
    server = LiveServer(tmp_path, [crashing], workers=1, env={"SCIDIP_QUERY_TIMEOUT": "2"})
    try:
        heavy = (
            "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } "
            "ORDER BY STR(?a) STR(?b) STR(?c)"
        )
        url = server.url + "/sparql?" + urllib.parse.urlencode({"query": heavy})
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(url, timeout=60)
        with raised.value as answer:
            assert answer.code == 503
            assert json.load(answer)["error"]["code"] == "timeout"
        time.sleep(1.5)  # the worker exits after its answer; its child with it
        group = server.process.pid
        before = group_cpu(group)
        time.sleep(1.0)
        after = group_cpu(group)
        used = sum(after[pid] - before.get(pid, after[pid]) for pid in after)
        assert used < 0.3, f"the server's processes used {used:.2f} s of CPU in 1 s"
    finally:
        server.stop()


# -- the helper kept between sorts -----------------------------------------------------------------


def _pid_and(request: str, write: object) -> tuple[int, str]:
    if request == "crash":
        os.abort()
    write(request.encode())  # type: ignore[operator]
    return os.getpid(), request


def test_a_helper_answers_request_after_request_in_one_child_until_the_data_changes() -> None:
    version = ["v1"]
    helper = Helper(_pid_and, current=lambda: version[0])
    out: list[bytes] = []
    try:
        first, _ = helper.run("a", version="v1", sink=out.append)
        second, _ = helper.run("b", version="v1", sink=out.append)
        assert first == second != os.getpid() and out == [b"a", b"b"]  # one child, kept
        version[0] = "v2"  # changed here, after the fork: the child still has v1
        third, echoed = helper.run("c", version="v2", sink=out.append)
        assert third != first and echoed == "c"  # a fresh child, forked with v2
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)  # the stale one is gone, and reaped
    finally:
        helper.close()


def test_a_helper_that_crashes_is_a_500_and_the_next_request_gets_a_new_one() -> None:
    helper = Helper(_pid_and, current=lambda: "v")
    try:
        before, _ = helper.run("a", version="v", sink=lambda data: None)
        with pytest.raises(EngineFaultError) as caught:
            helper.run("crash", version="v", sink=lambda data: None)
        assert caught.value.status == 500 and "SIGABRT" in str(caught.value)
        after, _ = helper.run("b", version="v", sink=lambda data: None)
        assert after not in (before, os.getpid())
    finally:
        helper.close()


def test_a_helper_keeps_none_of_the_workers_connections_open() -> None:
    """A client's socket the worker closes must close: the helper, forked while the worker
    held it, holds no copy of it."""
    import socket

    ours, theirs = socket.socketpair()
    helper = Helper(_pid_and, current=lambda: "v")
    try:
        helper.run("a", version="v", sink=lambda data: None)  # forked while `ours` is open
        ours.close()
        theirs.settimeout(5)
        assert theirs.recv(1) == b""  # end of stream: no other process holds `ours`
    finally:
        theirs.close()
        helper.close()
