"""A query's time limit reaches the remote store: a query we stop is stopped there too.

Virtuoso takes a limit per query (its ``timeout`` parameter, in milliseconds); the app is
configured with a long one (``timeout=60000``, as ``docs/deployment.md`` advises) and sends each
query's own, shorter limit instead. Oxigraph server has none per query: there the client's read
timeout alone ends the request (and ``oxigraph serve --timeout-s`` the query).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from scidip_graph.errors import UpstreamError
from scidip_graph.store.client import Endpoints, SparqlClient
from scidip_graph.web import create_app
from tests.conftest import SAMPLE
from tests.live import cpu_seconds
from tests.remote_stores import StoreServer

# Every triple with every triple, seven times over: billions of rows even on the small sample
# data, and a FILTER on all of them, so no engine can answer it from its statistics.
CARTESIAN = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . "
    "?q ?r ?t . ?u ?v ?w FILTER(STR(?c) != STR(?w)) }"
)
QUIET_CPU = 0.2
"""CPU seconds in one second, at most, of a store that no longer evaluates anything."""


def busy(pid: int) -> bool:
    """Whether the process used more than :data:`QUIET_CPU` of CPU over the next second."""
    before = cpu_seconds(pid)
    time.sleep(1.0)
    return cpu_seconds(pid) - before > QUIET_CPU


def test_a_query_stopped_at_our_limit_is_stopped_in_virtuoso_too(
    virtuoso_server: StoreServer, tmp_path: Path
) -> None:
    virtuoso_server.wipe()
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(SAMPLE, source / SAMPLE.name)
    assert "timeout=60000" in virtuoso_server.query_parameters  # its own limit is long
    settings = virtuoso_server.settings(tmp_path, source_dir=source, validate=False)
    client = create_app(settings).test_client()
    r = client.get("/sparql", query_string={"query": CARTESIAN, "timeout": "1"})
    assert r.status_code in (503, 504), r.text
    assert r.json is not None and r.json["error"]["code"] in ("timeout", "upstream_timeout")
    # Virtuoso stops at the query's limit, not at its own minute: within a few seconds of the
    # answer its CPU is quiet (the minute would keep it busy for the whole loop).
    pid = virtuoso_server.process.pid
    checks = [busy(pid) for _ in range(15)]
    assert False in checks, "Virtuoso went on evaluating the query the app had given up"
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    virtuoso_server.wipe()


def test_the_limit_sent_to_the_store_is_the_query_s_never_above_the_store_s(
    virtuoso_server: StoreServer,
) -> None:
    """The client alone: a query's limit becomes Virtuoso's ``timeout`` (in ms), so the store
    stops the query and says so, long before the client's own read timeout would."""
    endpoints = Endpoints(virtuoso_server.query_url, query_parameters="timeout=60000")
    client = SparqlClient(endpoints, timeout=120)
    accept = "application/sparql-results+json"
    assert client.query("ASK { }", accept=accept, limit=600).media_type == accept  # capped
    with pytest.raises(UpstreamError) as stopped:
        client.query(CARTESIAN, accept=accept, limit=0.5)
    # The store's own answer (its limit hit), not the client giving up on waiting.
    assert "did not answer within" not in stopped.value.message
