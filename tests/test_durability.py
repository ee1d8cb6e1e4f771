"""Nothing lost: acknowledged writes survive SIGKILL, readers see whole writes, workers are current.

Real pre-forked servers (gunicorn, several workers) on loopback, on the sample data. Writers
send batches of :data:`K` triples, each batch marked with a name of its own, through SPARQL
Update (``/update``) and the Graph Store Protocol (``POST /store``), each on a fresh connection
(so on any worker). A batch is acknowledged when its 2xx answer has arrived.

- :func:`test_acknowledged_writes_survive_sigkill`: the whole server (master and workers) is
  killed at a random moment of the stream (seeded: the same moments every run), restarted on the
  same data folder, and checked, several rounds over: every acknowledged batch is there, every
  batch is wholly there or wholly absent, and the change log, the served store and a store
  rebuilt from the data folder agree.
- :func:`test_readers_only_see_whole_batches`: readers counting triples per batch during the
  stream only ever see :data:`K` (a batch that is not there has no row).
- :func:`test_a_write_is_seen_on_the_next_request_by_any_worker`: after each acknowledged write,
  a read on a fresh connection sees it, whichever worker answers.

No timing is asserted: the moments only decide where the kills land.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from scidip_graph.ingest.loading import load_sources
from scidip_graph.settings import Settings
from scidip_graph.store.durable import open_durable
from scidip_graph.store.startup import prepare_store
from tests.conftest import SAMPLE
from tests.live import LiveServer

K = 5
"""Triples per batch."""
TOKEN = "durability-token"
ENV = {"SCIDIP_WRITE_TOKEN": TOKEN}
GRAPH = "https://w3id.org/scidip/graph/durability"
BATCH = "urn:x-durability:batch"
"""The predicate that marks each triple with its batch's name."""
SEED = 20241130
ROUNDS = 3
WRITERS = 4
WORKERS = 3
COUNT_BATCHES = f"SELECT ?m (COUNT(?s) AS ?n) WHERE {{ ?s <{BATCH}> ?m }} GROUP BY ?m"
COUNT_BATCHES_BY_GRAPH = (  # the other path of the store: GRAPH runs on the full store
    f"SELECT ?m (COUNT(?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{BATCH}> ?m }} }} GROUP BY ?m"
)
READS = (COUNT_BATCHES, COUNT_BATCHES_BY_GRAPH)
Failure = (OSError, http.client.HTTPException)
"""What a client sees of a server that died under it (refused, reset, cut short)."""


def batch(marker: str) -> str:
    """The batch's triples, as N-Triples (also Turtle and the body of INSERT DATA)."""
    return "\n".join(f'<urn:x-durability:{marker}/{i}> <{BATCH}> "{marker}" .' for i in range(K))


def write(url: str, marker: str, *, via: str) -> int:
    """Send one batch and wait for its 2xx; the changeset that recorded it.

    Raises:
        urllib.error.HTTPError: the server answered, but not 2xx.
        OSError, http.client.HTTPException: no answer (the server is gone).
    """
    headers = {"Authorization": f"Bearer {TOKEN}", "Connection": "close"}
    if via == "update":
        body = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {batch(marker)} }} }}"
        headers["Content-Type"] = "application/sparql-update"
        target = url + "/update"
    else:
        body = batch(marker)
        headers["Content-Type"] = "text/turtle"
        target = url + "/store?" + urllib.parse.urlencode({"graph": GRAPH})
    request = urllib.request.Request(target, data=body.encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as r:
        answer = json.loads(r.read())
        assert 200 <= r.status < 300 and answer["added"] == K, answer
    return int(answer["changeset"])


def select(url: str, query: str) -> list[dict[str, str]]:
    """A SELECT's rows as {variable: value}, on a fresh connection."""
    params = urllib.parse.urlencode({"query": query, "format": "json"})
    request = urllib.request.Request(f"{url}/sparql?{params}", headers={"Connection": "close"})
    with urllib.request.urlopen(request, timeout=30) as r:
        rows = json.loads(r.read())["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in rows]


def counts(url: str, query: str = COUNT_BATCHES) -> dict[str, int]:
    """Triples per batch, as the server sees them now."""
    return {row["m"]: int(row["n"]) for row in select(url, query)}


class Stream:
    """Writers sending batches until told to stop or the server is gone; readers counting.

    Attributes:
        acked: batches whose 2xx arrived.
        sent: every batch sent (acknowledged or not: its fate is unknown when the server died).
        errors: what went wrong while the server was meant to be up.
        seen: every count per batch a reader saw.
    """

    def __init__(self, url: str, name: str, *, writers: int, readers: int = 0) -> None:
        self.url = url
        self.acked: set[str] = set()
        self.sent: set[str] = set()
        self.errors: list[str] = []
        self.seen: set[int] = set()
        self.reads = 0
        self.stopping = threading.Event()
        self._lock = threading.Condition()
        self._threads = [
            threading.Thread(target=self._write, args=(f"{name}-w{i}",), daemon=True)
            for i in range(writers)
        ] + [
            threading.Thread(target=self._read, args=(READS[i % 2],), daemon=True)
            for i in range(readers)
        ]

    def _write(self, name: str) -> None:
        n = 0
        while not self.stopping.is_set():
            marker = f"{name}-{n}"
            with self._lock:
                self.sent.add(marker)
            try:
                write(self.url, marker, via="store" if n % 3 == 2 else "update")
            except urllib.error.HTTPError as err:
                self._error(f"{marker}: {err.code} {err.read()[:300]!r}")
                return
            except Failure as err:
                if not self.stopping.is_set():
                    self._error(f"{marker}: {err!r}")
                return
            with self._lock:
                self.acked.add(marker)
                self._lock.notify_all()
            n += 1

    def _read(self, query: str) -> None:
        while not self.stopping.is_set():
            try:
                seen = set(counts(self.url, query).values())
            except Failure as err:
                if not self.stopping.is_set():
                    self._error(f"reader: {err!r}")
                return
            with self._lock:
                self.seen |= seen
                self.reads += 1
                self._lock.notify_all()

    def _error(self, message: str) -> None:
        with self._lock:
            self.errors.append(message)
            self._lock.notify_all()

    def wait_for(self, acks: int, *, reads: int = 0) -> None:
        """Wait until ``acks`` batches are acknowledged and ``reads`` counts made (or something
        went wrong)."""

        def done() -> bool:
            return (len(self.acked) >= acks and self.reads >= reads) or bool(self.errors)

        with self._lock:
            self._lock.wait_for(done, 120)
        assert done() and not self.errors, self.errors

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout=60)
            assert not thread.is_alive()


@contextmanager
def server(tmp: Path, *, workers: int = WORKERS) -> Iterator[LiveServer]:
    """A server on ``tmp``'s data folder, in a process group of its own; SIGKILLed at the end
    unless the test killed it already (nothing here needs a graceful stop)."""
    live = LiveServer(tmp, [SAMPLE], workers=workers, env=ENV, session=True)
    try:
        yield live
    finally:
        if live.process.poll() is None:
            live.kill()


def check_data_folder(live: LiveServer, *, acked: set[str], sent: set[str]) -> int:
    """What a restarted server serves, against what the clients were told and the log says.

    Returns:
        How many batches are there.
    """
    served = counts(live.url)
    assert counts(live.url, COUNT_BATCHES_BY_GRAPH) == served
    partial = {marker: n for marker, n in served.items() if n != K}
    assert not partial, f"batches partly there: {partial}"
    lost = acked - served.keys()
    assert not lost, f"acknowledged batches lost: {sorted(lost)}"
    assert served.keys() <= sent, f"batches never sent: {sorted(served.keys() - sent)}"

    # The change log: one changeset per batch there, none for a batch not there; a store
    # rebuilt from the data folder (snapshot and log) holds what the server serves.
    rebuilt = open_durable(live.data_dir)
    try:
        logged: dict[str, int] = {}
        for changeset in rebuilt.changesets():
            markers = [
                q.object.value
                for q in changeset.added
                if q.predicate == ox.NamedNode(BATCH) and isinstance(q.object, ox.Literal)
            ]
            assert len(set(markers)) <= 1, f"changeset {changeset.id} holds {set(markers)}"
            for marker in set(markers):
                assert marker not in logged, f"{marker} logged twice"
                logged[marker] = len(markers)
        assert logged == served
        with urllib.request.urlopen(f"{live.url}/download/scidip-graph.nq", timeout=30) as r:
            dump = set(ox.parse(r.read(), format=ox.RdfFormat.N_QUADS))
        assert dump == set(rebuilt.quads())
        with urllib.request.urlopen(f"{live.url}/-/health", timeout=30) as r:
            assert json.loads(r.read())["store"]["data_version"] == rebuilt.version
    finally:
        rebuilt.close()
    return len(served)


def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    acked: set[str] = set()
    sent: set[str] = set()
    for round_ in range(ROUNDS):
        with server(tmp_path, workers=2) as live:
            check_data_folder(live, acked=acked, sent=sent)
            stream = Stream(live.url, f"r{round_}", writers=WRITERS)
            stream.start()
            # The moment of the crash: a little after the n-th acknowledgement, n random. (Counted
            # in writes, not seconds: a worker's first write also loads the shapes, and a slower
            # machine is slower to start but takes the kill at the same point of the stream.)
            stream.wait_for(rng.randint(1, 20))
            time.sleep(rng.uniform(0.0, 0.05))
            stream.stopping.set()  # what fails from now on fails because of the kill
            live.kill()
            stream.stop()
            assert not stream.errors, stream.errors
            acked |= stream.acked
            sent |= stream.sent
    with server(tmp_path, workers=2) as live:
        there = check_data_folder(live, acked=acked, sent=sent)
        assert there >= len(acked)


def test_readers_only_see_whole_batches(tmp_path: Path) -> None:
    with server(tmp_path) as live:
        stream = Stream(live.url, "whole", writers=WRITERS, readers=2)
        stream.start()
        stream.wait_for(40)  # reading all along
        stream.wait_for(40, reads=stream.reads + 10)  # and some more, after the 40th batch
        stream.stop()
        assert not stream.errors, stream.errors
        assert stream.seen == {K}, f"readers saw counts {sorted(stream.seen)} per batch"
        assert counts(live.url) == {marker: K for marker in stream.sent}


def test_a_write_is_seen_on_the_next_request_by_any_worker(tmp_path: Path) -> None:
    pairs = 15
    problems: list[str] = []
    answered_by: set[int] = set()
    changesets: list[int] = []  # each acknowledged write's
    total = f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s <{BATCH}> ?m }}"

    def health() -> tuple[int, int]:
        """Which worker answered a fresh connection, and the last changeset it has applied."""
        request = urllib.request.Request(live.url + "/-/health", headers={"Connection": "close"})
        with urllib.request.urlopen(request, timeout=30) as r:
            answer = json.loads(r.read())
        answered_by.add(answer["worker"])
        return answer["worker"], int(answer["store"]["data_version"].rsplit("-", 1)[1])

    def pairs_of(name: str) -> None:
        try:
            for n in range(pairs):
                marker = f"{name}-{n}"
                changeset = write(live.url, marker, via="store" if n % 2 else "update")
                changesets.append(changeset)
                seen = counts(live.url, f'{COUNT_BATCHES} HAVING (?m = "{marker}")')
                if seen != {marker: K}:
                    problems.append(f"{marker}: the next read saw {seen}")
                worker, head = health()
                if head < changeset:
                    problems.append(f"{marker}: worker {worker} at {head}, before {changeset}")
        except Exception as err:  # reported below, with the rest
            problems.append(f"{name}: {err!r}")

    with server(tmp_path) as live:
        # One client alone: each read also sees every earlier write.
        for n in range(pairs):
            changeset = write(live.url, f"alone-{n}", via="update" if n % 2 else "store")
            changesets.append(changeset)
            assert select(live.url, total) == [{"n": str(K * (n + 1))}]
            assert health()[1] == changeset
        # Several clients at once: reads land on workers busy with others' writes.
        threads = [threading.Thread(target=pairs_of, args=(f"c{i}",)) for i in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not problems, problems
        assert len(counts(live.url)) == pairs * (WORKERS + 1)
        assert len(answered_by) > 1, "every read went to one worker: the test proved little"

        # A worker forked after the writes (as one replaced after a crash is) is current too.
        last = max(changesets)
        before = set(live.workers())
        os.kill(min(before), signal.SIGKILL)
        for _ in range(600):
            if fresh := set(live.workers()) - before:
                break
            time.sleep(0.05)
        assert fresh, "the master forked no new worker"
        for _ in range(200):  # fresh connections until the new worker answers one
            worker, head = health()
            assert head == last, f"worker {worker} at changeset {head}, not {last}"
            if worker in fresh:
                break
        else:
            pytest.fail("the new worker answered none of 200 connections")


CRASH_AT_RENAME = """
import os, signal, sys
from pathlib import Path
from scidip_graph.settings import Settings
from scidip_graph.store.startup import prepare_store

rename = os.replace
def crash(*args, **kwargs):
    if sys.argv[3] == "after":
        rename(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = crash
prepare_store(Settings(data_dir=Path(sys.argv[1]), source_dir=Path(sys.argv[2]), validate=False))
"""


@pytest.mark.parametrize("moment", ["before", "after"])
@pytest.mark.parametrize("start", ["first", "changed sources"])
def test_a_crash_while_a_data_folder_is_built_leaves_it_to_be_built_again(
    tmp_path: Path, start: str, moment: str
) -> None:
    """SIGKILL just before or just after the new snapshot file takes its name: the next start
    serves the source data whole (a snapshot is recorded only once it is all there)."""
    sources, data_dir = tmp_path / "sources", tmp_path / "var"
    sources.mkdir()
    shutil.copy(SAMPLE, sources)
    if start == "changed sources":
        prepare_store(Settings(data_dir=data_dir, source_dir=sources, validate=False)).close()
        (sources / "more.nq").write_text(f"{batch('more')}\n")
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_AT_RENAME, str(data_dir), str(sources), moment],
        capture_output=True,
        check=False,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()
    store = prepare_store(Settings(data_dir=data_dir, source_dir=sources, validate=False))
    try:
        expected = set(load_sources(sorted(sources.iterdir())).quads)
        assert set(store.quads()) == expected
    finally:
        store.close()
