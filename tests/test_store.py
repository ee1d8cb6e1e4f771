"""The Store interface: every registered backend implements it, and SCIDIP_STORE picks one."""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from scidip_graph.cli import EXIT_USAGE, main
from scidip_graph.errors import UnknownNameError, UsageError
from scidip_graph.ingest.loading import bundled_files, load_sources
from scidip_graph.settings import Settings
from scidip_graph.store import BACKENDS, Store, open_store, serve_store
from scidip_graph.store.base import QueryResult
from scidip_graph.store.oxigraph import OxigraphStore
from scidip_graph.store.remote import RemoteStore
from scidip_graph.store.startup import prepare_store
from scidip_graph.web import create_app
from tests.conftest import SAMPLE
from tests.remote_stores import StoreServer

G1 = "https://w3id.org/scidip/graph/one"
NAME = ox.NamedNode("http://schema.org/name")
CH = ox.NamedNode("https://w3id.org/scidip/id/country/CH")


def served_settings(tmp_path: Path, **more: object) -> Settings:
    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    shutil.copy(SAMPLE, source / SAMPLE.name)
    return Settings(data_dir=tmp_path / "var", source_dir=source, validate=False, **more)  # type: ignore[arg-type]


STORES = ["embedded", "sparql-oxigraph", "sparql-virtuoso"]
"""Every registered backend, the remote one on each real store the tests start."""


def test_the_contract_covers_every_backend() -> None:
    assert {name.split("-")[0] for name in STORES} == set(BACKENDS)


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> Iterator[tuple[str, StoreServer | None]]:
    """A backend's name and, for the remote one, the store server, emptied."""
    name, _, engine = str(request.param).partition("-")
    server: StoreServer | None = None
    if engine:
        server = request.getfixturevalue(f"{engine}_server")
        server.wipe()
    yield name, server
    if server is not None:
        server.wipe()


def empty_store(name: str, server: StoreServer | None, tmp_path: Path) -> Store:
    if server is None:
        return open_store(name)
    return RemoteStore.from_settings(server.settings(tmp_path))


def check_interface(store: Store, name: str) -> None:
    """What every store of every backend must do, whatever it is built on."""
    assert isinstance(store, Store) and not inspect.isabstract(type(store))
    assert store.name == name
    assert isinstance(store.writable, bool) and isinstance(store.supports_dataset, bool)
    assert store.data_dir is None or store.data_dir.is_dir()
    assert store.refresh() == 0  # nothing happened elsewhere
    changed = store.last_modified()
    assert changed is None or dt.datetime.fromisoformat(changed)
    assert isinstance(store.version, str) and store.version
    assert len(store) == len(list(store.quads())) == 22
    assert store.graph_names() == sorted(store.graph_names()) and G1 in store.graph_names()
    assert len(list(store.quads(graph=G1))) > 0
    # the dataset as a write's gate reads it: the same quads, by pattern, without writing
    view = store.view()
    assert len(view) == len(store)
    assert {str(q) for q in view.quads_for_pattern(None, None, None)} == {
        str(q) for q in store.quads()
    }
    default = list(view.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert {str(q) for q in default} == {str(q) for q in store.quads(graph="")}
    assert bool(store.query("ASK { ?s ?p ?o }"))
    assert [s["n"].value for s in store.select("SELECT (1 AS ?n) {}")] == ["1"]
    with pytest.raises(TypeError):
        store.select("ASK {}")
    if store.supports_dataset:
        rows = store.select("SELECT ?s { ?s ?p ?o }", default_graph=[G1])
        assert len(list(rows)) == len(list(store.quads(graph=G1)))


def test_every_backend_gives_an_empty_store_that_implements_the_interface(
    store_kind: tuple[str, StoreServer | None], tmp_path: Path
) -> None:
    name, server = store_kind
    store = empty_store(name, server, tmp_path)
    assert len(store) == 0 and store.graph_names() == []
    before = store.version
    store.add(load_sources([SAMPLE]).quads)
    assert store.version != before
    check_interface(store, name)


def test_every_backend_serves_a_store_that_implements_the_interface(
    store_kind: tuple[str, StoreServer | None], tmp_path: Path
) -> None:
    name, server = store_kind
    settings = served_settings(tmp_path, store=name)
    if server is not None:
        settings = server.settings(tmp_path, source_dir=settings.source_dir, validate=False)
    store = serve_store(settings)
    check_interface(store, name)


def test_a_remote_backend_makes_no_store_of_its_own() -> None:
    with pytest.raises(UsageError, match="serves an external store"):
        open_store("sparql")


def test_the_base_class_defaults_describe_a_store_that_has_nothing_more() -> None:
    class Minimal(Store):
        name = "minimal"

        def query(self, sparql: str, **options: object) -> QueryResult:
            raise NotImplementedError

        def add(self, quads: Iterable[ox.Quad]) -> None:
            raise NotImplementedError

        def quads(self, *, graph: str | None = None) -> list[ox.Quad]:
            return []

        def graph_names(self) -> list[str]:
            return []

        def __len__(self) -> int:
            return 0

        @property
        def version(self) -> str:
            return "0"

    store = Minimal()
    assert (store.writable, store.supports_dataset) == (False, False)
    assert store.data_dir is None and store.refresh() == 0 and store.last_modified() is None


def test_the_durable_store_knows_its_folder_and_its_last_change(tmp_path: Path) -> None:
    store = prepare_store(served_settings(tmp_path))
    assert store.data_dir == tmp_path / "var" and store.last_modified() is None
    other = prepare_store(served_settings(tmp_path))  # another worker on the same folder
    change = other.commit(
        added=[ox.Quad(CH, NAME, ox.Literal("Svizra", language="rm"))], author="t"
    )
    assert other.head == change.id  # its own write, applied
    assert store.last_modified() is None  # not applied here yet
    assert store.refresh() == 1 and store.last_modified() == change.at == other.last_modified()


def test_the_server_reads_the_dataset_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store()
    store.add(load_sources([SAMPLE]).quads)
    monkeypatch.setattr(type(store), "supports_dataset", False)
    client = create_app(Settings(), store=store).test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    for args in (
        {"query": "ASK {}", "default-graph-uri": G1},
        {"query": f"ASK FROM <{G1}> {{}}"},
    ):
        r = client.get("/sparql", query_string=args)
        assert r.status_code == 501 and r.json is not None
        assert r.json["error"]["code"] == "not_implemented"


# -- SCIDIP_STORE ------------------------------------------------------------------------------


def test_an_unknown_store_is_a_usage_error_listing_the_valid_ones(tmp_path: Path) -> None:
    settings = Settings.from_env({"SCIDIP_STORE": "nope"}, data_dir=tmp_path / "var")
    with pytest.raises(UnknownNameError) as caught:
        serve_store(settings)
    assert isinstance(caught.value, UsageError)
    valid = ", ".join(sorted(BACKENDS))
    assert caught.value.message == f"unknown store backend 'nope'; valid names: {valid}"
    assert "SCIDIP_STORE" in (caught.value.hint or "")
    with pytest.raises(UnknownNameError):
        create_app(settings)
    assert not (tmp_path / "var").exists()  # refused before anything was opened


@pytest.mark.parametrize("how", ["environment", "option"])
def test_serve_with_an_unknown_store_exits_2_before_starting(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from scidip_graph.server import prefork

    def started(self: object) -> None:
        raise AssertionError("the server started")

    monkeypatch.setattr(prefork.ScidipServer, "run", started)
    argv = ["serve", "--data-dir", str(tmp_path / "var")]
    if how == "environment":
        monkeypatch.setenv("SCIDIP_STORE", "nope")
    else:
        argv += ["--store", "nope"]
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "unknown store backend 'nope'; valid names: embedded, sparql" in err
    assert "hint: SCIDIP_STORE" in err


def test_a_snapshot_loads_into_the_same_store_as_quads_added_one_by_one(tmp_path: Path) -> None:
    """``load_nquads`` (how a data folder opens) gives the store ``add`` gives: the same
    quads, blank nodes under the same labels (the change log names them), the same unions."""
    files = bundled_files()
    source = OxigraphStore()
    source.add(load_sources(files).quads)
    snapshot = tmp_path / "snapshot.nq"
    with snapshot.open("wb") as handle:
        ox.serialize(source.quads(), handle, format=ox.RdfFormat.N_QUADS)
    loaded = OxigraphStore()
    loaded.load_nquads(str(snapshot))
    assert sorted(map(str, loaded.quads())) == sorted(map(str, source.quads()))
    assert any(isinstance(q.subject, ox.BlankNode) for q in loaded.quads())
    assert len(loaded) == len(source) and loaded.graph_names() == source.graph_names()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    for query in (count, graphs):
        assert [r["n"] for r in loaded.query(query)] == [r["n"] for r in source.query(query)]
    with pytest.raises(ValueError):
        loaded.load_nquads(str(snapshot))
