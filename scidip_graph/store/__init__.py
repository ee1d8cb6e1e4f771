"""Stores: the interface every backend implements, and the backends, looked up by name.

``base`` (the Store interface and its capability flags), ``oxigraph`` (pyoxigraph in memory),
``durable`` (the embedded store made durable by a SQLite change log), ``startup`` (getting a
data folder ready to serve). May import: ingest and the rooms below it.

>>> open_store("oxigraph").name
'oxigraph'
"""

from __future__ import annotations

from collections.abc import Callable

from scidip_graph.errors import UnknownNameError
from scidip_graph.store.base import QueryResult, Store
from scidip_graph.store.oxigraph import OxigraphStore

BACKENDS: dict[str, Callable[[], Store]] = {
    "oxigraph": OxigraphStore,
}


def open_store(name: str = "oxigraph") -> Store:
    """A new, empty store of the named backend.

    Raises:
        UnknownNameError: listing the backends when ``name`` is not one.
    """
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise UnknownNameError("store backend", name, sorted(BACKENDS)) from None
    return factory()


__all__ = ["BACKENDS", "OxigraphStore", "QueryResult", "Store", "open_store"]
