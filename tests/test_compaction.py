"""Compaction: the change log folded into a new snapshot, on demand (``scidip-graph compact``,
while a server writes) and at a start that finds a long log; the history of writes is kept."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from scidip_graph.cli import main
from scidip_graph.settings import Settings
from scidip_graph.store import startup
from scidip_graph.store.durable import DurableStore, open_durable
from scidip_graph.store.startup import prepare_store
from tests.conftest import SAMPLE
from tests.live import LiveServer
from tests.test_backup import TOKEN, nquads_dump, served_dump, write

GRAPH = ox.NamedNode("https://w3id.org/scidip/graph/compaction-test")


def settings_for(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", source_dir=SAMPLE.parent, validate=False)


def commit(store: DurableStore, n: int, *, remove: int | None = None) -> None:
    node = ox.NamedNode("urn:x-compaction:s")
    added = [ox.Quad(node, node, ox.Literal(str(n)), GRAPH)]
    removed = [] if remove is None else [ox.Quad(node, node, ox.Literal(str(remove)), GRAPH)]
    store.commit(added=added, removed=removed, author="test", message=f"write {n}")


def snapshots(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.glob("snapshot-*.nq"))


def test_compaction_folds_the_log_keeps_the_history_and_the_dataset(tmp_path: Path) -> None:
    store = prepare_store(settings_for(tmp_path))
    first = snapshots(store.data_dir)
    for n in range(3):
        commit(store, n, remove=n - 1 if n else None)
    before, version = nquads_dump(store), store.version

    done = store.compact()
    assert (done.snapshot and done.snapshot.name, done.folded) == ("snapshot-3.nq", 3)
    assert done.removed == first
    assert snapshots(store.data_dir) == ["snapshot-3.nq"]
    assert store.meta("snapshot_head") == "3"
    assert [c.message for c in store.changesets()] == ["write 0", "write 1", "write 2"]
    store.close()

    again = open_durable(store.data_dir)
    assert (nquads_dump(again), again.version, again.head) == (before, version, 3)
    assert again.compact().snapshot is None  # nothing left to fold
    commit(again, 3, remove=2)  # the log goes on after the new snapshot
    again.close()
    reopened = open_durable(store.data_dir)
    assert reopened.head == 4 and b'"3"' in nquads_dump(reopened)


def test_a_start_folds_a_long_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(tmp_path)
    store = prepare_store(settings)
    for n in range(3):
        commit(store, n)
    store.close()
    monkeypatch.setattr(startup, "COMPACT_AFTER", 3)
    assert prepare_store(settings).meta("snapshot_head") == "0"  # 3 behind: not more than 3
    store = open_durable(settings.data_dir)
    commit(store, 3)
    store.close()
    started = prepare_store(settings)
    assert started.meta("snapshot_head") == "4"
    assert snapshots(settings.data_dir) == ["snapshot-4.nq"]


def test_compact_while_a_server_writes(tmp_path: Path) -> None:
    """``scidip-graph compact`` in the middle of a stream of writes: nothing acknowledged is
    lost, and the folder opened afterwards holds what the server serves."""
    live = LiveServer(tmp_path, [SAMPLE], workers=2, env={"SCIDIP_WRITE_TOKEN": TOKEN})
    acknowledged: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            acknowledged.append(write(live.url, n))
            n += 1

    out = io.StringIO()
    try:
        thread = threading.Thread(target=writer)
        thread.start()
        while len(acknowledged) < 3:
            time.sleep(0.01)
        assert main(["compact", "--data-dir", str(live.data_dir)], out=out) == 0
        during = len(acknowledged)
        while len(acknowledged) < during + 3:
            time.sleep(0.01)
        stop.set()
        thread.join()
        served = served_dump(live.url)
    finally:
        stop.set()
        live.stop()
    assert out.getvalue().startswith("folded ")
    assert len(snapshots(live.data_dir)) == 1
    folder = open_durable(live.data_dir)
    assert folder.head == max(acknowledged) > int(folder.meta("snapshot_head") or 0) > 0
    assert nquads_dump(folder) == served
