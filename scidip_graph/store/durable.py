"""The embedded store made durable: a snapshot plus a change log in SQLite.

State lives in a data folder::

    data_dir/
      scidip.sqlite        meta (snapshot name, source digest) and the change log (WAL mode)
      snapshot-<n>.nq      the dataset as of changeset n (N-Quads)

Opening rebuilds the in-memory store from the latest snapshot plus every later changeset.
A pre-forked worker calls :meth:`DurableStore.refresh` before it answers: a cheap check of the
log's head (SQLite's ``data_version``), then the changesets it has not seen. A changeset is
applied whole, so a reader never sees half a write; a write is acknowledged only once its
changeset is committed in SQLite.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from scidip_graph.store.history import (
    HISTORY_SCHEMA,
    ChangeSummary,
    index_change,
    summaries,
    unindexed,
)
from scidip_graph.store.oxigraph import OxigraphStore

LOG_FILE = "scidip.sqlite"
"""The change log's file in a data folder (with ``-wal`` and ``-shm`` beside it while open)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS changesets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    message TEXT NOT NULL,
    added TEXT NOT NULL,     -- N-Quads
    removed TEXT NOT NULL    -- N-Quads
);
"""


@dataclass(frozen=True)
class Changeset:
    """One committed change: quads added and removed, by whom, when."""

    id: int
    at: str
    author: str
    message: str
    added: list[ox.Quad]
    removed: list[ox.Quad]


@dataclass(frozen=True)
class Compaction:
    """What :meth:`DurableStore.compact` did.

    Attributes:
        snapshot: the new snapshot file; None when the recorded one was current.
        folded: the changesets folded into it.
        removed: the names of the older snapshot files deleted.
    """

    snapshot: Path | None
    folded: int
    removed: list[str]


class DurableStore(OxigraphStore):
    """An in-memory pyoxigraph store backed by a snapshot and a SQLite change log.

    Use :func:`open_durable` to create or open one.
    """

    data_dir: Path
    writable = True

    def __init__(self, data_dir: Path) -> None:
        super().__init__()
        self.data_dir = data_dir
        self._db_path = data_dir / LOG_FILE
        self._conn: sqlite3.Connection | None = None
        self._head = 0
        self._data_version = -1
        self._base = ""

    # -- the log ----------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """This process's connection (a forked worker opens its own on first use)."""
        if self._conn is None or self._conn_pid != os.getpid():
            self._conn = sqlite3.connect(
                self._db_path, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.executescript(SCHEMA + HISTORY_SCHEMA)
            self._conn_pid = os.getpid()
            self._data_version = -1
        return self._conn

    _conn_pid = -1
    _history_checked = False

    def close(self) -> None:
        """Close this process's connection to the log; the next use opens a new one.

        The server's master calls it before it forks a worker (``pre_fork``): SQLite forbids
        carrying an open connection into a child process (its "how to corrupt" page, 2.6).
        SQLite keeps one record of a file's locks per process; a worker that inherits it
        counts the parent's locks as its own, so its connection can believe it holds a read
        lock it never took, and another process may then checkpoint and reset the
        write-ahead log under it. (Before this, each worker held the log's files open twice:
        the inherited handles, which SQLite would not close while it thought them locked, and
        its own.)
        """
        if self._conn is not None and self._conn_pid == os.getpid():
            self._conn.close()
        self._conn = None
        self._conn_pid = -1

    def meta(self, key: str) -> str | None:
        """A value from the meta table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the meta table."""
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def head(self) -> int:
        """The last changeset applied to this process's store."""
        return self._head

    @property
    def version(self) -> str:
        return f"{self._base}-{self._head}"

    def refresh(self) -> int:
        """Apply the changesets committed since this store last looked; returns how many.

        Costs one ``PRAGMA data_version`` when nothing changed.
        """
        data_version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if data_version == self._data_version:
            return 0
        self._data_version = data_version
        applied = 0
        for changeset in self.changesets(since=self._head):
            self._apply(changeset)
            applied += 1
        return applied

    def last_modified(self) -> str | None:
        """When the last changeset this store has applied was committed, if any."""
        row = self.conn.execute(
            "SELECT at FROM changesets WHERE id <= ? ORDER BY id DESC LIMIT 1", (self._head,)
        ).fetchone()
        return row[0] if row else None

    def log_head(self) -> int:
        """The last changeset committed to the log, by any process (0: none yet)."""
        row = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM changesets").fetchone()
        return int(row[0])

    def changesets(self, *, since: int = 0) -> list[Changeset]:
        """The committed changesets after ``since``, oldest first."""
        rows = self.conn.execute(
            "SELECT id, at, author, message, added, removed FROM changesets WHERE id > ? "
            "ORDER BY id",
            (since,),
        ).fetchall()
        return [Changeset(r[0], r[1], r[2], r[3], _parse_nq(r[4]), _parse_nq(r[5])) for r in rows]

    def logged_messages(self, prefix: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT message FROM changesets WHERE substr(message, 1, ?) = ? ORDER BY id",
            (len(prefix), prefix),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def changeset(self, id: int) -> Changeset | None:
        """One committed changeset, with its quads; None when the log has no such id."""
        r = self.conn.execute(
            "SELECT id, at, author, message, added, removed FROM changesets WHERE id = ?", (id,)
        ).fetchone()
        return Changeset(r[0], r[1], r[2], r[3], _parse_nq(r[4]), _parse_nq(r[5])) if r else None

    def changes(
        self,
        *,
        before: int | None = None,
        after: int = 0,
        limit: int = 50,
        about: str | None = None,
    ) -> list[ChangeSummary]:
        """The log's changesets newest first, without their quads (:mod:`.history`); a log
        written before the history index is indexed first, once (each process looks once:
        every commit since indexes itself)."""
        if not self._history_checked:
            missing = unindexed(self.conn)
            if missing:
                with self._transaction() as conn:
                    for changeset in missing:
                        found = self.changeset(changeset)
                        if found is not None:
                            index_change(conn, changeset, found.added, found.removed)
            self._history_checked = True
        return summaries(self.conn, before=before, after=after, limit=limit, about=about)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the data folder's write lock (an exclusive ``flock``, every process's)."""
        with (self.data_dir / "write.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            yield

    def commit(
        self,
        *,
        added: Iterable[ox.Quad] = (),
        removed: Iterable[ox.Quad] = (),
        author: str,
        message: str = "",
    ) -> Changeset:
        """Append a changeset to the log, then apply it here; returns it once durable.

        The caller validates the would-be state first (the SHACL gate); this only records.
        """
        added, removed = list(added), list(removed)
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO changesets (at, author, message, added, removed) "
                "VALUES (?, ?, ?, ?, ?)",
                (at, author, message, _nq(added), _nq(removed)),
            )
            assert cursor.lastrowid is not None
            index_change(conn, cursor.lastrowid, added, removed)
        # Catch up with anything committed by others before this one, then this one. SQLite's
        # data_version does not change for a connection's own commits: forget it, or a store
        # that has refreshed once would never apply its own write.
        self._data_version = -1
        assert cursor.lastrowid is not None
        changeset = Changeset(cursor.lastrowid, at, author, message, added, removed)
        between = self.conn.execute(
            "SELECT COUNT(*) FROM changesets WHERE id > ? AND id < ?", (self._head, changeset.id)
        ).fetchone()[0]
        # When it is the next one, it is applied as it is, not read back from the log: a load
        # of 1M quads spent longer parsing it again than writing it.
        if between:
            self.refresh()
        else:
            self._apply(changeset)
        return changeset

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction of the log: committed whole (durably: ``synchronous=FULL``)
        when the block ends, rolled back if it raises."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _apply(self, changeset: Changeset) -> None:
        self.remove(changeset.removed)
        self.add(changeset.added)
        self._head = changeset.id
        self._changed(str(changeset.id).encode())

    # -- snapshots --------------------------------------------------------------------------

    def write_snapshot(self, *, meta: dict[str, str] | None = None) -> Path:
        """Fold the log into a new snapshot file (compaction) and record it.

        Safe against a crash at any moment: the file is written under a name of its own,
        flushed to disk, renamed, and the rename flushed; only then is it recorded, its name
        and head (and ``meta``) in one transaction of the log. Until that commit the previous
        snapshot stays the recorded one and the new file is never read; a ``.tmp`` left by a
        crash is ignored.
        """
        path = self.data_dir / f"snapshot-{self._head}.nq"
        tmp = self.data_dir / f".{path.name}.{os.getpid()}.tmp"
        with tmp.open("wb") as handle:
            ox.serialize(self.quads(), handle, format=ox.RdfFormat.N_QUADS)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_folder(self.data_dir)
        with self._transaction():
            for key, value in {
                **(meta or {}),
                "snapshot": path.name,
                "snapshot_head": str(self._head),
            }.items():
                self.set_meta(key, value)
        return path

    def compact(self) -> Compaction:
        """Fold the changesets past the recorded snapshot into a new one, and delete the
        snapshot files it replaces; a server may be running on the folder.

        The change log is kept whole: it is the history of every write (who, when, what),
        and backups and ``/changes`` read it. What compaction saves is the replay: a store
        opened afterwards reads the new snapshot and only the changesets committed after it.
        It holds the write lock while it writes (writes wait; reads go on).
        """
        with self.writing():
            self.refresh()
            folded = self._head - int(self.meta("snapshot_head") or 0)
            path = self.write_snapshot() if folded > 0 else None
            recorded = self.meta("snapshot")
            removed = []
            for old in sorted(self.data_dir.glob("snapshot-*.nq")):
                if old.name != recorded:
                    old.unlink(missing_ok=True)
                    removed.append(old.name)
        return Compaction(path, folded, removed)

    def rebuild(self, quads: Iterable[ox.Quad], *, source_digest: str) -> Path:
        """Replace the whole dataset by the source data's quads and snapshot it.

        The source digest is recorded with the snapshot, in one transaction: recorded before
        it, a crash in between left a folder that claimed the new sources while it held the
        old ones (or, on first start, nothing), and was never built again.
        """
        self.clear()
        self.add(quads)
        self._base = source_digest[:12]
        return self.write_snapshot(meta={"source_digest": source_digest})

    def load_snapshot(self) -> None:
        """Fill the store from the recorded snapshot and the changesets after it."""
        for _ in range(3):  # a compaction may replace the snapshot between meta and file
            rows = dict(  # its name and head, in one statement: one state of the log
                self.conn.execute(
                    "SELECT key, value FROM meta WHERE key IN ('snapshot', 'snapshot_head')"
                ).fetchall()
            )
            name, head = rows.get("snapshot"), int(rows.get("snapshot_head") or 0)
            if name is None:
                return
            try:
                self.load_nquads(str(self.data_dir / name))
                break
            except FileNotFoundError:
                self.clear()
        else:
            raise FileNotFoundError(f"{self.data_dir}: the recorded snapshot keeps vanishing")
        self._head = head
        self._base = (self.meta("source_digest") or "")[:12]
        self.refresh()


def open_durable(data_dir: Path) -> DurableStore:
    """Open the store of a data folder (creating the folder), loading its snapshot if any."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = DurableStore(data_dir)
    store.load_snapshot()
    return store


def digest_files(paths: Iterable[Path]) -> str:
    """A SHA-256 over file names and contents: tells whether the source data changed."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _nq(quads: list[ox.Quad]) -> str:
    return (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode()


def _parse_nq(text: str) -> list[ox.Quad]:
    if not text:
        return []
    return list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
