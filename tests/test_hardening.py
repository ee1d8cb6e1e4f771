"""The real server against hostile queries: deep trees, memory hogs, the egress barrier.

Two servers: one with the default limits, fuzzed with the shapes that once crashed a worker
(stack overflow in the engine); one with the depth and chain limits raised far past what an
8 MiB stack survives and a small memory budget, so that the engine thread's stack and the
memory watch are what is tested, not the policy.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scidip_graph.sparql import egress
from tests.conftest import SAMPLE
from tests.live import LiveServer

pytestmark = [pytest.mark.filterwarnings("ignore::ResourceWarning")]

SHAPES = {
    "not": lambda n: "SELECT (" + "!" * n + "true AS ?x) {}",
    "sum": lambda n: "SELECT (" + "+".join(["1"] * n) + " AS ?x) {}",
    "negative terms": lambda n: "SELECT (1 " + "-1 " * n + "AS ?x) {}",
    "and": lambda n: "SELECT * { FILTER(" + "&&".join(["true"] * n) + ") }",
    "or": lambda n: "SELECT * { FILTER(" + "||".join(["false"] * n) + ") }",
    "bind": lambda n: "SELECT * {" + "".join(f" BIND(1 AS ?v{i})" for i in range(n)) + " }",
    "minus": lambda n: "SELECT * {" + " MINUS {}" * n + " }",
    "optional": lambda n: "SELECT * {" + " OPTIONAL {}" * n + " }",
    "union": lambda n: "SELECT * {" + " UNION ".join(["{}"] * n) + " }",
    "groups": lambda n: "SELECT * {" + " {}" * n + " }",
    "parentheses": lambda n: "SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) {}",
    "calls": lambda n: "SELECT (" + "STR(" * n + "1" + ")" * n + " AS ?x) {}",
    "path": lambda n: "SELECT * { ?s " + "/".join(["<x:p>"] * n) + " ?o }",
}


def ask(server: LiveServer, query: str, timeout: float = 60) -> tuple[int, dict[str, object]]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(server.url + "/sparql", data=data)
    request.add_header("Accept", "application/sparql-results+json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


def all_workers(server: LiveServer) -> set[int]:
    return server.all_workers(2)


def health(server: LiveServer) -> dict[str, object]:
    with urllib.request.urlopen(server.url + "/-/health", timeout=10) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(
        tmp_path_factory.mktemp("guarded"),
        [SAMPLE],
        workers=2,
        env={"SCIDIP_QUERY_TIMEOUT": "2", "SCIDIP_HEAVY_AFTER": "2"},
    )
    yield live
    live.stop()


@pytest.fixture(scope="module")
def open_limits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(
        tmp_path_factory.mktemp("open"),
        [SAMPLE],
        workers=2,
        env={
            "SCIDIP_QUERY_TIMEOUT": "20",
            "SCIDIP_MAX_DEPTH": "100000",
            "SCIDIP_MAX_CHAIN": "100000",
            "SCIDIP_QUERY_MEMORY": "300",
        },
    )
    yield live
    live.stop()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=st.sampled_from(sorted(SHAPES)), size=st.integers(1, 1500))
def test_no_query_crashes_a_worker(guarded: LiveServer, shape: str, size: int) -> None:
    workers = all_workers(guarded)
    status, body = ask(guarded, SHAPES[shape](size))
    assert status in (200, 400, 503), body
    if status != 200:  # refused at a limit (400), or stopped at the time limit (503)
        assert body["error"]["code"] in ("limit", "timeout"), body  # type: ignore[index]
    if status != 503:  # a timeout replaces its worker by design; nothing else may
        assert all_workers(guarded) == workers, f"a worker was replaced after {shape} x {size}"
    else:  # let the replacement finish before the next example counts the workers
        deadline = time.monotonic() + 20
        while all_workers(guarded) == workers and time.monotonic() < deadline:
            time.sleep(0.05)
    assert "SIG" not in guarded.log()


@pytest.mark.parametrize(
    ("shape", "size"),
    [("not", 20_000), ("sum", 12_000), ("bind", 4_000), ("minus", 4_000), ("parentheses", 8_000)],
)
def test_the_engine_thread_has_room_for_what_crashed_a_main_thread(
    open_limits: LiveServer, shape: str, size: int
) -> None:
    """Each of these killed a process evaluating it on an 8 MiB stack (measured).

    Some run past SCIDIP_HEAVY_AFTER, so their worker is replaced after answering, by design;
    what must not happen is a worker killed by a signal.
    """
    status, body = ask(open_limits, SHAPES[shape](size))
    assert status == 200, body
    assert "SIG" not in open_limits.log()


def test_a_query_past_its_memory_budget_gets_503_and_a_fresh_worker(
    open_limits: LiveServer,
) -> None:
    # Each BIND doubles a 1 kB string: 2^20 kB at the end, far past 300 MiB.
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(20))
    hog = f"SELECT (STRLEN(?v20) AS ?n) {{ BIND('{'x' * 1024}' AS ?v0) {binds} }}"
    before = all_workers(open_limits)
    status, body = ask(open_limits, hog)
    assert status == 503, body
    error = body["error"]
    assert error["code"] == "memory" and "SCIDIP_QUERY_MEMORY" in json.dumps(error)  # type: ignore[index]
    deadline = time.monotonic() + 20
    while all_workers(open_limits) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all_workers(open_limits) != before  # the worker that ran it was replaced
    assert ask(open_limits, "ASK {}")[0] == 200


@pytest.mark.skipif(egress.landlock_abi() < 4, reason="the kernel has no Landlock network rules")
def test_health_says_the_egress_barrier_is_active(guarded: LiveServer) -> None:
    for _ in range(4):  # meet both workers
        barrier = health(guarded)["egress_barrier"]
        assert barrier == {"active": True, "landlock_abi": egress.landlock_abi()}


def test_workers_have_an_address_space_limit_behind_the_memory_sampler(
    open_limits: LiveServer,
) -> None:
    for pid in all_workers(open_limits):
        limits = Path(f"/proc/{pid}/limits").read_text()
        line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
        soft = line.split()[3]
        assert soft != "unlimited" and int(soft) > 3 * 300 * 2**20


def test_a_malformed_chunked_body_gets_400(guarded: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as conn:
        conn.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\nASK {}\r\n0\r\n\r\n"
        )
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b'"status": 400' in answer
