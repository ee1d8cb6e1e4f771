"""Slow clients against a real server of two workers (scidip_graph.server.worker).

Clients that send their request a byte at a time, or read their answer a byte at a time, wait
in the workers' event loops, never in a request: light queries go on being answered at once.
Each such client has a deadline for its whole request and one for its whole answer.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from tests.conftest import SAMPLE
from tests.live import LiveServer

CLIENT_TIMEOUT = 2.0
SEND_TIMEOUT = 3.0
MARGIN = 2.0
"""Seconds a deadline may be late by: the loop wakes at the deadline unless a request runs."""
LIGHT_SECONDS = 1.0
T = TypeVar("T")
# 21 triples to the 4th power, cut at 20,000 rows: about 7 MB of TSV, more than the kernel
# buffers of both ends (the server's grows to tcp_wmem's 4 MiB at most), so most of the answer
# waits in the worker's outbox.
BIG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } LIMIT 20000"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(
        tmp_path_factory.mktemp("slow"),
        [SAMPLE],
        workers=2,
        env={
            "SCIDIP_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT),
            "SCIDIP_SEND_TIMEOUT": str(SEND_TIMEOUT),
        },
    )
    yield live
    live.stop()


def light_query_seconds(server: LiveServer) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(server.url + "/sparql?query=ASK%7B%7D", timeout=60) as r:
        assert r.status == 200
        assert json.loads(r.read())["boolean"] is True
    return time.monotonic() - started


def light_queries_while(busy: Callable[[], bool], server: LiveServer) -> list[float]:
    """Time light queries, one every 0.1 s, for as long as ``busy()``."""
    seconds = []
    while busy():
        seconds.append(light_query_seconds(server))
        time.sleep(0.1)
    return seconds


def drip(server: LiveServer, first: bytes, rest: bytes, every: float) -> tuple[float, bytes]:
    """Send ``first``, then ``rest`` a byte per ``every`` seconds, until the server answers or
    closes; return the seconds from the connection to that moment, and the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        started = time.monotonic()
        try:
            sock.sendall(first)
            for byte in rest:
                if select.select([sock], [], [], every)[0]:
                    break
                sock.sendall(bytes([byte]))
            else:
                raise AssertionError("the server took the whole slow request")
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - started, b""
        seconds = time.monotonic() - started
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
        return seconds, answer


def in_threads(count: int, target: Callable[[], T]) -> tuple[list[T], Callable[[], bool]]:
    """Run ``target`` on ``count`` threads; its results, and whether any still runs."""
    results: list[T] = []
    threads = [threading.Thread(target=lambda: results.append(target())) for _ in range(count)]
    for thread in threads:
        thread.start()
    return results, lambda: any(thread.is_alive() for thread in threads)


def test_drippers_are_dropped_at_the_deadline_and_hold_no_worker(server: LiveServer) -> None:
    never_ending_head = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 500
    results, busy = in_threads(4, lambda: drip(server, b"", never_ending_head, 0.3))
    light = light_queries_while(busy, server)
    assert len(results) == 4
    for seconds, answer in results:
        assert CLIENT_TIMEOUT - 0.1 <= seconds <= CLIENT_TIMEOUT + MARGIN
        assert answer == b""  # dropped: there is no request to answer
    assert len(light) >= 5
    assert max(light) < LIGHT_SECONDS, light


def test_slow_readers_are_cut_at_the_deadline_and_hold_no_worker(server: LiveServer) -> None:
    query = urllib.parse.urlencode({"query": BIG, "format": "tsv"})
    with urllib.request.urlopen(f"{server.url}/sparql?{query}", timeout=60) as r:
        size = len(r.read())
    request = f"GET /sparql?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode()

    def read_slowly() -> tuple[float, int, str]:
        """Read a byte each 0.5 s; return the seconds until the server cut the connection."""
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
            assert size > 100 * sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
            sock.settimeout(30)
            sock.connect(("127.0.0.1", server.port))
            sock.sendall(request)
            started = time.monotonic()
            received, next_read = 0, started
            while time.monotonic() - started < 30:
                # A reset shows in SO_ERROR at once; recv() would first return what is queued.
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    return time.monotonic() - started, received, "reset"
                if time.monotonic() >= next_read:
                    try:
                        if not sock.recv(1):
                            return time.monotonic() - started, received, "closed"
                    except ConnectionResetError:
                        return time.monotonic() - started, received, "reset"
                    received += 1
                    next_read += 0.5
                time.sleep(0.02)
            return time.monotonic() - started, received, "still open"

    results, busy = in_threads(4, read_slowly)
    light = light_queries_while(busy, server)
    assert len(results) == 4
    for seconds, received, how in results:
        assert how == "reset"  # cut, and the client can tell its answer is not whole
        assert received < size
        assert SEND_TIMEOUT - 0.1 <= seconds <= SEND_TIMEOUT + MARGIN
    assert len(light) >= 5
    assert max(light) < LIGHT_SECONDS, light


def test_a_slow_body_gets_408_at_the_deadline(server: LiveServer) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\n"
    )
    body = b"ASK {}".ljust(100)
    results, busy = in_threads(1, lambda: drip(server, head, body, 0.3))
    light = light_queries_while(busy, server)
    [(seconds, answer)] = results
    assert CLIENT_TIMEOUT - 0.1 <= seconds <= CLIENT_TIMEOUT + MARGIN
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["error"]["code"] == "request_timeout"
    assert light and max(light) < LIGHT_SECONDS, light
