"""The app on a remote SPARQL store (SCIDIP_STORE=sparql), against real Oxigraph server and
Virtuoso processes on loopback: answers as on the embedded store, writes through the gate as one
compare-and-set update, upstream failures in the one error shape, several app instances."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from scidip_graph.errors import ConflictError, NotConformingError
from scidip_graph.settings import Settings
from scidip_graph.sparql import egress
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.update import apply_update
from scidip_graph.store import serve_store
from scidip_graph.store.client import Endpoints, SparqlClient
from scidip_graph.store.remote import RemoteStore
from scidip_graph.web import create_app
from tests.apps import sample_client
from tests.conftest import SAMPLE
from tests.live import LiveServer, free_port
from tests.remote_stores import StoreServer

G1 = "https://w3id.org/scidip/graph/one"
ADA = "https://w3id.org/scidip/id/person/ada"
TOKEN = "remote-test-token"
ADMIN = Curator("admin", frozenset({"*"}))
PREFIXES = "PREFIX org: <http://www.w3.org/ns/org#> PREFIX time: <http://www.w3.org/2006/time#> "
QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",  # the union: a triple in two graphs once
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?s ?o WHERE { ?s <http://schema.org/name> ?o } ORDER BY ?s ?o",
    f"SELECT (COUNT(*) AS ?n) FROM <{G1}> WHERE {{ ?s ?p ?o }}",
    "SELECT ?t WHERE { ?g <http://purl.org/dc/terms/title> ?t } ORDER BY ?t",
    PREFIXES + "SELECT ?i ?d WHERE { ?m org:memberDuring ?i . "
    "?i time:hasBeginning/time:inXSDDate ?d }",
    "ASK { <https://w3id.org/scidip/id/country/CH> ?p ?o }",
    "ASK { <https://w3id.org/scidip/id/country/XX> ?p ?o }",
    "CONSTRUCT WHERE { <https://w3id.org/scidip/id/organization/cern> ?p ?o }",
]


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Iterator[StoreServer]:
    """A real store, emptied before and after the test."""
    store_server: StoreServer = request.getfixturevalue(f"{request.param}_server")
    store_server.wipe()
    yield store_server
    store_server.wipe()


def remote_settings(server: StoreServer, tmp_path: Path, **more: object) -> Settings:
    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    shutil.copy(SAMPLE, source / SAMPLE.name)
    more.setdefault("validate", False)
    return server.settings(tmp_path, source_dir=source, **more)


def remote_client(server: StoreServer, tmp_path: Path, **more: object) -> FlaskClient:
    return create_app(remote_settings(server, tmp_path, **more)).test_client()


def rows(client: FlaskClient, query: str, **params: str) -> object:
    """What a query answers, in a form that compares across stores (as sets of rows)."""
    if query.startswith("CONSTRUCT"):
        params = {**params, "format": "ntriples"}
    r = client.get("/sparql", query_string={"query": query, **params})
    assert r.status_code == 200, r.text
    if query.startswith("CONSTRUCT"):
        return sorted(str(t) for t in ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES))
    r = client.get(
        "/sparql",
        query_string={"query": query, **params},
        headers={"Accept": "text/tab-separated-values"},
    )
    head, *lines = r.text.splitlines()
    return [head, *sorted(lines)]  # ORDER BY between language tags is the engine's choice


def test_the_app_on_a_remote_store_answers_as_on_the_embedded_one(
    server: StoreServer, tmp_path: Path
) -> None:
    remote, embedded = remote_client(server, tmp_path), sample_client()
    for query in QUERIES:
        assert rows(remote, query) == rows(embedded, query), query
    chosen = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": G1}
    assert rows(remote, **chosen) == rows(embedded, **chosen)
    for path in ("/id/organization/cern.nt", "/download/scidip-graph.nq"):
        answers = []
        for client in (remote, embedded):
            with client.get(path) as answer:  # a streamed file: closed here
                assert answer.status_code == 200, path
                answers.append(sorted(answer.get_data(as_text=True).splitlines()))
        assert answers[0] == answers[1], path


def test_a_store_that_holds_our_data_is_served_as_it_is(
    server: StoreServer, tmp_path: Path
) -> None:
    first = serve_store(remote_settings(server, tmp_path))
    assert isinstance(first, RemoteStore) and len(first) == 22
    (tmp_path / "src" / SAMPLE.name).unlink()  # no sources now: nothing to load from
    again = serve_store(remote_settings(server, tmp_path))
    assert again.version == first.version and len(again) == 22


def test_a_first_load_goes_through_the_gate(server: StoreServer, tmp_path: Path) -> None:
    settings = remote_settings(server, tmp_path, validate=True)
    (settings.source_dir / "ada.trig").write_text(
        f"<https://w3id.org/scidip/graph/ada> {{ <{ADA}> a <http://schema.org/Person> . }}\n"
    )
    with pytest.raises(NotConformingError, match="does not conform"):
        serve_store(settings)
    assert server.ask("SELECT ?v WHERE { GRAPH ?g { ?s <urn:x-scidip:version> ?v } }") == []


def test_writes_are_checked_here_and_sent_as_one_update(
    server: StoreServer, tmp_path: Path
) -> None:
    client = remote_client(server, tmp_path, write_token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    store = client.application.extensions["scidip"]["store"]
    before = (store.version, len(store))
    refused = client.post(
        "/update",
        data={
            "update": f"INSERT DATA {{ GRAPH <{G1}> {{ <{ADA}> a <http://schema.org/Person> }} }}"
        },
        headers=auth,
    )
    assert refused.status_code == 422 and refused.json is not None
    assert refused.json["error"]["detail"]["results"][0]["focus_node"] == ADA
    assert (store.version, len(store)) == before  # nothing reached the store
    assert server.ask(f"SELECT ?o WHERE {{ GRAPH ?g {{ <{ADA}> ?p ?o }} }}") == []
    # The same writes on the embedded store and on the remote one: the same verdicts, the
    # same data after. They follow blank nodes (an address added, then removed; the
    # membership's start date, whose membership the gate then finds without its role).
    settings = client.application.extensions["scidip"]["settings"]
    embedded = create_app(
        settings.with_(store="embedded", data_dir=tmp_path / "embedded")
    ).test_client()
    address = "http://schema.org/address"
    writes = [
        f'INSERT DATA {{ GRAPH <{G1}> {{ <{ADA}> <http://schema.org/name> "Ada"@en ; '
        f'<{address}> [ <http://schema.org/addressLocality> "London"@en ] }} }}',
        f"WITH <{G1}> DELETE {{ ?a ?p ?o }} WHERE {{ <{ADA}> <{address}> ?a . ?a ?p ?o }}",
        PREFIXES + f"WITH <{G1}> DELETE {{ ?i time:inXSDDate ?d }} INSERT {{ ?i time:inXSDDate "
        '"1954-09-30"^^<http://www.w3.org/2001/XMLSchema#date> } WHERE { ?i time:inXSDDate ?d }',
    ]
    statuses = []
    for update in writes:
        answers = [
            c.post("/update", data={"update": update}, headers=auth) for c in (client, embedded)
        ]
        assert answers[0].status_code == answers[1].status_code, answers[0].text
        if answers[0].status_code == 422:
            assert answers[0].json["error"]["detail"] == answers[1].json["error"]["detail"]  # type: ignore[index]
        statuses.append(answers[0].status_code)
    assert statuses == [200, 200, 422]
    probe = f"SELECT ?p ?o WHERE {{ <{ADA}> ?p ?o }}"
    fresh = [re.sub(r"_:\S+", "_:b", str(rows(c, probe))) for c in (client, embedded)]
    assert fresh[0] == fresh[1] and fresh[0].count("_:b") == 1  # the address, now empty
    for query in QUERIES:
        assert rows(client, query) == rows(embedded, query), query
    assert store.version.startswith("2-") and store.last_modified() is not None


def test_a_write_checked_on_a_state_that_is_gone_changes_nothing(
    server: StoreServer, tmp_path: Path
) -> None:
    settings = remote_settings(server, tmp_path)
    first, second = serve_store(settings), RemoteStore.from_settings(settings)
    assert isinstance(first, RemoteStore)
    name = "http://schema.org/name"
    with first.writing():
        first.refresh()
        apply_update(
            second, f'INSERT DATA {{ GRAPH <{G1}> {{ <{ADA}> <{name}> "Ada"@en }} }}', curator=ADMIN
        )
        late = ox.Quad(
            ox.NamedNode(ADA),
            ox.NamedNode(name),
            ox.Literal("Lovelace", language="en"),
            ox.NamedNode(G1),
        )
        with pytest.raises(ConflictError) as caught:
            first.commit(added=[late], author="late")
    assert caught.value.status == 409
    assert server.ask(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ <{ADA}> ?p ?o }} }}") == ["Ada"]
    assert first.version == second.version  # it caught up while it found out


class SilentListener:
    """A TCP port that accepts connections and never answers (a hung store), counting them."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/"
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.accepted.append(self.socket.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self.socket.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.socket.close()
        for connection in self.accepted:
            connection.close()


def test_upstream_failures_are_502_and_504_in_the_one_error_shape(
    oxigraph_server: StoreServer, tmp_path: Path
) -> None:
    oxigraph_server.wipe()
    client = remote_client(oxigraph_server, tmp_path)
    store = client.application.extensions["scidip"]["store"]
    good = store.client
    hung = SilentListener()
    try:
        store.client = SparqlClient(Endpoints(hung.url), timeout=0.5)
        r = client.get("/-/health")
        assert r.status_code == 504 and r.json is not None
        assert r.json["error"]["code"] == "upstream_timeout"
        # The store's own refusal, quoted: its update endpoint takes no queries.
        store.client = SparqlClient(Endpoints(oxigraph_server.update_url), timeout=5)
        r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 502 and r.json is not None
        assert r.json["error"]["message"].startswith("the store answered 4")
        nobody = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
        store.client = SparqlClient(Endpoints(nobody), timeout=0.5)
        r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 502 and r.json is not None
        assert "cannot be reached" in r.json["error"]["message"]
    finally:
        hung.close()
        store.client = good
    oxigraph_server.wipe()


def test_the_store_never_sees_a_query_we_refuse(
    oxigraph_server: StoreServer, tmp_path: Path
) -> None:
    oxigraph_server.wipe()
    client = remote_client(oxigraph_server, tmp_path)
    target = SilentListener()
    try:
        for query in (
            f"SELECT * WHERE {{ SERVICE <{target.url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{target.url}> {{ ?s ?p ?o }} }}",
        ):
            r = client.get("/sparql", query_string={"query": query})
            assert r.status_code == 403 and r.json is not None
        assert target.accepted == []
    finally:
        target.close()
    oxigraph_server.wipe()


def test_health_and_the_service_description_name_the_store_and_its_limits(
    server: StoreServer, tmp_path: Path
) -> None:
    client = remote_client(server, tmp_path)
    store = client.get("/-/health").json["store"]  # type: ignore[index]
    assert store["backend"] == "sparql" and store["quads"] == 22
    assert store["endpoint"] == server.query_url
    assert not server.password or server.password not in json.dumps(store)
    assert "blank nodes" in store["limitations"]
    description = client.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert "blank nodes: the store keeps blank nodes as IRIs" in description


def post(url: str, form: dict[str, str], token: str) -> dict[str, object]:
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data, {"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())  # type: ignore[no-any-return]


def get(url: str, etag: str | None = None) -> tuple[int, str, bytes]:
    headers = {"Accept": "text/csv", **({"If-None-Match": etag} if etag else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, r.headers["ETag"], r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["ETag"], b""


def test_two_app_instances_on_one_store_see_each_others_writes_at_once(
    oxigraph_server: StoreServer, tmp_path: Path
) -> None:
    oxigraph_server.wipe()
    env = {**oxigraph_server.environment(), "SCIDIP_WRITE_TOKEN": TOKEN}
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
    first = LiveServer(tmp_path / "one", [SAMPLE], workers=2, env=env)
    try:
        second = LiveServer(
            tmp_path / "two", [], workers=2, env=env
        )  # no sources: serves the store
        try:
            query = "/sparql?" + urllib.parse.urlencode(
                {"query": f"SELECT ?o WHERE {{ <{ADA}> ?p ?o }}"}
            )
            for app in (first, second):
                assert get(app.url + query)[2].splitlines() == [b"o"]
            status, etag, _ = get(second.url + query)
            assert get(second.url + query, etag)[0] == 304
            update = (
                f'INSERT DATA {{ GRAPH <{G1}> {{ <{ADA}> <http://schema.org/name> "Ada"@en }} }}'
            )
            assert post(first.url + "/update", {"update": update}, TOKEN)["changeset"] == 1
            for app in (second, first):  # at once, on every worker of both
                for _ in range(4):
                    status, new_etag, body = get(app.url + query, etag)
                    assert status == 200 and new_etag != etag and body.splitlines()[1] == b"Ada"
            health = [
                json.loads(urllib.request.urlopen(a.url + "/-/health").read())
                for a in (first, second)
            ]
            assert health[0]["store"]["data_version"] == health[1]["store"]["data_version"]
            # The workers reach the store through their egress barrier: its port is left open.
            assert health[0]["egress_barrier"]["active"] == (egress.landlock_abi() >= 4)
        finally:
            second.stop()
    finally:
        first.stop()
    oxigraph_server.wipe()


class VersionReads:
    """Counts the data-version reads an app's store makes."""

    def __init__(self, client: FlaskClient) -> None:
        self.store = client.application.extensions["scidip"]["store"]
        self.count = 0
        read = self.store.read_version

        def counted() -> str | None:
            self.count += 1
            return read()

        self.store.read_version = counted


def csv(client: FlaskClient, query: str, etag: str | None = None) -> tuple[int, str, list[str]]:
    headers = {"Accept": "text/csv", **({"If-None-Match": etag} if etag else {})}
    answer = client.get("/sparql", query_string={"query": query}, headers=headers)
    return answer.status_code, answer.headers["ETag"], sorted(answer.text.splitlines())


def write_elsewhere(server: StoreServer, tmp_path: Path, update: str) -> None:
    """An update through another app instance's store (its own connections, its own version)."""
    (tmp_path / "elsewhere").mkdir(exist_ok=True)
    other = RemoteStore.from_settings(remote_settings(server, tmp_path / "elsewhere"))
    try:
        apply_update(other, update, curator=ADMIN)
    finally:
        other.close()


def test_a_query_does_not_wait_for_the_data_version_and_its_etag_says_so(
    oxigraph_server: StoreServer, tmp_path: Path
) -> None:
    """The version costs the store a query: a plain query's answer, read from the store, does
    not wait for it, and the version this worker last read labels it as a weak ETag (it may be
    older than the answer, never newer); a conditional request reads it first."""
    oxigraph_server.wipe()
    client = remote_client(oxigraph_server, tmp_path, cache_bytes=0)
    reads = VersionReads(client)
    query = f"SELECT ?o WHERE {{ <{ADA}> ?p ?o }}"
    status, etag, body = csv(client, query)
    assert (status, body, reads.count) == (200, ["o"], 0)
    assert etag.startswith('W/"')
    status, _, _ = csv(client, query, etag)
    assert (status, reads.count) == (304, 1)  # read, and still the same
    write_elsewhere(
        oxigraph_server,
        tmp_path,
        f'INSERT DATA {{ GRAPH <{G1}> {{ <{ADA}> <http://schema.org/name> "Ada"@en }} }}',
    )
    status, late_etag, body = csv(client, query)  # no read: the answer is current, the tag old
    assert (status, body, reads.count) == (200, ["Ada", "o"], 1)
    assert late_etag == etag
    status, new_etag, body = csv(client, query, late_etag)  # the old tag: no 304
    assert (status, body, reads.count) == (200, ["Ada", "o"], 2)
    assert new_etag != etag and not new_etag.startswith("W/")  # read first: a strong tag
    assert csv(client, query, new_etag)[0] == 304
    oxigraph_server.wipe()


def test_a_cached_answer_is_served_only_while_the_store_holds_its_version(
    oxigraph_server: StoreServer, tmp_path: Path
) -> None:
    oxigraph_server.wipe()
    client = remote_client(oxigraph_server, tmp_path, cache_min_seconds=0.0)
    reads = VersionReads(client)
    events: list[str] = []
    client.application.extensions["scidip"]["service"].on_event = events.append
    query = f"SELECT ?o WHERE {{ <{ADA}> ?p ?o }}"
    assert csv(client, query)[2] == ["o"] and (reads.count, events) == (0, [])  # kept
    assert csv(client, query)[2] == ["o"] and (reads.count, events) == (1, ["cache_hit"])
    write_elsewhere(
        oxigraph_server,
        tmp_path,
        f'INSERT DATA {{ GRAPH <{G1}> {{ <{ADA}> <http://schema.org/name> "Ada"@en }} }}',
    )
    # The kept answer's version is gone: read again, and kept at the new version.
    assert csv(client, query)[2] == ["Ada", "o"] and (reads.count, events) == (2, ["cache_hit"])
    assert csv(client, query)[2] == ["Ada", "o"] and events == ["cache_hit", "cache_hit"]
    oxigraph_server.wipe()


def test_what_is_derived_once_per_version_follows_another_instances_write(
    oxigraph_server: StoreServer, tmp_path: Path
) -> None:
    """The graph list (which a query with GRAPH is given), the service description: read
    once per version, and the version read first, whoever wrote."""
    oxigraph_server.wipe()
    client = remote_client(oxigraph_server, tmp_path, cache_bytes=0)
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    graphs = csv(client, query)[2]
    described = client.get("/sparql", headers={"Accept": "text/turtle"}).text
    new = "https://w3id.org/scidip/graph/new"
    assert new not in graphs and new not in described
    write_elsewhere(
        oxigraph_server,
        tmp_path,
        f'INSERT DATA {{ GRAPH <{new}> {{ <{ADA}> <http://schema.org/name> "Ada"@en }} }}',
    )
    assert csv(client, query)[2] == sorted([*graphs, new])
    assert new in client.get("/sparql", headers={"Accept": "text/turtle"}).text
    oxigraph_server.wipe()


def test_a_large_graph_reaches_the_store_in_updates_it_can_compile(
    server: StoreServer, tmp_path: Path
) -> None:
    """Virtuoso's SPARQL compiler runs out of parser stack past a few thousand triples in one
    GRAPH block: an update splits a graph's triples into several blocks."""
    store = serve_store(remote_settings(server, tmp_path))
    many = [
        ox.Quad(
            ox.NamedNode(f"{ADA}-{i}"),
            ox.NamedNode("http://schema.org/name"),
            ox.Literal(f"n{i}"),
            ox.NamedNode(G1),
        )
        for i in range(6000)
    ]
    store.add(many)
    count = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} "
        f'FILTER(STRSTARTS(STR(?s), "{ADA}-")) }}'
    )
    assert int(next(iter(store.select(count)))["n"].value) == 6000


def test_a_remote_store_gets_more_workers_than_cores_unless_told(tmp_path: Path) -> None:
    """A worker on a remote store waits for the store: the default gives four per core (at
    least 8), where the embedded store, which evaluates in the workers, gets one per core."""
    cores = os.cpu_count() or 1
    remote = Settings.from_env({"SCIDIP_STORE": "sparql"}, data_dir=tmp_path)
    embedded = Settings.from_env({}, data_dir=tmp_path)
    assert remote.workers == max(8, 4 * cores)
    assert embedded.workers == max(2, cores)
    assert Settings.from_env({"SCIDIP_STORE": "sparql", "SCIDIP_WORKERS": "3"}).workers == 3
    assert Settings.from_env({}, workers=5).workers == 5
