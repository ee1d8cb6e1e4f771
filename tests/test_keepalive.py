"""Keep-alive against a real server: several answers on one connection, and the hard time
limit intact (a doomed worker's connections are closed cleanly or handed on, never lost)."""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from scidip_graph.server.framing import RequestBuffer
from tests.conftest import SAMPLE
from tests.live import LiveServer
from tests.test_connections import ADDR, CFG, request

ASK = "/sparql?query=ASK%7B%7D"
JSON = {"Accept": "application/sparql-results+json"}
# 21 triples to the 6th power: far more work than the time limit allows.
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?x ?o . ?p ?q ?r }"
)


def serving(factory: pytest.TempPathFactory, workers: int, **env: str) -> Iterator[LiveServer]:
    live = LiveServer(factory.mktemp("keepalive"), [SAMPLE], workers=workers, env=env)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from serving(
        tmp_path_factory, 2, SCIDIP_KEEPALIVE_REQUESTS="4", SCIDIP_KEEPALIVE_SECONDS="1"
    )


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One worker: a kept connection and a heavy query are in the same worker for sure."""
    yield from serving(tmp_path_factory, 1, SCIDIP_HEAVY_AFTER="0.5", SCIDIP_MAX_HEAVY="1")


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Two workers, a query heavy after 1 s: one can run it while the other answers."""
    yield from serving(tmp_path_factory, 2, SCIDIP_HEAVY_AFTER="1", SCIDIP_MAX_HEAVY="1")


@pytest.fixture(scope="module")
def two_patient_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Two workers, a query heavy only after 10 s: a query of a second keeps its worker busy
    without its kept connections being given away for it."""
    yield from serving(tmp_path_factory, 2, SCIDIP_HEAVY_AFTER="10")


def read_answers(sock: socket.socket) -> tuple[list[bytes], str]:
    """Read raw answers until the server closes; the heads, and how it ended ("closed" by a
    FIN, or "reset")."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        return heads(data), "reset"
    return heads(data), "closed"


def heads(data: bytes) -> list[bytes]:
    found = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        found.append(head)
        data = rest[length:]
    return found


def test_one_connection_carries_several_answers_up_to_the_cap(server: LiveServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    answers = []
    for method, body in [("GET", None), ("POST", b"ASK {}"), ("GET", None)]:
        headers = JSON | ({"Content-Type": "application/sparql-query"} if body else {})
        conn.request(method, ASK if body is None else "/sparql", body=body, headers=headers)
        if not answers:
            sock = conn.sock  # http.client opens a new socket if the server closed this one
        response = conn.getresponse()
        answers.append((response.status, response.getheader("Connection"), response.read()))
        assert conn.sock is sock
    assert [(s, c) for s, c, _ in answers] == [(200, "keep-alive")] * 3
    assert all(json.loads(body)["boolean"] is True for _, _, body in answers)
    probe = sock.dup()  # http.client closes its own once told "close"
    conn.request("GET", ASK, headers=JSON)  # the 4th: SCIDIP_KEEPALIVE_REQUESTS
    response = conn.getresponse()
    assert (response.status, response.getheader("Connection")) == (200, "close")
    response.read()
    with probe:
        probe.settimeout(10)
        assert probe.recv(1) == b""  # closed by the server after the answer
    conn.close()


def test_an_idle_connection_is_closed_at_the_keepalive_deadline(server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(f"GET {ASK} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answers, how = read_answers(sock)  # the answer, then nothing: closed after 1 s idle
    assert how == "closed"
    assert len(answers) == 1 and b"Connection: keep-alive" in answers[0]


def test_a_request_asking_to_close_is_answered_and_closed(server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(f"GET {ASK} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answers, how = read_answers(sock)
    assert how == "closed"
    assert len(answers) == 1 and b"Connection: close" in answers[0]


def test_pipelined_requests_are_answered_or_the_connection_closed(server: LiveServer) -> None:
    """Requests sent back to back: each is answered, or (when they arrived together) the first
    is answered with Connection: close, which tells the client to send the rest again."""
    one = f"GET {ASK} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            one * 2
            + b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        answers, how = read_answers(sock)
    assert how == "closed"
    assert answers and all(a.startswith(b"HTTP/1.1 200 ") for a in answers)
    assert b"Connection: close" in answers[-1]
    assert len(answers) == 3 or (len(answers) < 3 and b"Connection: close" in answers[0])


def test_a_doomed_worker_answers_closes_cleanly_and_hands_on_its_kept_connections(
    one_worker: LiveServer,
) -> None:
    [doomed] = one_worker.workers()
    kept = http.client.HTTPConnection("127.0.0.1", one_worker.port, timeout=60)
    kept.request("GET", ASK, headers=JSON)
    assert kept.getresponse().read()  # kept, in the only worker
    sock = kept.sock
    heavy: dict[str, object] = {}

    def run_heavy() -> None:
        target = "/sparql?" + urllib.parse.urlencode({"query": HEAVY, "timeout": "3"})
        with socket.create_connection(("127.0.0.1", one_worker.port), timeout=60) as raw:
            raw.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            data = b""
            try:
                while chunk := raw.recv(65536):
                    data += chunk
                heavy["end"] = "closed"
            except ConnectionResetError:
                heavy["end"] = "reset"
            heavy["data"] = data

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(1.2)  # the query turned heavy after 0.5 s; its worker gave the kept one away
    kept.request("GET", ASK, headers=JSON)  # waits for the worker that replaces the doomed one
    response = kept.getresponse()
    assert response.status == 200 and json.loads(response.read())["boolean"] is True
    assert kept.sock is sock  # the same connection, never reopened
    thread.join()
    head, _, body = heavy["data"].partition(b"\r\n\r\n")  # type: ignore[union-attr]
    assert head.startswith(b"HTTP/1.1 503 ") and b"Connection: close" in head
    assert json.loads(body)["error"]["code"] == "timeout"  # whole
    assert heavy["end"] == "closed"  # a FIN after the answer, not a reset
    assert doomed not in one_worker.all_workers(1)  # replaced
    kept.request("GET", ASK, headers=JSON)
    assert kept.getresponse().status == 200
    kept.close()


def test_a_new_connection_is_served_while_kept_ones_keep_the_only_worker_busy(
    one_worker: LiveServer,
) -> None:
    """Kept connections sending request after request leave their worker no moment without
    one to run; a new connection must not wait until they stop (it waited up to 1.2 s under
    wrk, and for as long as the kept ones kept on with queries that take a while)."""
    # About 40,000 solutions counted: tens of milliseconds, far from turning heavy.
    values = " ".join(str(i) for i in range(200))
    busy = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} VALUES ?y {{ {values} }} }}"
    target = "/sparql?" + urllib.parse.urlencode({"query": busy})
    stop, served = threading.Event(), []

    def keep_busy() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", one_worker.port, timeout=60)
        while not stop.is_set():
            conn.request("GET", target, headers=JSON)
            served.append(conn.getresponse().read())
        conn.close()

    kept = [threading.Thread(target=keep_busy) for _ in range(4)]
    for thread in kept:
        thread.start()
    try:
        while len(served) < 8:  # every kept connection is under way
            time.sleep(0.01)
        new = http.client.HTTPConnection("127.0.0.1", one_worker.port, timeout=60)
        before = len(served)
        new.request("GET", ASK, headers=JSON)
        answer = new.getresponse()
        overtaken = len(served) - before
        assert answer.status == 200 and json.loads(answer.read())["boolean"] is True
        new.close()
    finally:
        stop.set()
        for thread in kept:
            thread.join()
    # Its turn comes after the requests already waiting in the worker (one per kept
    # connection, and the one running), not after the kept connections have sent dozens more.
    assert overtaken < 4 * len(kept), f"{overtaken} kept requests answered before the new one"


def kept_in_each_worker(
    server: LiveServer, each: int
) -> dict[int, list[http.client.HTTPConnection]]:
    """Kept connections, opened one after the other and answered once, grouped by the worker
    that holds each, until both workers hold ``each`` (which worker accepts is the kernel's
    choice)."""
    held: dict[int, list[http.client.HTTPConnection]] = {}
    for _ in range(60):
        if len(held) == 2 and min(len(c) for c in held.values()) >= each:
            break
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("GET", ASK, headers=JSON)
        assert conn.getresponse().read()
        pid = server.worker_holding(conn.sock.getsockname()[1])
        assert pid is not None
        held.setdefault(pid, []).append(conn)
    assert len(held) == 2 and min(len(c) for c in held.values()) >= each, {
        pid: len(c) for pid, c in held.items()
    }
    return held


def test_connections_given_away_are_taken_by_a_worker_busy_with_its_kept_ones(
    two_workers: LiveServer,
) -> None:
    """A worker whose query turns heavy gives its kept connections away. The other worker,
    answering its own kept connections back to back, is never idle: it must take them all the
    same, not leave them waiting until the heavy query ends (under wrk, lookups waited 4 s
    beside heavy queries stopped at a 3 s limit, until the stopped worker's replacement took
    them)."""
    held = kept_in_each_worker(two_workers, 3)
    (_, victims), (busy_pid, busy) = held.items()
    values = " ".join(str(i) for i in range(200))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} VALUES ?y {{ {values} }} }}"
    stop = threading.Event()

    def keep_busy(conn: http.client.HTTPConnection) -> None:
        while not stop.is_set():
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers=JSON)
            assert conn.getresponse().read()

    heavy: dict[str, float | int] = {}

    def run_heavy() -> None:
        target = "/sparql?" + urllib.parse.urlencode({"query": HEAVY, "timeout": "6"})
        victims[0].request("GET", target, headers=JSON)  # runs in the victims' worker
        answer = victims[0].getresponse()
        answer.read()
        heavy["status"], heavy["at"] = answer.status, time.monotonic()

    threads = [threading.Thread(target=keep_busy, args=(conn,)) for conn in busy]
    threads.append(threading.Thread(target=run_heavy))
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)  # the query turned heavy after 1 s; its worker gave its others away
        for conn in victims[1:]:
            conn.request("GET", ASK, headers=JSON)
            answer = conn.getresponse()
            assert answer.status == 200 and json.loads(answer.read())["boolean"] is True
            answered_at = time.monotonic()
            # Answered by the busy worker while the heavy query still ran, on its connection.
            assert "at" not in heavy or answered_at < float(heavy["at"]), "waited for it"
            assert two_workers.worker_holding(conn.sock.getsockname()[1]) == busy_pid
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert heavy["status"] == 503  # stopped at its time limit
    for conn in victims + busy:
        conn.close()


def test_a_request_ends_exactly_only_when_no_byte_of_another_came_with_it() -> None:
    """What lets a connection carry another request: fed a whole well-formed request, in
    pieces, the buffer says it ended exactly; fed more bytes with it (a pipelined request),
    never."""
    rng = random.Random(5)
    for _ in range(300):
        data = request(rng)
        whole = RequestBuffer(CFG, ADDR, max_body=1 << 30)
        assert any(whole.feed(data[i : i + 7]) for i in range(0, len(data), 7))
        assert whole.exact, data
        whole.data.close()
        more = RequestBuffer(CFG, ADDR, max_body=1 << 30)
        assert more.feed(data + b"GET / HTTP/1.1\r\n\r\n"[: rng.randint(1, 18)])
        assert not more.exact, data
        more.data.close()


def test_requests_waiting_together_in_one_worker_are_spread_to_an_idle_one(
    two_patient_workers: LiveServer,
) -> None:
    """Kept connections belong to the worker that accepted them, and one worker may have
    accepted most of a client pool's connections at once (with 8 workers and 8 connections,
    three workers held all 8, five idled). Requests that find themselves waiting together in a
    worker go, but for the one it runs next, to the idle workers."""
    server = two_patient_workers
    held = kept_in_each_worker(server, 3)
    (crowded_pid, crowded), (idle_pid, _) = held.items()
    slow, *waiting = crowded[:3]
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?x ?o }"
    slow.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers=JSON)
    time.sleep(0.3)  # it runs (about a second): its worker reads nothing meanwhile
    for conn in waiting:
        conn.request("GET", ASK, headers=JSON)
    answer = slow.getresponse()
    assert answer.status == 200 and answer.read()
    holders = []
    for conn in waiting:
        answer = conn.getresponse()
        assert answer.status == 200 and json.loads(answer.read())["boolean"] is True
        holders.append(server.worker_holding(conn.sock.getsockname()[1]))
    assert sorted(holders) == sorted([crowded_pid, idle_pid]), (crowded_pid, idle_pid, holders)
    for conn in held[crowded_pid] + held[idle_pid]:
        conn.close()
