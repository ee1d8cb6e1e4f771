"""The Graph Store HTTP Protocol at /store: reads anonymous, writes through the write core.

Every refused write is checked against the N-Quads dump: byte for byte unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from scidip_graph.errors import DataSyntaxError
from scidip_graph.ingest.loading import parse_bytes
from scidip_graph.settings import Settings
from scidip_graph.store.durable import DurableStore
from scidip_graph.web import create_app
from tests import test_updates
from tests.test_egress import Canary

ADMIN = test_updates.ADMIN
EDITORIAL = "https://w3id.org/scidip/graph/editorial"
MEMBERS = "https://w3id.org/scidip/graph/cern-member-states"
NEW = "https://w3id.org/scidip/graph/gsp-test"
ADA = "https://w3id.org/scidip/id/person/ada"
NAME = "http://schema.org/name"
PERSON = "http://schema.org/Person"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# The same two triples (Ada is a person named "Ada"), in every upload format.
UPLOADS = {
    "text/turtle": f'<{ADA}> a <{PERSON}> ; <{NAME}> "Ada"@en .',
    "application/trig": f'{{ <{ADA}> a <{PERSON}> ; <{NAME}> "Ada"@en . }}',
    "application/n-triples": f'<{ADA}> <{RDF}type> <{PERSON}> .\n<{ADA}> <{NAME}> "Ada"@en .\n',
    "application/n-quads": f'<{ADA}> <{RDF}type> <{PERSON}> .\n<{ADA}> <{NAME}> "Ada"@en .\n',
    "application/rdf+xml": (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="{RDF}" '
        f'xmlns:s="http://schema.org/">\n<s:Person rdf:about="{ADA}">'
        '<s:name xml:lang="en">Ada</s:name></s:Person>\n</rdf:RDF>\n'
    ),
    "application/ld+json": json.dumps(
        {"@id": ADA, "@type": PERSON, NAME: {"@value": "Ada", "@language": "en"}}
    ),
}


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


# The bundled data in a durable store, alice's token for graph:editorial, and a client with
# both tokens (the admin's is ADMIN).
store, alice, client = test_updates.store, test_updates.alice, test_updates.client
LIMIT = Settings().max_upload_bytes


def send(  # type: ignore[no-untyped-def]
    client: FlaskClient,
    method: str,
    body: str | bytes = b"",
    *,
    graph: str | None = EDITORIAL,
    content_type: str = "text/turtle",
    token: str | None = ADMIN,
):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    query = {"graph": graph} if graph else {"default": ""} if graph == "" else {}
    return client.open(
        "/store",
        method=method,
        data=body,
        content_type=content_type,
        query_string=query,
        headers=headers,
    )


def dump(client: FlaskClient) -> bytes:
    with client.get("/download/scidip-graph.nq") as r:
        assert r.status_code == 200
        return r.get_data()


def ask(client: FlaskClient, query: str) -> bool:
    r = client.get("/sparql", query_string={"query": query, "format": "json"})
    assert r.status_code == 200 and r.json is not None, r.json
    return bool(r.json["boolean"])


def test_get_negotiates_and_head_sends_no_body(client: FlaskClient) -> None:
    r = client.get("/store", query_string={"graph": MEMBERS}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.content_type == "text/turtle; charset=utf-8"
    assert b"cern" in r.get_data().lower()
    nt = client.get("/store", query_string={"graph": MEMBERS, "format": "nt"})
    assert nt.content_type.startswith("application/n-triples") and nt.get_data().endswith(b".\n")
    head = client.head("/store", query_string={"graph": MEMBERS}, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.get_data() == b""
    assert head.content_type == r.content_type
    default = client.get("/store?default", headers={"Accept": "application/n-quads"})
    assert default.status_code == 200 and b"http://purl.org/dc/terms/" in default.get_data()


@pytest.mark.parametrize(
    ("query", "status"),
    [({"graph": NEW}, 404), ({}, 400), ({"graph": NEW, "default": ""}, 400), ({"graph": "g"}, 400)],
)
def test_get_refusals(client: FlaskClient, query: dict[str, str], status: int) -> None:
    r = client.get("/store", query_string=query)
    assert r.status_code == status and r.json["error"]["status"] == status, r.json


@pytest.mark.parametrize("media_type", sorted(UPLOADS))
def test_put_replaces_in_every_format(client: FlaskClient, media_type: str) -> None:
    assert send(client, "PUT", f'<{ADA}> <{NAME}> "Old"@en .', graph=NEW).status_code == 201
    r = send(client, "PUT", UPLOADS[media_type], graph=NEW, content_type=media_type)
    assert r.status_code == 200, r.json
    assert (r.json["added"], r.json["removed"], r.json["graphs"]) == (2, 1, [NEW])
    assert ask(client, f'ASK {{ GRAPH <{NEW}> {{ <{ADA}> a <{PERSON}> ; <{NAME}> "Ada"@en }} }}')
    assert not ask(client, f'ASK {{ <{ADA}> <{NAME}> "Old"@en }}')
    assert ask(client, f"ASK {{ <{NEW}> <http://purl.org/dc/terms/modified> ?t }}")


def test_post_merges_and_delete_removes(client: FlaskClient, store: DurableStore) -> None:
    assert send(client, "PUT", f'<{ADA}> <{NAME}> "Ada"@en .', graph=NEW).status_code == 201
    r = send(client, "POST", UPLOADS["text/turtle"], graph=NEW)
    assert (r.status_code, r.json["added"], r.json["removed"]) == (200, 1, 0), r.json
    assert len(list(store.quads(graph=NEW))) == 2
    logged = store.changesets()[-1]
    assert logged.author == "admin" and "sha256" in logged.message and "POST" in logged.message
    r = send(client, "DELETE", graph=NEW)
    assert r.status_code == 200 and r.json["removed"] == 2, r.json
    assert client.get("/store", query_string={"graph": NEW}).status_code == 404
    assert send(client, "DELETE", graph=NEW).status_code == 404


def test_delete_is_gated_too(client: FlaskClient) -> None:
    before = dump(client)
    r = send(client, "DELETE", graph=EDITORIAL)  # other graphs link to what it describes
    assert r.status_code == 422 and "the delete would break" in r.json["error"]["message"]
    assert dump(client) == before


def test_post_to_the_store_creates_a_graph(client: FlaskClient) -> None:
    r = send(client, "POST", UPLOADS["text/turtle"], graph=None)
    assert r.status_code == 201, r.json
    location = r.headers["Location"]
    assert location.startswith("/store?graph=")
    assert client.get(location).status_code == 200
    assert r.json["graphs"][0].startswith("https://w3id.org/scidip/graph/upload-")


def test_trig_with_another_graph_is_refused(client: FlaskClient) -> None:
    before = dump(client)
    body = f"<{MEMBERS}> {{ <{ADA}> a <{PERSON}> }}"
    r = send(client, "PUT", body, content_type="application/trig")
    assert r.status_code == 400 and MEMBERS in r.json["error"]["message"]
    assert dump(client) == before


@pytest.mark.parametrize(
    ("token", "graph", "status"),
    [
        (None, EDITORIAL, 401),
        ("wrong", EDITORIAL, 403),
        ("alice", MEMBERS, 403),
        ("alice", "", 403),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_writes_need_a_token_for_the_graph(
    client: FlaskClient, alice: str, method: str, token: str | None, graph: str, status: int
) -> None:
    before = dump(client)
    r = send(
        client,
        method,
        UPLOADS["text/turtle"],
        graph=graph,
        token=alice if token == "alice" else token,
    )
    assert r.status_code == status and r.json["error"]["status"] == status, r.json
    if status == 401:
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert dump(client) == before


def test_a_curator_writes_its_own_graph(
    client: FlaskClient, alice: str, store: DurableStore
) -> None:
    r = send(client, "POST", UPLOADS["text/turtle"], token=alice)
    assert r.status_code == 200, r.json
    assert store.changesets()[-1].author == "alice"


def test_read_only_server_refuses_writes(tmp_path: Path, store: DurableStore) -> None:
    client = create_app(Settings(data_dir=tmp_path / "var"), store=store).test_client()
    r = send(client, "PUT", UPLOADS["text/turtle"])
    assert r.status_code == 501 and "read-only" in r.json["error"]["message"]


def test_shape_violation_is_422_and_changes_nothing(client: FlaskClient) -> None:
    before = dump(client)
    r = send(client, "POST", f"<{ADA}> a <{PERSON}> .")  # a person without a name
    assert r.status_code == 422, r.json
    assert "the upload would break" in r.json["error"]["message"]
    assert any(x["focus_node"] == ADA for x in r.json["error"]["detail"]["results"])
    assert dump(client) == before


def _billion_laughs() -> str:
    entities = ['<!ENTITY l0 "ha">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return f'<?xml version="1.0"?>\n<!DOCTYPE r [{"".join(entities)}]>\n' + _rdfxml("&l9;")


def _rdfxml(value: str) -> str:
    return (
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:s="http://schema.org/">'
        f'<rdf:Description rdf:about="{ADA}"><s:name>{value}</s:name></rdf:Description></rdf:RDF>'
    )


BAD = [
    ("text/turtle", f'<{ADA}> <{NAME}> "Ada"@en .\n<{ADA}> <{NAME}> .\n', 400, "upload:2:"),
    ("application/trig", f'{{ <{ADA}> <{NAME}> "Ada" ', 400, "upload:1:"),
    ("application/n-triples", f"<{ADA}> <{NAME}> Ada .", 400, "upload:1:"),
    ("application/ld+json", '{"@id": "x",\n "n": }', 400, "upload:2:"),
    (
        "application/rdf+xml",
        f'<rdf:RDF xmlns:rdf="{RDF}">\n<rdf:Description rdf:about="{ADA}">',
        400,
        "upload:2:",
    ),
    ("application/ld+json", '{"@context": "{url}", "@id": "x"}', 400, "remote @context"),
    (
        "application/ld+json",
        '{"@context": ["file:///etc/passwd"], "@id": "x"}',
        400,
        "file:///etc/passwd",
    ),
    ("application/ld+json", '{"@context": {"@import": "{url}"}, "@id": "x"}', 400, "@import"),
    (
        "application/rdf+xml",
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "{url}">]>\n' + _rdfxml("&e;"),
        400,
        "DOCTYPE",
    ),
    (
        "application/rdf+xml",
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}"> %p;]>\n' + _rdfxml("x"),
        400,
        "DOCTYPE",
    ),
    ("application/rdf+xml", _billion_laughs(), 400, "upload:2:1"),
    ("application/rdf+xml", '<?xml version="1.0" encoding="UTF-16"?>' + _rdfxml("x"), 400, "UTF-8"),
    ("text/csv", "<a> <b> <c> .", 415, "application/ld+json"),
    ("", "<a> <b> <c> .", 415, "text/turtle"),
    ("text/turtle", "{big}", 413, f"limit of {LIMIT} bytes"),
]


@pytest.mark.parametrize(("media_type", "body", "status", "named"), BAD)
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_bad_uploads_change_nothing(
    client: FlaskClient,
    canary: Canary,
    method: str,
    media_type: str,
    body: str,
    status: int,
    named: str,
) -> None:
    before, hits = dump(client), len(canary.hits)
    body = "#" * (LIMIT + 1) if body == "{big}" else body.replace("{url}", canary.url)
    r = send(client, method, body, content_type=media_type)
    assert r.status_code == status, r.json
    assert r.json["error"]["status"] == status and named in r.json["error"]["message"], r.json
    assert dump(client) == before
    assert len(canary.hits) == hits


@pytest.mark.parametrize(
    "document",
    ['{"@context": "{url}", "@id": "x"}', '{"@context": {"@import": "{url}"}, "@id": "x"}'],
)
def test_the_jsonld_parser_cannot_fetch_a_context(canary: Canary, document: str) -> None:
    # The second barrier: pyoxigraph itself, without the check of graph_store, fetches nothing.
    hits = len(canary.hits)
    with pytest.raises(DataSyntaxError):
        parse_bytes(document.replace("{url}", canary.url).encode(), format="jsonld")
    assert len(canary.hits) == hits


def test_the_service_description_lists_the_store_where_writes_work(client: FlaskClient) -> None:
    described = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "</store>" in described and "sparql11-http-rdf-update" in described
    assert "/store" in client.get("/openapi.json").json["paths"]
