"""A floor for timeout=: an overrun costs the pre-fork server a worker, so a client may not ask
for a limit it is sure to overrun (SCIDIP_MIN_TIMEOUT)."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Namespace

from scidip_graph.settings import Settings
from tests.apps import sample_client
from tests.conftest import SAMPLE
from tests.live import LiveServer

ASK = "ASK { ?s ?p ?o }"
SD = Namespace("https://w3id.org/scidip/ontology#")


@pytest.fixture
def client() -> FlaskClient:
    return sample_client()


def by_get(client: FlaskClient, timeout: str):  # type: ignore[no-untyped-def]
    return client.get("/sparql", query_string={"query": ASK, "timeout": timeout})


def by_form(client: FlaskClient, timeout: str):  # type: ignore[no-untyped-def]
    return client.post("/sparql", data={"query": ASK, "timeout": timeout})


def by_direct_post(client: FlaskClient, timeout: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/sparql?timeout={timeout}", data=ASK, content_type="application/sparql-query"
    )


WAYS = [by_get, by_form, by_direct_post]


@pytest.mark.parametrize("send", WAYS)
@pytest.mark.parametrize("timeout", ["0.000001", "0.1", "0.4999"])
def test_a_timeout_below_the_floor_is_a_400(client: FlaskClient, send, timeout: str) -> None:  # type: ignore[no-untyped-def]
    r = send(client, timeout)
    assert r.status_code == 400 and r.content_type == "application/json"
    error = r.json["error"]
    assert set(error) == {"status", "code", "message", "hint", "detail"}
    assert (error["status"], error["code"]) == (400, "usage")
    assert "0.5 seconds" in error["message"] and "SCIDIP_MIN_TIMEOUT" in error["message"]
    assert error["detail"] == {"timeout": float(timeout), "min_timeout": 0.5}


@pytest.mark.parametrize("send", WAYS)
@pytest.mark.parametrize("timeout", ["0.5", "2", "1e9"])
def test_a_timeout_at_or_above_the_floor_is_answered(
    client: FlaskClient,
    send,  # type: ignore[no-untyped-def]
    timeout: str,
) -> None:
    r = send(client, timeout)
    assert r.status_code == 200, r.data
    assert r.json["boolean"] is True


def test_an_update_below_the_floor_is_refused_before_its_token_is_read() -> None:
    r = sample_client().post("/sparql", data={"update": "CLEAR ALL", "timeout": "0.01"})
    assert r.status_code == 400 and "SCIDIP_MIN_TIMEOUT" in r.json["error"]["message"]


def test_the_floor_is_a_setting() -> None:
    assert Settings.from_env({"SCIDIP_MIN_TIMEOUT": "2"}).min_timeout == 2.0
    client = sample_client(min_timeout=2.0)
    assert by_get(client, "1.5").status_code == 400
    assert by_get(client, "2").status_code == 200
    assert by_get(sample_client(min_timeout=0.0), "0.000001").status_code != 400


def test_the_service_description_reports_the_floor_next_to_the_limit() -> None:
    r = sample_client(min_timeout=0.75).get("/sparql", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.data, format="turtle", publicID="http://localhost/sparql")
    assert [float(o) for o in g.objects(None, SD.minQueryTimeLimit)] == [0.75]  # type: ignore[arg-type]
    assert [float(o) for o in g.objects(None, SD.queryTimeLimit)] == [30]  # type: ignore[arg-type]


# -- the real server ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("live-floor"), [SAMPLE], workers=2)
    yield live
    live.stop()


def test_a_tiny_timeout_does_not_replace_a_worker(server: LiveServer) -> None:
    before = sorted(server.all_workers(2))
    assert len(before) == 2
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for _ in range(6):
        url = (
            server.url
            + "/sparql?"
            + urllib.parse.urlencode({"query": query, "timeout": "0.000001"})
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=30)
        assert refused.value.code == 400
        refused.value.close()
    time.sleep(1.0)  # a worker stopped after its answer would be gone (and replaced) by now
    assert sorted(server.workers()) == before
    with urllib.request.urlopen(server.url + "/sparql?query=ASK%7B%7D&timeout=0.5") as r:
        assert r.status == 200
    assert sorted(server.workers()) == before
