"""The dry run: POST /validate and validate --against-store report what a write would get."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from scidip_graph.api import open_graph
from scidip_graph.cli import EXIT_NOT_CONFORMING, EXIT_OK, EXIT_USAGE
from scidip_graph.settings import Settings
from scidip_graph.store.durable import DurableStore
from scidip_graph.store.startup import prepare_store
from scidip_graph.web import create_app
from tests.apps import sample_client
from tests.conftest import SAMPLE

ADMIN = "admin-dry-run-token"
EDITORIAL = "https://w3id.org/scidip/graph/editorial"
ADA = "https://w3id.org/scidip/id/person/ada"
PERSON = "http://schema.org/Person"
NAME = "http://schema.org/name"
NAMELESS = f"<{ADA}> a <{PERSON}> .\n"  # shape:EnglishName wants a name in English
NAMED = f'<{ADA}> a <{PERSON}> ; <{NAME}> "Ada"@en .\n'
TURTLE = "text/turtle"
BOMB = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
)
SPARQL_UPDATE = "application/sparql-update"


def insert(triples: str) -> str:
    return f"INSERT DATA {{ GRAPH <{EDITORIAL}> {{ {triples} }} }}"


@pytest.fixture
def store(tmp_path: Path, core_sources: Path) -> DurableStore:
    settings = Settings(data_dir=tmp_path / "var", source_dir=core_sources, validate=False)
    return prepare_store(settings)


@pytest.fixture
def client(tmp_path: Path, store: DurableStore) -> FlaskClient:
    # Write tokens configured: the dry run needs none all the same.
    settings = Settings(data_dir=tmp_path / "var", write_token=ADMIN)
    return create_app(settings, store=store).test_client()


def dump(client: FlaskClient) -> bytes:
    with client.get("/download/scidip-graph.nq") as r:
        assert r.status_code == 200
        return r.get_data()


def dry_run(client: FlaskClient, body: str | dict[str, str], **options: str):  # type: ignore[no-untyped-def]
    content_type = options.pop("content_type", SPARQL_UPDATE)
    accept = options.pop("accept", "application/json")
    if isinstance(body, dict):
        return client.post("/validate", data=body, query_string=options, headers={"Accept": accept})
    return client.post(
        "/validate",
        data=body,
        content_type=content_type,
        query_string=options,
        headers={"Accept": accept},
    )


EXPECTED_RESULT = {
    "focus_node": ADA,
    "path": "schema:name",
    "value": None,
    "severity": "Violation",
    "shape": "shape:EnglishName",
}


def test_an_update_is_reported_and_not_written(client: FlaskClient, store: DurableStore) -> None:
    before, head = dump(client), store.head
    for body in (insert(NAMELESS), {"update": insert(NAMELESS)}):
        r = dry_run(client, body)
        assert r.status_code == 200, r.json
        assert r.json["conforms"] is False
        (result,) = r.json["results"]
        assert {k: v for k, v in result.items() if k != "message"} == EXPECTED_RESULT
        assert "English" in result["message"]
        assert dump(client) == before and store.head == head
    for body in (insert(NAMED), {"update": insert(NAMED)}):
        r = dry_run(client, body)
        assert (r.status_code, r.json) == (200, {"conforms": True, "results": []})
        assert dump(client) == before and store.head == head
    # the same report as the write's 422
    written = client.post(
        "/update",
        data=insert(NAMELESS),
        content_type=SPARQL_UPDATE,
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert written.status_code == 422
    assert (
        written.json["error"]["detail"]["results"]
        == dry_run(client, insert(NAMELESS)).json["results"]
    )


def test_data_is_reported_and_not_written(client: FlaskClient, store: DurableStore) -> None:
    before, head = dump(client), store.head
    r = dry_run(client, NAMELESS, content_type=TURTLE, graph=EDITORIAL)
    assert r.status_code == 200 and r.json["conforms"] is False, r.json
    (result,) = r.json["results"]
    assert {k: v for k, v in result.items() if k != "message"} == EXPECTED_RESULT
    r = dry_run(client, NAMELESS, content_type=TURTLE, accept=TURTLE, default="")
    assert r.status_code == 200 and r.mimetype == TURTLE
    assert "sh:ValidationReport" in r.text and "sh:conforms false" in r.text
    assert "shape:EnglishName" in r.text
    r = dry_run(client, NAMED, content_type=TURTLE, graph=EDITORIAL)
    assert (r.status_code, r.json) == (200, {"conforms": True, "results": []})
    trig = f"<{EDITORIAL}> {{ {NAMED} }}"
    r = dry_run(client, trig, content_type="application/trig", accept=TURTLE, graph=EDITORIAL)
    assert r.status_code == 200 and "sh:conforms true" in r.text
    assert dump(client) == before and store.head == head


def test_what_the_dry_run_refuses(client: FlaskClient, store: DurableStore) -> None:
    before = dump(client)
    cases = [
        (dry_run(client, {"query": "ASK {}"}), 400),
        (dry_run(client, NAMED, content_type=TURTLE), 400),  # which graph?
        (dry_run(client, NAMED, content_type=TURTLE, graph="editorial"), 400),
        (dry_run(client, NAMED[:-3], content_type=TURTLE, graph=EDITORIAL), 400),
        (dry_run(client, "INSERT DATA {", content_type=SPARQL_UPDATE), 400),
        (dry_run(client, NAMED, content_type="application/pdf", graph=EDITORIAL), 415),
        # read as the Graph Store Protocol reads an upload: one graph, no XML entities
        (dry_run(client, f"<{EDITORIAL}> {{ {NAMED} }}", content_type="application/trig"), 400),
        (dry_run(client, BOMB, content_type="application/rdf+xml", graph=EDITORIAL), 400),
        (dry_run(client, insert(NAMED), accept="text/csv"), 406),
        (dry_run(client, "LOAD <http://example.org/data.ttl>"), 403),
        (
            dry_run(
                client, "INSERT { ?s ?p ?o } WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"
            ),
            403,
        ),
    ]
    for r, status in cases:
        assert r.status_code == status, r.json
        assert set(r.json["error"]) >= {"status", "code", "message"}
    too_big = sample_client(max_upload_bytes=100)
    assert dry_run(too_big, insert(NAMED) + " " * 100).status_code == 413
    assert dump(client) == before


def test_health_reports_the_store_write_capability(client: FlaskClient) -> None:
    assert client.get("/-/health").json["store"]["supports"]["write"] is True
    read_only = sample_client().get("/-/health").json["store"]["supports"]
    assert read_only == {"write": False, "dataset": True}


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scidip_graph", "validate", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_command_validates_a_file_against_a_store(tmp_path: Path, client: FlaskClient) -> None:
    nameless, named = tmp_path / "ada.ttl", tmp_path / "ada-named.ttl"
    nameless.write_text(NAMELESS, encoding="utf-8")
    named.write_text(NAMED, encoding="utf-8")
    done = cli("--against-store", str(nameless), "--graph", "graph:editorial")
    assert done.returncode == EXIT_NOT_CONFORMING, done.stderr
    assert "Does not conform: 1 violation" in done.stdout and "shape:EnglishName" in done.stdout
    assert str(nameless) in done.stdout  # the report names the file
    done = cli("--against-store", str(named), "--format", "json")
    assert done.returncode == EXIT_OK, done.stderr
    assert '"conforms": true' in done.stdout
    # against a data folder where Ada already has her English name, the same file conforms
    data_dir = tmp_path / "var"
    r = client.post(
        "/update",
        data=insert(f'<{ADA}> <{NAME}> "Ada"@en'),
        content_type=SPARQL_UPDATE,
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 200, r.json
    done = cli("--against-store", str(nameless), "--data-dir", str(data_dir), "--format", "turtle")
    assert done.returncode == EXIT_OK, done.stderr + done.stdout
    assert "sh:conforms true" in done.stdout
    # usage and load errors: 2
    broken = tmp_path / "broken.ttl"
    broken.write_text(NAMED[:-3], encoding="utf-8")
    for argv in (
        ["--against-store", str(broken)],
        ["--against-store", str(tmp_path / "missing.ttl")],
        ["--against-store", str(named), "--data-dir", str(tmp_path / "nowhere")],
        ["--against-store", str(named), str(named)],
        ["--against-store", str(named), "--graph", "not a graph"],
        ["--graph", "graph:editorial"],
    ):
        done = cli(*argv)
        assert done.returncode == EXIT_USAGE, (argv, done.stdout, done.stderr)
    assert f"{broken}:1:" in cli("--against-store", str(broken)).stderr


def test_a_dry_run_past_the_time_limit_is_503_and_stops_the_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import scidip_graph.web.dry_run as route

    monkeypatch.setattr(route, "validate_update", lambda *a, **k: time.sleep(1.5))
    stopped: list[bool] = []
    app = create_app(
        Settings(query_timeout=0.5),
        store=open_graph([SAMPLE]).store,
        on_doomed=lambda: stopped.append(True),
    )
    r = app.test_client().post("/validate", data=insert(NAMED), content_type=SPARQL_UPDATE)
    assert r.status_code == 503 and r.json["error"]["code"] == "timeout"
    r.close()
    assert stopped == [True]  # as on /sparql: the worker is replaced after the answer
