"""Getting a data folder ready to serve: first start, restarts, changed source data.

On first start the source data (the bundled ``data/`` by default) is parsed, validated against
the shapes, and written as the folder's first snapshot; data that does not conform is refused
unless ``allow_invalid`` is set. Later starts load the snapshot and the change log. When the
source files changed and nothing was written through the server since, the folder is rebuilt
from them; when both changed, the folder is kept and a warning says so.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scidip_graph.errors import NotConformingError, UsageError
from scidip_graph.ingest.loading import bundled_files, load_sources
from scidip_graph.settings import Settings
from scidip_graph.store.durable import DurableStore, digest_files, open_durable

log = logging.getLogger("scidip_graph.store.startup")


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
            return store
        log.info("the source data changed: rebuilding %s", settings.data_dir)
    _build(store, settings, files, digest)
    return store


def _build(store: DurableStore, settings: Settings, files: list[Path], digest: str) -> None:
    sources = load_sources(files)
    if settings.validate:
        from scidip_graph.ingest.validation import validate

        log.info("validating %d files against the shapes", len(files))
        report = validate(sources.to_rdflib(), origins=sources.origins)
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
    store.rebuild(sources.quads, source_digest=digest)
    log.info(
        "data folder %s built from %d files: %d quads", settings.data_dir, len(files), len(store)
    )
