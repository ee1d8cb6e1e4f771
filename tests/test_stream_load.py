"""``scidip-graph load --batch N``: a large file streamed in batches, each through the gate, into
the embedded store and into Oxigraph server and Virtuoso, and resumed after an interruption."""

from __future__ import annotations

import contextlib
import gzip
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from scidip_graph.cli import main
from scidip_graph.errors import NotConformingError, UsageError
from scidip_graph.namespaces import DCTERMS
from scidip_graph.sparql.stream_load import stream_load
from scidip_graph.sparql.tokens import Curator
from scidip_graph.store import Store, serve_store
from scidip_graph.store.durable import open_durable
from tests import test_bulk_load, test_remote_store
from tests.conftest import SAMPLE
from tests.remote_stores import StoreServer

PEOPLE = "https://w3id.org/scidip/graph/people"
PERSON = "https://w3id.org/scidip/id/person/streamed-"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "http://schema.org/"
ADMIN = Curator("loader", frozenset({"*"}))
# Fixtures of those modules: a copy of a data folder built from the bundled data; each real
# store (Oxigraph server, Virtuoso), emptied before and after.
built, data_dir, server = test_bulk_load.built, test_bulk_load.data_dir, test_remote_store.server
PEOPLE_COUNT = 12  # three quads each: 36 quads, in batches of 6 (two people) -> 6 batches


def nquads(count: int = PEOPLE_COUNT) -> bytes:
    """People, each with a type, a name and an acquaintance (a blank node), in one graph."""
    lines = []
    for i in range(count):
        s = f"<{PERSON}{i}>"
        lines += [
            f"{s} <{TYPE}> <{SCHEMA}Person> <{PEOPLE}> .",
            f'{s} <{SCHEMA}name> "Streamed person {i}"@en <{PEOPLE}> .',
            f"{s} <{SCHEMA}knows> _:friend{i} <{PEOPLE}> .",
        ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def dump_gz(tmp_path: Path) -> Path:
    path = tmp_path / "people.nq.gz"
    path.write_bytes(gzip.compress(nquads()))
    return path


def data(store: Store) -> set[str]:
    """The store's quads without the ``dct:modified`` stamps (the time of each load)."""
    return {str(q) for q in store.quads() if q.predicate.value != str(DCTERMS.modified)}


def streamed(store: Store) -> set[str]:
    """The streamed people's quads, blank nodes shown by their position (their names are the
    load's)."""
    rows = store.select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{PEOPLE}> {{ ?s ?p ?o }} }}",
    )
    return {
        f"{row['s']} {row['p']} {'_:b' if isinstance(row['o'], ox.BlankNode) else row['o']}"
        for row in rows
    }


class Interrupted(Exception):
    """What the test injects after the k-th batch's commit."""


@contextlib.contextmanager
def interrupted_after(store: Store, k: int) -> Iterator[None]:
    """Make the store's commits fail after ``k`` of them (batch k is committed, k+1 not)."""
    real = store.commit
    calls = 0

    def commit(**kwargs: Any) -> Any:
        nonlocal calls
        if calls == k:
            raise Interrupted(f"stopped after batch {k}")
        calls += 1
        return real(**kwargs)

    store.commit = commit  # type: ignore[method-assign]
    try:
        yield
    finally:
        store.commit = real  # type: ignore[method-assign]


def load_interrupted_then_again(store: Store, path: Path, k: int) -> None:
    with interrupted_after(store, k), pytest.raises(Interrupted):
        stream_load(store, path, curator=ADMIN, batch=6)
    again = stream_load(store, path, curator=ADMIN, batch=6)
    assert again.resumed == k and again.batches == 6
    assert len(again.changesets) == 6 - k  # batches k+1..6 only


def test_a_gz_nquads_file_is_loaded_in_batches_each_a_changeset(
    data_dir: Path, dump_gz: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["load", str(dump_gz), "--batch", "6", "--data-dir", str(data_dir), "--curator", "ada"]
    )
    assert code == 0
    said = capsys.readouterr()
    assert "loaded people.nq.gz (36 quads in 6 batches): 36 quads added in 6 changesets" in said.out
    assert said.err.count("load people.nq.gz batch: ") == 7  # one line a batch, then the end
    store = open_durable(data_dir)
    try:
        changesets = store.changesets()
        assert [c.author for c in changesets] == ["ada"] * 6
        assert changesets[0].message.startswith("stream load people.nq.gz (")
        assert changesets[2].message.endswith(": batch 3 (quads 13-18)")
        assert len(streamed(store)) == 36
        assert store.query(f"ASK {{ <{PEOPLE}> <{DCTERMS.modified}> ?t }}")
    finally:
        store.close()
    # A rerun of the same file finds every batch committed: nothing more is written.
    assert main(["load", str(dump_gz), "--batch", "6", "--data-dir", str(data_dir)]) == 0
    assert (
        "6 committed by an earlier run): 0 quads added in 0 changesets" in capsys.readouterr().out
    )


def test_an_interrupted_load_resumes_and_ends_as_one_uninterrupted_load(
    built: Path, tmp_path: Path, dump_gz: Path
) -> None:
    whole = open_durable(Path(shutil.copytree(built, tmp_path / "whole")))
    again = open_durable(Path(shutil.copytree(built, tmp_path / "again")))
    try:
        stream_load(whole, dump_gz, curator=ADMIN, batch=6)
        load_interrupted_then_again(again, dump_gz, 2)
        assert data(again) == data(whole)  # blank nodes named alike: the same quads exactly
        assert len(again.changesets()) == len(whole.changesets()) == 6
    finally:
        whole.close()
        again.close()


def test_a_batch_that_does_not_conform_stops_the_load_there(data_dir: Path, tmp_path: Path) -> None:
    bad = nquads(4) + f"<{PERSON}x> <{TYPE}> <{SCHEMA}Person> <{PEOPLE}> .\n".encode()
    path = tmp_path / "people.nq"
    path.write_bytes(bad)  # the last person has no name: its batch, the third, is refused
    store = open_durable(data_dir)
    try:
        with pytest.raises(NotConformingError):
            stream_load(store, path, curator=ADMIN, batch=6)
        assert len(store.changesets()) == 2
    finally:
        store.close()


def test_formats_that_do_not_stream_are_refused_before_anything_is_read(
    data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "people.jsonld"
    path.write_text("{}")
    with pytest.raises(UsageError, match="not loaded in batches"):
        stream_load(open_durable(data_dir), path, curator=ADMIN, batch=6)


def test_a_gz_file_streams_into_a_remote_store_and_resumes(
    server: StoreServer, tmp_path: Path, dump_gz: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(SAMPLE, source / SAMPLE.name)
    store = serve_store(server.settings(tmp_path, source_dir=source, validate=False))
    try:
        sample = data(store)
        load_interrupted_then_again(store, dump_gz, 4)
        assert len(streamed(store)) == 36
        new = data(store) - sample
        stated = ox.parse(io.BytesIO(nquads()), format=ox.RdfFormat.N_QUADS)
        assert {q for q in new if "_:" not in q} == {
            str(q) for q in stated if not isinstance(q.object, ox.BlankNode)
        }
        assert len([q for q in new if "_:" in q]) == PEOPLE_COUNT  # one blank node each
        messages = store.logged_messages("stream load people.nq.gz")
        assert len(messages) == 6 and messages[-1].endswith("batch 6 (quads 31-36)")
    finally:
        store.close()


def test_the_load_command_streams_into_the_remote_store_scidip_store_names(
    oxigraph_server: StoreServer,
    tmp_path: Path,
    dump_gz: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    oxigraph_server.wipe()
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(SAMPLE, source / SAMPLE.name)
    for name, value in oxigraph_server.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SCIDIP_SOURCE_DIR", str(source))
    monkeypatch.setenv("SCIDIP_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SCIDIP_VALIDATE", "false")
    try:
        assert main(["load", str(dump_gz), "--batch", "6", "--curator", "ada"]) == 0
        assert "36 quads added in 6 changesets by ada" in capsys.readouterr().out
        # In the store itself, as a bare client reads it: the last person, whole.
        last = f"SELECT ?p WHERE {{ GRAPH <{PEOPLE}> {{ <{PERSON}11> ?p ?o }} }}"
        assert sorted(oxigraph_server.ask(last)) == sorted(
            [TYPE, f"{SCHEMA}name", f"{SCHEMA}knows"]
        )
    finally:
        oxigraph_server.wipe()
