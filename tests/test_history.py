"""History: /changes (HTML, JSON, Atom), one change's diff, the resource page's last change,
and the revert of one change through the gate (``scidip-graph revert``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from scidip_graph.cli import main
from scidip_graph.curation.history import ConflictError, revert
from scidip_graph.errors import NotFoundError
from scidip_graph.settings import Settings
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.tokens_file import EVERY_GRAPH
from scidip_graph.store.durable import DurableStore, open_durable
from scidip_graph.store.startup import prepare_store
from scidip_graph.web import create_app

ADMIN = "admin-history-token"
EDITORIAL = "https://w3id.org/scidip/graph/editorial"
CERN = "https://w3id.org/scidip/id/organization/cern"
ALT = "http://schema.org/alternateName"
ATOM = "{http://www.w3.org/2005/Atom}"
NICKNAME = f'INSERT DATA {{ GRAPH <{EDITORIAL}> {{ <{CERN}> <{ALT}> "The Lab"@en }} }}'
UNNAME = f'DELETE DATA {{ GRAPH <{EDITORIAL}> {{ <{CERN}> <{ALT}> "The Lab"@en }} }}'
CURATOR = Curator("ada", frozenset({EVERY_GRAPH}))


@pytest.fixture
def store(tmp_path: Path, core_sources: Path) -> DurableStore:
    settings = Settings(data_dir=tmp_path / "var", source_dir=core_sources, validate=False)
    return prepare_store(settings)


@pytest.fixture
def client(tmp_path: Path, store: DurableStore) -> FlaskClient:
    settings = Settings(data_dir=tmp_path / "var", write_token=ADMIN)
    return create_app(settings, store=store).test_client()


def update(client: FlaskClient, text: str) -> int:
    r = client.post(
        "/update",
        data=text,
        content_type="application/sparql-update",
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 200, r.json
    return int(r.json["changeset"])


def dump(client: FlaskClient) -> bytes:
    with client.get("/download/scidip-graph.nq") as r:
        assert r.status_code == 200
        return r.get_data()


def test_a_write_is_listed_with_who_when_where_and_its_diff(client: FlaskClient) -> None:
    assert client.get("/changes.json").json["changes"] == []
    change = update(client, NICKNAME)
    listed = client.get("/changes", headers={"Accept": "application/json"}).json["changes"]
    assert [c["id"] for c in listed] == [change]
    entry = listed[0]
    assert entry["author"] == "admin" and entry["message"] == NICKNAME
    graphs = {g["graph"]: (g["added"], g["removed"]) for g in entry["graphs"]}
    assert graphs == {EDITORIAL: (1, 0), "": (1, 0)}  # the triple, and the graph's dct:modified
    assert (entry["added"], entry["removed"]) == (2, 0)
    diff = client.get(f"/changes/{change}.json").json["diff"]
    editorial = next(g for g in diff if g["graph"] == EDITORIAL)
    assert editorial["added"] == [f'<{CERN}> <{ALT}> "The Lab"@en .']
    assert editorial["removed"] == []
    html = client.get(f"/changes/{change}").get_data(as_text=True)
    assert "&lt;https://w3id.org/scidip/id/organization/cern&gt;" in html and "The Lab" in html
    listing = client.get("/changes", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'<a href="/changes/{change}">{change}</a>' in listing and "graph:editorial" in listing
    assert client.get("/changes/999").status_code == 404
    assert client.get("/changes/999.json").json["error"]["code"] == "not_found"


def test_the_atom_feed_parses_and_names_each_change(client: FlaskClient) -> None:
    first, second = update(client, NICKNAME), update(client, UNNAME)
    r = client.get("/changes", headers={"Accept": "application/atom+xml"})
    assert r.content_type == "application/atom+xml; charset=utf-8"
    assert client.get("/changes.atom").get_data() == r.get_data()
    feed = ET.fromstring(r.get_data())
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://127.0.0.1:8000/changes.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"http://127.0.0.1:8000/changes/{n}" for n in (second, first)
    ]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "admin"
    assert entries[0].findtext(f"{ATOM}summary") == UNNAME
    # the triple removed, and the graph's dct:modified stamp replaced
    assert entries[0].findtext(f"{ATOM}title") == (
        f"Change {second} by admin: 1 added, 2 removed (default graph, graph:editorial)"
    )
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")


def test_pages_of_changes_and_a_resource_s_history(client: FlaskClient) -> None:
    ids = [update(client, NICKNAME), update(client, UNNAME), update(client, NICKNAME)]
    page = client.get("/changes.json?limit=2").json
    assert [c["id"] for c in page["changes"]] == ids[:0:-1]
    older = client.get(page["older"], headers={"Accept": "application/json"}).json
    assert [c["id"] for c in older["changes"]] == ids[:1] and older["older"] is None
    about = client.get("/changes.json", query_string={"about": CERN}).json["changes"]
    assert [c["id"] for c in about] == ids[::-1]
    other = "https://w3id.org/scidip/id/country/CH"
    assert client.get("/changes.json", query_string={"about": other}).json["changes"] == []
    html = client.get("/id/organization/cern", headers={"Accept": "text/html"}).get_data(
        as_text=True
    )
    assert f'(<a href="/changes/{ids[-1]}">change {ids[-1]}</a>)' in html
    assert "/changes?about=https%3A%2F%2Fw3id.org%2Fscidip%2Fid%2Forganization%2Fcern" in html
    assert client.get("/changes.json?before=x").status_code == 400
    assert client.get("/changes.xml").status_code == 404


def test_a_revert_restores_the_dump_exactly_and_is_a_change(
    client: FlaskClient, store: DurableStore
) -> None:
    before = dump(client)
    change = update(client, NICKNAME)
    assert dump(client) != before
    result = revert(store, change, curator=CURATOR)
    assert (result.added, result.removed, result.graphs) == (0, 1, [EDITORIAL])
    assert dump(client) == before
    latest = client.get("/changes.json").json["changes"][0]
    assert latest["id"] == result.changeset and latest["author"] == "ada"
    assert latest["message"] == f"revert of change {change}"
    with pytest.raises(ConflictError) as refused:  # the revert itself touched those triples
        revert(store, change, curator=CURATOR)
    assert refused.value.status == 409 and refused.value.detail["later"] == result.changeset
    with pytest.raises(NotFoundError):
        revert(store, 999, curator=CURATOR)


def test_a_revert_refuses_when_a_later_change_touched_the_same_triples(
    client: FlaskClient, store: DurableStore
) -> None:
    first = update(client, NICKNAME)
    later = update(client, UNNAME)
    state = dump(client)
    with pytest.raises(ConflictError, match=f"change {later} changed 1 of the triples"):
        revert(store, first, curator=CURATOR)
    assert dump(client) == state
    # the later change alone can be undone (the triple is back); the first stays refused, since
    # that revert touched its triple too
    revert(store, later, curator=CURATOR)
    assert b"The Lab" in dump(client)
    with pytest.raises(ConflictError, match="cannot be undone alone"):
        revert(store, first, curator=CURATOR)


def test_scidip_graph_revert(
    client: FlaskClient, store: DurableStore, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(client)
    change = update(client, NICKNAME)
    data_dir = store.data_dir
    store.close()
    assert main(["revert", str(change), "--data-dir", str(data_dir), "--curator", "bo"]) == 0
    assert f"reverted change {change}" in capsys.readouterr().out
    again = main(["revert", str(change), "--data-dir", str(data_dir)])
    assert again == 2 and "cannot be undone alone" in capsys.readouterr().err
    reopened = open_durable(data_dir)
    try:
        assert reopened.changes(limit=1)[0].author == "bo"
    finally:
        reopened.close()
    store.refresh()
    assert dump(client) == before


def test_a_log_written_before_the_history_index_is_indexed_on_first_read(
    client: FlaskClient, store: DurableStore
) -> None:
    change = update(client, NICKNAME)
    data_dir = store.data_dir
    store.conn.execute("DELETE FROM change_graphs")
    store.conn.execute("DELETE FROM change_resources")
    store.close()
    older = open_durable(data_dir)
    try:
        (listed,) = older.changes(about=CERN)
        assert listed.id == change and listed.graphs == {EDITORIAL: (1, 0), "": (1, 0)}
    finally:
        older.close()
