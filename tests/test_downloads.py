"""Downloads: every file with ETag, checksums, gzip, 304 and HEAD; cached, deterministic dumps."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Dataset, Graph

from scidip_graph.api import open_graph
from scidip_graph.pages.dumps import DumpCache, build_dumps
from scidip_graph.settings import Settings
from scidip_graph.store.durable import open_durable
from scidip_graph.web import create_app
from tests.conftest import SAMPLE

NAMES = [
    "scidip-graph.trig",
    "scidip-graph.nq",
    "scidip-graph.jsonld",
    "scidip-graph.ttl",
    "scidip-graph.nt",
    "scidip-graph.rdf",
    "scidip.ttl",
    "shapes.ttl",
    "shapes-iso3166.ttl",
    "context.jsonld",
    "void.ttl",
    "SHA256SUMS",
]


@pytest.fixture
def client() -> FlaskClient:
    return create_app(Settings(), store=open_graph([SAMPLE]).store).test_client()


@pytest.fixture(autouse=True)
def _private_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    # `serve` run in-process by an earlier test (test_startup) leaves PROMETHEUS_MULTIPROC_DIR
    # set, and then a second app in this process clashes in the shared metrics registry.
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)


def test_listing_for_machines(client: FlaskClient) -> None:
    for r in (
        client.get("/download/index.json"),
        client.get("/download/", headers={"Accept": "application/json"}),
    ):
        assert r.status_code == 200 and r.content_type == "application/json"
        files = {f["name"]: f for f in r.json["files"]}
        assert list(files) == NAMES
        assert files["scidip-graph.ttl"]["union_of_graphs"] == [
            "https://w3id.org/scidip/graph/one",
            "https://w3id.org/scidip/graph/two",
        ]
        assert files["scidip-graph.trig"]["named_graphs_kept"] is True
        assert files["scidip-graph.nq"]["media_type"] == "application/n-quads"


def test_listing_for_browsers(client: FlaskClient) -> None:
    r = client.get("/download/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.content_type.startswith("text/html")
    sums = client.get("/download/SHA256SUMS").text
    for line in sums.splitlines():
        digest, name = line.split("  ")
        assert f'href="/download/{name}"' in r.text and digest in r.text
    assert "union of all graphs" in r.text
    assert client.get("/download").status_code == 308  # to /download/


@pytest.mark.parametrize("name", NAMES)
def test_every_file_with_its_headers(client: FlaskClient, name: str) -> None:
    r = client.get(f"/download/{name}")
    assert r.status_code == 200
    assert int(r.headers["Content-Length"]) == len(r.data)
    assert r.headers["ETag"] == f'"sha256-{hashlib.sha256(r.data).hexdigest()}"'
    assert r.headers["Last-Modified"] and r.headers["Vary"] == "Accept-Encoding"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    listed = {f["name"]: f for f in client.get("/download/index.json").json["files"]}
    if name != "SHA256SUMS":
        assert listed[name]["sha256"] == hashlib.sha256(r.data).hexdigest()
        assert f"{listed[name]['sha256']}  {name}\n" in client.get("/download/SHA256SUMS").text
    assert r.headers["Content-Type"].split(";")[0] == listed[name]["media_type"]

    z = client.get(f"/download/{name}", headers={"Accept-Encoding": "gzip, deflate"})
    assert z.headers["Content-Encoding"] == "gzip"
    assert int(z.headers["Content-Length"]) == len(z.data)
    assert gzip.decompress(z.data) == r.data
    assert z.data[4:8] == b"\0\0\0\0"  # mtime 0: deterministic
    assert z.headers["ETag"] != r.headers["ETag"]

    for etag, encoding in ((r.headers["ETag"], ""), (z.headers["ETag"], "gzip")):
        again = client.get(
            f"/download/{name}", headers={"If-None-Match": etag, "Accept-Encoding": encoding}
        )
        assert again.status_code == 304 and again.data == b""
    head = client.head(f"/download/{name}")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == r.headers["Content-Length"]
    assert head.headers["ETag"] == r.headers["ETag"]


def test_no_gzip_when_refused(client: FlaskClient) -> None:
    r = client.get("/download/scidip-graph.nt", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in r.headers


def test_unknown_file_is_404_in_the_error_shape(client: FlaskClient) -> None:
    r = client.get("/download/scidip-graph.xls")
    assert r.status_code == 404 and r.content_type == "application/json"
    assert r.json["error"]["status"] == 404 and r.json["error"]["code"] == "not_found"


def test_dumps_parse_back(client: FlaskClient) -> None:
    for name, fmt in (("scidip-graph.nq", "nquads"), ("scidip-graph.jsonld", "json-ld")):
        ds = Dataset()
        ds.parse(data=client.get(f"/download/{name}").data, format=fmt)
        assert len(list(ds.quads((None, None, None, None)))) == 22
    union = Graph().parse(data=client.get("/download/scidip-graph.ttl").data, format="turtle")
    assert len(union) == 21  # the union is a set: a fact stated twice counts once


def test_context_at_a_stable_url(client: FlaskClient) -> None:
    r = client.get("/context.jsonld")
    assert r.status_code == 200 and r.content_type == "application/ld+json"
    assert r.json["@context"]["name"] == "schema:name"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert (
        client.get("/context.jsonld", headers={"If-None-Match": r.headers["ETag"]}).status_code
        == 304
    )
    assert r.data == client.get("/download/context.jsonld").data


def test_same_data_gives_byte_identical_files() -> None:
    first = {f.name: f.sha256 for f in build_dumps(open_graph([SAMPLE]).store)}
    second = {f.name: f.sha256 for f in build_dumps(open_graph([SAMPLE]).store)}
    assert first == second
    # ... in another process too (no hash seeds, no times in the files)
    code = (
        "from scidip_graph.pages.dumps import build_dumps; from scidip_graph.api import "
        f"open_graph; print(*(f.sha256 for f in build_dumps(open_graph([{str(SAMPLE)!r}]).store)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == list(first.values())


def test_dumps_are_cached_in_the_data_folder_per_version(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = open_durable(tmp_path)
    store.add(open_graph([SAMPLE]).store.quads())
    cache = DumpCache(store)
    files = cache.files()
    folder = tmp_path / "dumps" / cache.key()
    assert (folder / "scidip-graph.trig").read_bytes() == files[0].read()
    assert gzip.decompress((folder / "scidip-graph.trig.gz").read_bytes()) == files[0].read()
    assert cache.files() is files  # not generated again

    calls = []
    monkeypatch.setattr("scidip_graph.pages.dumps.build_dumps", lambda *a, **k: calls.append(1))
    assert [f.sha256 for f in DumpCache(store).files()] == [f.sha256 for f in files]
    assert calls == []  # another worker (or a restart) reads the files on disk

    monkeypatch.undo()
    old_key = cache.key()
    new = ox.Quad(ox.NamedNode("http://x.org/s"), ox.NamedNode("http://x.org/p"), ox.Literal("o"))
    store.commit(added=[new], author="test")
    assert cache.key() != old_key
    assert cache.files()[1].read().startswith(b'<http://x.org/s> <http://x.org/p> "o" .\n')
    assert sorted(p.name for p in (tmp_path / "dumps").iterdir()) == [cache.key()]
