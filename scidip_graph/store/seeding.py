"""Getting a remote store ready to serve: on first start, the source data loaded through the gate.

A store that holds our data version (:data:`~.remote.VERSION` in the system graph) is served as
it is, whatever the source files now say: it may hold writes, and other app instances serve
it too. A store without one is loaded from the source data (the bundled ``data/`` by default),
validated against the shapes first exactly as for a new data folder
(:func:`~.startup.check_sources`). The data version is written last, so a load that was
interrupted leaves no version: the next start sees its graphs (listed in the system graph as
it goes), drops them and loads again. A store that holds data of its own, outside the graphs
it reserves for itself, is refused rather than mixed with ours.
"""

from __future__ import annotations

import logging

from scidip_graph.errors import UsageError
from scidip_graph.ingest.loading import bundled_files, load_sources
from scidip_graph.settings import Settings
from scidip_graph.store.durable import digest_files
from scidip_graph.store.oxigraph import OWN_DEFAULT
from scidip_graph.store.remote import DATASET, HAS_GRAPH, SYSTEM, UNION, RemoteStore
from scidip_graph.store.startup import check_sources

log = logging.getLogger("scidip_graph.store.seeding")

STORE_SYSTEM_GRAPHS = (
    "urn:x-scidip:",
    "http://www.openlinksw.com/",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/",
    "http://localhost:8890/",
)
"""Graphs a store keeps for itself (Virtuoso's, ours): not data that is already there."""


def serve_remote(settings: Settings) -> RemoteStore:
    """The remote store ``SCIDIP_STORE_*`` name, loaded from the source data if it was empty.

    Raises:
        UsageError: no query endpoint is set; the store holds other data; no source files.
        UpstreamError: the store cannot be reached or refuses the load.
        NotConformingError, DataSyntaxError: as a new data folder's sources raise them.
    """
    store = RemoteStore.from_settings(settings)
    if store.version:
        log.info(
            "%s: data version %s, %d quads",
            store.client.endpoints.display,
            store.version,
            len(store),
        )
        return store
    _drop_unfinished(store)
    if _holds_other_data(store):
        raise UsageError(
            f"the store at {store.client.endpoints.display} holds data this server did not "
            "load (no scidip data version in it)",
            hint="Point SCIDIP_STORE_QUERY_URL at an empty store (the source data is loaded "
            "into it on first start), or at one this server loaded before.",
        )
    files = bundled_files(settings.source_dir) if settings.source_dir.is_dir() else []
    if not files:
        raise UsageError(f"no RDF files in {settings.source_dir} to load into the empty store")
    sources = load_sources(files)
    digest = digest_files(files)
    check_sources(settings, sources, files, digest)
    store.add(sources.quads)  # the version, written last, says the load is whole
    log.info(
        "%s loaded from %d files: %d quads",
        store.client.endpoints.display,
        len(files),
        len(store),
    )
    return store


def _drop_unfinished(store: RemoteStore) -> None:
    """Drop what an interrupted load left (its graphs are listed in the system graph)."""
    rows = store.raw_select(f"SELECT ?g WHERE {{ GRAPH {SYSTEM} {{ {DATASET} {HAS_GRAPH} ?g }} }}")
    graphs = sorted({row["g"].value for row in rows})
    if not graphs:
        return
    log.warning("dropping %d graphs of an interrupted load", len(graphs))
    bookkeeping = [UNION.value, OWN_DEFAULT.value, SYSTEM.value]  # the system graph last
    drops = [f"DROP SILENT GRAPH <{g}>" for g in [*graphs, *bookkeeping]]
    store.client.update(" ; ".join(drops))


def _holds_other_data(store: RemoteStore) -> bool:
    skip = " && ".join(f'!STRSTARTS(STR(?g), "{prefix}")' for prefix in STORE_SYSTEM_GRAPHS)
    answer = store.raw_select(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({skip}) }} LIMIT 1"
    )
    return any(True for _ in answer)
