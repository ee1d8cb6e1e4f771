"""``scidip-graph backup`` and ``restore``: a consistent copy while the server writes, and back.

The real server (gunicorn, workers) runs on the sample data while a client writes through
SPARQL Update; a backup is taken in the middle of the stream, restored into a new folder, and
served: the restored server's N-Quads dump is the dataset at the backup's head, rebuilt here
from the original folder's snapshot and change log (no later write, no earlier one missing).
"""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from scidip_graph.cli import main
from scidip_graph.rdf.exporters import dump
from scidip_graph.settings import Settings
from scidip_graph.store.backup import MANIFEST, BackupManifest, backup, restore
from scidip_graph.store.durable import DurableStore, open_durable
from scidip_graph.store.oxigraph import OxigraphStore
from scidip_graph.store.startup import mark_served, prepare_store
from tests.conftest import SAMPLE
from tests.live import LiveServer

TOKEN = "backup-token"
GRAPH = "https://w3id.org/scidip/graph/backup-test"


def write(url: str, n: int) -> int:
    """One acknowledged write through SPARQL Update; returns its changeset."""
    text = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:x-backup:s{n}> <urn:x-backup:n> "{n}" }} }}'
    request = urllib.request.Request(
        url + "/update",
        data=text.encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return int(json.load(answer)["changeset"])


def dataset_at(data_dir: Path, head: int) -> OxigraphStore:
    """A data folder's dataset as of changeset ``head``: its snapshot, then its log up to it,
    replayed here on a store of its own (the engine reads literals as the server's does)."""
    log = DurableStore(data_dir)
    store = OxigraphStore()
    try:
        snapshot = data_dir / str(log.meta("snapshot"))
        store.add(ox.parse(path=snapshot, format=ox.RdfFormat.N_QUADS))
        for changeset in log.changesets(since=int(log.meta("snapshot_head") or 0)):
            if changeset.id > head:
                break
            store.remove(changeset.removed)
            store.add(changeset.added)
    finally:
        log.close()
    return store


def served_dump(url: str) -> bytes:
    with urllib.request.urlopen(url + "/download/scidip-graph.nq", timeout=60) as answer:
        return bytes(answer.read())


def nquads_dump(store: OxigraphStore) -> bytes:
    """The N-Quads dump the server gives of a store (the same writer)."""
    out = io.BytesIO()
    dump(store, "nquads", out)
    return out.getvalue()


def test_a_backup_taken_during_writes_restores_the_dataset_at_its_head(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    live = LiveServer(tmp_path / "one", [SAMPLE], workers=2, env={"SCIDIP_WRITE_TOKEN": TOKEN})
    acknowledged: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            acknowledged.append(write(live.url, n))
            n += 1

    try:
        for n in range(3):  # writes before
            write(live.url, 1000 + n)
        thread = threading.Thread(target=writer)
        thread.start()
        while len(acknowledged) < 3:
            time.sleep(0.01)
        assert main(["backup", str(tmp_path / "backup"), "--data-dir", str(live.data_dir)]) == 0
        during = len(acknowledged)
        while len(acknowledged) < during + 3:  # and writes after
            time.sleep(0.01)
        stop.set()
        thread.join()
    finally:
        stop.set()
        live.stop()
    manifest = BackupManifest.read(tmp_path / "backup")
    assert 3 < manifest.head < max(acknowledged)
    expected = dataset_at(live.data_dir, manifest.head)
    later = dataset_at(live.data_dir, max(acknowledged))
    assert nquads_dump(expected) != nquads_dump(later)  # writes after the backup are not in it

    restored = tmp_path / "two" / "var"  # where LiveServer's data folder will be
    assert main(["restore", str(tmp_path / "backup"), "--data-dir", str(restored)]) == 0
    again = LiveServer(tmp_path / "two", [SAMPLE], workers=2)
    try:
        assert served_dump(again.url) == nquads_dump(expected)
    finally:
        again.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    settings = Settings(data_dir=tmp_path / "var", source_dir=SAMPLE.parent, validate=False)
    store = prepare_store(settings)
    a = ox.NamedNode("urn:x-backup:a")
    store.commit(added=[ox.Quad(a, a, ox.Literal("1"), ox.NamedNode(GRAPH))], author="test")
    store.close()
    return settings.data_dir


def test_restore_refuses_a_folder_with_data_unless_forced(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = backup(data_dir, tmp_path / "backup")
    store = open_durable(data_dir)
    store.commit(added=[ox.Quad(*[ox.NamedNode("urn:x-backup:b")] * 3)], author="test")
    before = sorted(map(str, store.quads()))
    store.close()
    assert main(["restore", str(tmp_path / "backup"), "--data-dir", str(data_dir)]) == 2
    assert "holds data" in capsys.readouterr().err
    assert sorted(map(str, open_durable(data_dir).quads())) == before  # untouched

    (data_dir / "cache").mkdir()
    assert main(["restore", str(tmp_path / "backup"), "--force", "--data-dir", str(data_dir)]) == 0
    said = capsys.readouterr().out
    assert f"changeset {manifest.head}" in said and "replacing the data it held" in said
    assert "cache/" in said and not (data_dir / "cache").exists()  # derived, keyed on versions
    assert open_durable(data_dir).head == manifest.head


def test_restore_refuses_a_served_folder(data_dir: Path, tmp_path: Path) -> None:
    backup(data_dir, tmp_path / "backup")
    mark_served(data_dir)  # as the server does, for as long as it serves the folder
    with pytest.raises(Exception, match="a running server serves it"):
        restore(tmp_path / "backup", data_dir)


def test_a_damaged_backup_is_refused_before_anything_changes(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = backup(data_dir, tmp_path / "backup")
    assert json.loads((tmp_path / "backup" / MANIFEST).read_text())["head"] == manifest.head
    with (tmp_path / "backup" / manifest.snapshot).open("a") as handle:
        handle.write("<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    assert main(["restore", str(tmp_path / "backup"), "--data-dir", str(tmp_path / "new")]) == 2
    assert "damaged" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_backup_needs_a_data_folder_and_an_empty_target(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "b"), "--data-dir", str(tmp_path / "nothing")]) == 2
    assert "no data folder" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    assert main(["backup", str(tmp_path / "full"), "--data-dir", str(data_dir)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
