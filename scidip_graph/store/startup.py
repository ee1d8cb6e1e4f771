"""Getting a data folder ready to serve: first start, restarts, changed source data.

On first start the source data (the bundled ``data/`` by default) is parsed, validated against
the shapes, and written as the folder's first snapshot; data that does not conform is refused
unless ``allow_invalid`` is set. Later starts load the snapshot and the change log, and fold
the log into a new snapshot when more than :data:`COMPACT_AFTER` changesets follow the recorded
one (``scidip-graph compact`` does it on demand, while a server runs). When the source files
changed and nothing was written through the server since, the folder is rebuilt from them;
when both changed, the folder is kept and a warning says so.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import importlib.metadata
import logging
import os
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from scidip_graph.errors import NotConformingError, UsageError
from scidip_graph.ingest.loading import LoadedSources, bundled_files, load_sources
from scidip_graph.ingest.screen import version as screen_version
from scidip_graph.resources import ONTOLOGY_DIR
from scidip_graph.settings import Settings
from scidip_graph.store.durable import DurableStore, digest_files, open_durable

log = logging.getLogger("scidip_graph.store.startup")

SERVING_LOCK = "serving.lock"
"""Locked (shared) by every process that serves the data folder, for as long as it serves it:
what ``scidip-graph restore`` asks before it replaces a folder's data."""

_served: dict[Path, IO[str]] = {}

COMPACT_AFTER = 500
"""Changesets past the recorded snapshot above which a start writes a new one: every process
that opens the folder (a start, ``scidip-graph load``) replays them all."""


def prepare_store(settings: Settings) -> DurableStore:
    """Open (and if needed build) the durable store of ``settings.data_dir``.

    Raises:
        NotConformingError: the source data does not conform and ``allow_invalid`` is off.
        DataSyntaxError: a source file does not parse.
        UsageError: the source folder has no data.
    """
    store = open_durable(settings.data_dir)
    files = bundled_files(settings.source_dir) if settings.source_dir.is_dir() else []
    if not files:
        if store.meta("snapshot") is not None:
            return store
        raise UsageError(f"no RDF files in {settings.source_dir} to start from")
    digest = digest_files(files)
    recorded = store.meta("source_digest")
    if recorded == digest:
        _compact_if_long(store)
        log.info(
            "data folder %s: snapshot at changeset %d, %d quads",
            settings.data_dir,
            store.head,
            len(store),
        )
        return store
    if recorded is not None:
        if store.changesets(since=0):
            log.warning(
                "the source data in %s changed, but the data folder %s holds writes; "
                "keeping the data folder",
                settings.source_dir,
                settings.data_dir,
            )
            _compact_if_long(store)
            return store
        log.info("the source data changed: rebuilding %s", settings.data_dir)
    _build(store, settings, files, digest)
    return store


def _compact_if_long(store: DurableStore) -> None:
    behind = store.head - int(store.meta("snapshot_head") or 0)
    if behind > COMPACT_AFTER:
        done = store.compact()
        name = done.snapshot.name if done.snapshot else "-"
        log.info("folded %d changesets into %s", done.folded, name)


def _build(store: DurableStore, settings: Settings, files: list[Path], digest: str) -> None:
    sources = load_sources(files)
    check_sources(settings, sources, files, digest)
    store.rebuild(sources.quads, source_digest=digest)
    log.info(
        "data folder %s built from %d files: %d quads", settings.data_dir, len(files), len(store)
    )


def check_sources(
    settings: Settings, sources: LoadedSources, files: list[Path], digest: str
) -> None:
    """Validate the source data a new store starts from (the embedded store's data folder,
    an empty remote store), unless the same data conformed to the same shapes before.

    Raises:
        NotConformingError: the data does not conform and ``allow_invalid`` is off.
    """
    verdict = _verdict_path(digest)
    if settings.validate and verdict is not None and verdict.is_file():
        log.info("the same data conformed to the same shapes before (%s)", verdict)
    elif settings.validate:
        from scidip_graph.ingest.gate import check_all, whole_reason

        how = whole_reason() or "screened by the shacl package"
        log.info("validating %d files against the shapes (%s)", len(files), how)
        data = ox.Store()
        data.extend(sources.quads)
        report = check_all(data, origins=sources.origins)
        if report.conforms and verdict is not None:
            try:
                verdict.parent.mkdir(parents=True, exist_ok=True)
                verdict.write_text(f"{len(files)} files conform\n", encoding="utf-8")
            except OSError:
                pass  # a cache, nothing more
        if not report.conforms:
            if not settings.allow_invalid:
                raise NotConformingError(
                    f"the data in {settings.source_dir} does not conform to the shapes "
                    f"({len(report.violations())} violations):\n{report.text()}",
                    report=report,
                )
            log.error(
                "serving data that does not conform (%d violations)", len(report.violations())
            )


def _verdict_path(digest: str) -> Path | None:
    """Where the verdict "these files conform to these shapes" is kept, or None (no cache).

    A full validation of the bundled data takes seconds (a minute without the screen); every new
    data folder built from the same files, shapes and validators would repeat it. The key is a
    digest of all three (pyshacl's version and the screen's), so a change to any of them
    validates again. The cache is the user's (``XDG_CACHE_HOME``, else
    ``~/.cache``); ``SCIDIP_VALIDATION_CACHE=off`` turns it off.
    """
    if os.environ.get("SCIDIP_VALIDATION_CACHE", "").lower() in ("off", "0", "no"):
        return None
    h = hashlib.sha256(digest.encode())
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(importlib.metadata.version("pyshacl").encode())
    h.update(f"screen {screen_version()}".encode())  # the shacl package, or None without it
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "scidip-graph" / "conforms" / h.hexdigest()


def mark_served(data_dir: Path) -> None:
    """Hold ``data_dir``'s serving lock until this process (and the workers it forks) ends."""
    key = data_dir.resolve()
    if key not in _served:
        handle = (data_dir / SERVING_LOCK).open("a")
        fcntl.flock(handle, fcntl.LOCK_SH)
        _served[key] = handle
        atexit.register(handle.close)  # closed, not collected, at exit


def is_served(data_dir: Path) -> bool:
    """Whether a running server (a process that called :func:`mark_served`) serves ``data_dir``."""
    path = data_dir / SERVING_LOCK
    if not path.is_file():
        return False
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False
