"""SPARQL Update that writes: whole or nothing, through the tokens and the SHACL gate, logged."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from scidip_graph.settings import Settings
from scidip_graph.sparql.tokens_file import add_token
from scidip_graph.store.durable import DurableStore
from scidip_graph.store.startup import prepare_store
from scidip_graph.web import create_app
from tests.apps import sample_client
from tests.conftest import SAMPLE
from tests.live import LiveServer

ADMIN = "admin-update-token"
EDITORIAL = "https://w3id.org/scidip/graph/editorial"
MEMBERS = "https://w3id.org/scidip/graph/cern-member-states"
ADA = "https://w3id.org/scidip/id/person/ada"
NAME = "http://schema.org/name"
ADA_NAMED = f'INSERT DATA {{ GRAPH <{EDITORIAL}> {{ <{ADA}> <{NAME}> "Ada"@en }} }}'
NAMELESS_PERSON = (
    f"INSERT DATA {{ GRAPH <{EDITORIAL}> {{ <{ADA}> a <http://schema.org/Person> }} }}"
)
ORG = "https://w3id.org/scidip/id/organization/new-academy"


@pytest.fixture
def store(tmp_path: Path, core_sources: Path) -> DurableStore:
    settings = Settings(data_dir=tmp_path / "var", source_dir=core_sources, validate=False)
    return prepare_store(settings)


@pytest.fixture
def alice(tmp_path: Path) -> str:
    return add_token(tmp_path / "tokens.toml", "alice", ["graph:editorial"])


@pytest.fixture
def client(tmp_path: Path, store: DurableStore, alice: str) -> FlaskClient:
    settings = Settings(
        data_dir=tmp_path / "var",
        write_token=ADMIN,
        tokens_file=str(tmp_path / "tokens.toml"),
    )
    return create_app(settings, store=store).test_client()


def update(client: FlaskClient, text: str, *, token: str | None = ADMIN, **params: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        "/update",
        data=text,
        content_type="application/sparql-update",
        query_string=params,
        headers=headers,
    )


def ask(client: FlaskClient, query: str) -> bool:
    r = client.get("/sparql", query_string={"query": query, "format": "json"})
    assert r.status_code == 200 and r.json is not None, r.json
    return bool(r.json["boolean"])


def dump(client: FlaskClient) -> bytes:
    with client.get("/download/scidip-graph.nq") as r:
        assert r.status_code == 200
        return r.get_data()


def test_insert_data_is_written_logged_and_seen_everywhere(
    client: FlaskClient, store: DurableStore
) -> None:
    before = dump(client)
    version = store.version
    r = update(client, ADA_NAMED)
    assert r.status_code == 200, r.json
    assert r.json["added"] == 1 and r.json["removed"] == 0
    assert r.json["graphs"] == [EDITORIAL] and r.json["warnings"] == []
    assert r.json["version"] == store.version != version
    assert ask(client, f'ASK {{ <{ADA}> <{NAME}> "Ada"@en }}')
    page = client.get("/id/person/ada", headers={"Accept": "text/turtle"})
    assert page.status_code == 200 and b'"Ada"@en' in page.get_data()
    after = dump(client)
    assert after != before and b'"Ada"@en' in after
    # the change log: who, what, how much; the graph's dct:modified moved with it
    logged = store.changesets()[-1]
    assert logged.author == "admin" and logged.message == ADA_NAMED
    assert [str(q.graph_name) for q in logged.added if q.predicate.value == NAME] == [
        f"<{EDITORIAL}>"
    ]
    assert ask(client, f"ASK {{ <{EDITORIAL}> <http://purl.org/dc/terms/modified> ?t }}")


def test_delete_data_and_delete_insert_where(client: FlaskClient, store: DurableStore) -> None:
    assert update(client, ADA_NAMED).status_code == 200
    r = update(
        client,
        f"DELETE {{ GRAPH <{EDITORIAL}> {{ ?s <{NAME}> ?n }} }} "
        f'INSERT {{ GRAPH <{EDITORIAL}> {{ ?s <{NAME}> "Ada Lovelace"@en }} }} '
        f"WHERE {{ GRAPH <{EDITORIAL}> {{ ?s <{NAME}> ?n FILTER(?s = <{ADA}>) }} }}",
    )
    assert r.status_code == 200, r.json
    assert (r.json["added"], r.json["removed"]) == (1, 1)
    assert ask(client, f'ASK {{ <{ADA}> <{NAME}> "Ada Lovelace"@en }}')
    r = update(
        client, f'DELETE DATA {{ GRAPH <{EDITORIAL}> {{ <{ADA}> <{NAME}> "Ada Lovelace"@en }} }}'
    )
    assert (r.status_code, r.json["removed"]) == (200, 1)
    assert not ask(client, f"ASK {{ <{ADA}> ?p ?o }}")
    assert [c.author for c in store.changesets()] == ["admin"] * 3


def test_the_form_and_sparql_routes_take_updates_with_using(client: FlaskClient) -> None:
    assert update(client, ADA_NAMED).status_code == 200
    r = client.post(
        "/sparql",
        data={
            "update": f'INSERT {{ GRAPH <{EDITORIAL}> {{ ?s <{NAME}> "Ada"@fr }} }} '
            f'WHERE {{ ?s <{NAME}> "Ada"@en }}',
            "using-graph-uri": EDITORIAL,
        },
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 200 and r.json is not None, r.json
    assert r.json["added"] == 1
    # with USING of another graph, the WHERE finds nothing: nothing changes
    r = update(
        client,
        f'INSERT {{ GRAPH <{EDITORIAL}> {{ ?s <{NAME}> "Ada"@de }} }} '
        f'WHERE {{ ?s <{NAME}> "Ada"@en }}',
        **{"using-graph-uri": MEMBERS},
    )
    assert (r.status_code, r.json["added"]) == (200, 0), r.json
    assert client.get("/update", query_string={"update": ADA_NAMED}).status_code == 405
    assert client.get("/update", query_string={"query": "ASK {}"}).status_code == 400


def test_no_token_a_wrong_token_and_a_graph_outside_the_token(
    client: FlaskClient, alice: str
) -> None:
    before = dump(client)
    assert update(client, ADA_NAMED, token=None).status_code == 401
    assert update(client, ADA_NAMED, token="wrong").status_code == 403
    outside = f'INSERT DATA {{ GRAPH <{MEMBERS}> {{ <{ADA}> <{NAME}> "Ada"@en }} }}'
    r = update(client, ADA_NAMED + " ; " + outside, token=alice)
    assert r.status_code == 403 and r.json["error"]["detail"]["graph"] == MEMBERS
    # the graph is the one the change touched, found by running it: a WHERE hides nothing
    r = update(
        client,
        f"INSERT {{ GRAPH ?g {{ <{ADA}> <{NAME}> 'Ada'@en }} }} "
        f"WHERE {{ BIND(<{MEMBERS}> AS ?g) }}",
        token=alice,
    )
    assert r.status_code == 403 and "cern-member-states" in r.json["error"]["message"]
    assert dump(client) == before
    r = update(client, ADA_NAMED, token=alice)
    assert r.status_code == 200 and r.json["graphs"] == [EDITORIAL]


def test_a_shape_violation_is_422_with_the_report_and_writes_nothing(
    client: FlaskClient, store: DurableStore
) -> None:
    before, head = dump(client), store.head
    r = update(client, NAMELESS_PERSON)
    assert r.status_code == 422
    error = r.json["error"]
    assert error["code"] == "not_conforming"
    (result,) = error["detail"]["results"]
    assert result == {
        "focus_node": ADA,
        "path": "schema:name",
        "value": None,
        "message": result["message"],
        "severity": "Violation",
        "shape": "shape:EnglishName",
    }
    assert "English" in result["message"]
    assert dump(client) == before and store.head == head


def test_a_failing_operation_anywhere_changes_nothing(
    client: FlaskClient, store: DurableStore
) -> None:
    before, head = dump(client), store.head
    for failing in (f"CREATE GRAPH <{EDITORIAL}>", "DROP GRAPH <urn:x-nothing>", "INSERT DATA {"):
        r = update(client, f"{ADA_NAMED} ; {failing}")
        assert r.status_code == 400, (failing, r.json)
        assert "nothing was written" in r.json["error"]["message"] or failing.endswith("{")
    r = update(client, f"{ADA_NAMED} ; {NAMELESS_PERSON.replace(ADA, ADA + '-2')}")
    assert r.status_code == 422
    assert dump(client) == before and store.head == head
    assert not ask(client, f"ASK {{ <{ADA}> ?p ?o }}")


def test_warnings_come_back_with_the_success(client: FlaskClient) -> None:
    r = update(
        client,
        f"INSERT DATA {{ GRAPH <{EDITORIAL}> {{ <{ORG}> a <http://schema.org/Organization> ; "
        f'<{NAME}> "New Academy"@en }} }}',
    )
    assert r.status_code == 200, r.json
    assert [(w["severity"], w["shape"]) for w in r.json["warnings"]] == [
        ("Warning", "shape:Organization-wikidata")
    ]
    assert r.json["warnings"][0]["focus_node"] == ORG


def test_the_service_description_lists_updates_where_they_work(client: FlaskClient) -> None:
    described = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "SPARQL11Update" in described and "</update>" in described
    read_only = sample_client().get("/sparql", headers={"Accept": "text/turtle"})
    assert "SPARQL11Update" not in read_only.get_data(as_text=True)


def test_a_write_is_seen_by_every_worker_on_the_next_request(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    live = LiveServer(
        tmp_path_factory.mktemp("live-update"),
        [SAMPLE],
        workers=3,
        env={"SCIDIP_WRITE_TOKEN": ADMIN},
    )
    try:
        request = urllib.request.Request(
            live.url + "/update",
            data=ADA_NAMED.encode(),
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {ADMIN}",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as r:
            assert json.loads(r.read())["added"] == 1
        query = urllib.parse.urlencode({"query": f"ASK {{ <{ADA}> ?p ?o }}", "format": "json"})
        for _ in range(12):  # fresh connections: they land on every worker
            with urllib.request.urlopen(f"{live.url}/sparql?{query}", timeout=30) as r:
                assert json.loads(r.read())["boolean"] is True
    finally:
        live.stop()


def test_data_updates_take_no_copy_of_the_dataset(
    client: FlaskClient, store: DurableStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scidip_graph.sparql.update as update_module

    def no_copy(*args: object, **kwargs: object) -> None:
        raise AssertionError("INSERT DATA / DELETE DATA ran on a copy of the dataset")

    monkeypatch.setattr(update_module, "copy_dataset", no_copy)
    r = update(client, ADA_NAMED)
    assert (r.status_code, r.json["added"]) == (200, 1), r.json
    again = update(client, f"{ADA_NAMED} ; {ADA_NAMED.replace('INSERT', 'DELETE')}")
    assert (again.status_code, again.json["added"], again.json["removed"]) == (200, 0, 1)
    assert update(client, NAMELESS_PERSON).status_code == 422  # the gate reads the live store
    assert not ask(client, f"ASK {{ <{ADA}> ?p ?o }}")
    assert store.changesets()[-1].message.startswith(ADA_NAMED)


def test_the_token_of_an_update_is_authenticated_once(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scidip_graph.sparql.tokens import Tokens

    calls = []
    authenticate = Tokens.authenticate

    def counted(self: Tokens, authorization: str | None) -> object:
        calls.append(authorization)
        return authenticate(self, authorization)

    monkeypatch.setattr(Tokens, "authenticate", counted)
    assert update(client, ADA_NAMED).status_code == 200
    assert len(calls) == 1
    calls.clear()
    assert update(client, ADA_NAMED, token="wrong").status_code == 403
    assert len(calls) == 1


def test_clearing_a_graph_without_triples_changes_nothing(client: FlaskClient) -> None:
    # The store keeps no empty graphs: a graph without triples is an empty graph.
    nothing = "https://w3id.org/scidip/graph/nothing-here"
    r = update(client, f"CLEAR GRAPH <{nothing}>")
    assert (r.status_code, r.json["added"], r.json["removed"]) == (200, 0, 0), r.json
    assert update(client, f"DROP GRAPH <{nothing}>").status_code == 400


def test_the_service_description_lists_the_graph_store(client: FlaskClient) -> None:
    described = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "</store>" in described and "sparql11-http-rdf-update" in described
    read_only = sample_client().get("/sparql", headers={"Accept": "text/turtle"})
    assert "</store>" not in read_only.get_data(as_text=True)
