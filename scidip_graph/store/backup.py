"""Backups of a data folder, taken while the server runs, and bringing one back.

A backup is a folder::

    backup/
      scidip.sqlite      the change log, copied by SQLite's online backup API
      snapshot-<n>.nq    the snapshot the log starts from
      manifest.json      the log's head, the snapshot, the source digest, each file's SHA-256

:func:`backup` holds the data folder's write lock while it copies, so no write lands between
the log and the snapshot it names (writers wait a moment; readers never do). The manifest is
written last: a folder without one is no backup. :func:`restore` checks every digest before it
touches anything, then puts the snapshot and the log into a data folder; the log goes in
through SQLite's backup API too, so a ``-wal`` file left in the folder can never be replayed
onto the restored log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scidip_graph.errors import UsageError
from scidip_graph.store.durable import LOG_FILE, DurableStore
from scidip_graph.store.startup import is_served
from scidip_graph.version import __version__

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupManifest:
    """What a backup holds.

    Attributes:
        head: the last changeset in the backed-up log (the dataset is the snapshot plus the
            changesets up to it).
        snapshot: the snapshot file's name.
        source_digest: the digest of the source data the folder was built from.
        created: when the backup was taken (UTC, ISO 8601).
        files: each file of the backup -> its SHA-256.
        scidip_graph: the version of scidip-graph that wrote it.
    """

    head: int
    snapshot: str
    source_digest: str
    created: str
    files: dict[str, str] = field(default_factory=dict)
    scidip_graph: str = __version__

    def to_json(self) -> str:
        """The manifest file's text."""
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def read(cls, folder: Path) -> BackupManifest:
        """The manifest of the backup in ``folder``.

        Raises:
            UsageError: ``folder`` has no readable manifest (it is no backup).
        """
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError) as err:
            raise UsageError(
                f"{folder} is no backup: cannot read {MANIFEST} ({err})",
                hint="A backup is a folder written by scidip-graph backup.",
            ) from None


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` did.

    Attributes:
        manifest: the backup's manifest.
        data_dir: the data folder restored into.
        replaced: the folder held data before, now replaced.
        served: a server was serving the folder (it must be restarted to serve the backup).
        removed: what was removed from the folder: older snapshots, derived state (the result
            cache, dumps).
    """

    manifest: BackupManifest
    data_dir: Path
    replaced: bool
    served: bool
    removed: list[str]


def backup(data_dir: Path, target: Path) -> BackupManifest:
    """Copy a data folder's log and snapshot into ``target`` (new, or empty); a server may run.

    Raises:
        UsageError: ``data_dir`` is no data folder, or ``target`` is not empty.
    """
    if not (data_dir / LOG_FILE).is_file():
        raise UsageError(f"no data folder at {data_dir} (no {LOG_FILE})")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not an empty folder; a backup goes into a new one")
    target.mkdir(parents=True, exist_ok=True)
    store = DurableStore(data_dir)  # the log only: nothing is loaded
    try:
        with store.writing():
            snapshot = store.meta("snapshot")
            if snapshot is None:
                raise UsageError(f"the data folder {data_dir} has no snapshot yet")
            head, source_digest = store.log_head(), store.meta("source_digest") or ""
            copy_log(store.conn, target / LOG_FILE)
            shutil.copyfile(data_dir / snapshot, target / snapshot)
    finally:
        store.close()
    manifest = BackupManifest(
        head=head,
        snapshot=snapshot,
        source_digest=source_digest,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        files={name: sha256(target / name) for name in (LOG_FILE, snapshot)},
    )
    tmp = target / f"{MANIFEST}.tmp"
    tmp.write_text(manifest.to_json(), encoding="utf-8")
    os.replace(tmp, target / MANIFEST)  # last: a folder with a manifest is a whole backup
    return manifest


def restore(source: Path, data_dir: Path, *, force: bool = False) -> Restored:
    """Bring the backup in ``source`` back into ``data_dir``.

    A new or empty folder is simply filled. A folder that holds data is replaced only with
    ``force``; so is one a running server serves (which then needs a restart: its workers
    keep the data they hold). Either way the write lock is held while files are replaced.

    Raises:
        UsageError: ``source`` is no backup or is damaged (a digest differs), or ``data_dir``
            holds data (or is served) and ``force`` is not set.
    """
    manifest = BackupManifest.read(source)
    for name, digest in manifest.files.items():
        if not (source / name).is_file() or sha256(source / name) != digest:
            raise UsageError(f"the backup in {source} is damaged: {name} is missing or changed")
    served = is_served(data_dir)
    replaced = (data_dir / LOG_FILE).is_file()
    if (served or replaced) and not force:
        what = "a running server serves it" if served else "it holds data"
        raise UsageError(
            f"not restoring into {data_dir}: {what}; nothing was changed",
            hint="Restore into a new folder and serve that, or give --force to replace the "
            "folder's data" + (" (then restart the server)" if served else ""),
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    store = DurableStore(data_dir)
    removed: list[str] = []
    try:
        with store.writing():
            # The snapshot first: until the log names it, it is one more file.
            tmp = data_dir / f"{manifest.snapshot}.tmp"
            shutil.copyfile(source / manifest.snapshot, tmp)
            os.replace(tmp, data_dir / manifest.snapshot)
            with sqlite3.connect(source / LOG_FILE) as backed_up:
                backed_up.backup(store.conn)
            backed_up.close()
            store.conn.execute("PRAGMA journal_mode=WAL")
            for path in sorted(data_dir.iterdir()):
                if path.name.startswith("snapshot-") and path.name != manifest.snapshot:
                    path.unlink()
                    removed.append(path.name)
                elif path.is_dir():  # derived from the data (cache, dumps), made anew
                    shutil.rmtree(path)
                    removed.append(f"{path.name}/")
    finally:
        store.close()
    return Restored(manifest, data_dir, replaced, served, removed)


def copy_log(conn: sqlite3.Connection, target: Path) -> None:
    """Copy a change log, consistently, into a new single-file database at ``target``."""
    with sqlite3.connect(target) as copy:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    copy.close()


def sha256(path: Path) -> str:
    """A file's SHA-256, hex."""
    h = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


__all__ = ["MANIFEST", "BackupManifest", "Restored", "backup", "copy_log", "restore", "sha256"]
