"""Stores: the interface every backend implements, and the backends, looked up by name.

``base`` (the Store interface and its capability flags), ``oxigraph`` (pyoxigraph in memory),
``durable`` (the embedded store made durable by a SQLite change log), ``startup`` (getting a
data folder ready to serve), ``remote`` (an external SPARQL 1.1 store, with ``client``, its
HTTP client, ``remote_view``, ``skolem`` and ``seeding``, its first load). May import: ingest
and the rooms below it.

:data:`BACKENDS` is the one table of backends: ``SCIDIP_STORE`` picks the one the server
serves (:func:`serve_store`), and the Python API loads files into a new store of one
(:func:`open_store`).

>>> open_store("embedded").name
'embedded'
>>> open_store("nope")
Traceback (most recent call last):
...
scidip_graph.errors.UnknownNameError: unknown store backend 'nope'; valid names: embedded, sparql
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scidip_graph.errors import UnknownNameError, UsageError
from scidip_graph.settings import Settings
from scidip_graph.store.base import QueryResult, Store
from scidip_graph.store.oxigraph import OxigraphStore


@dataclass(frozen=True)
class Backend:
    """How to get the stores of one backend.

    Attributes:
        new: an empty store in this process, to load files into (the Python API, the CLI);
            None for a backend whose stores live elsewhere.
        serve: the store the server serves, opened (on first start, built) from the settings.
    """

    new: Callable[[], Store] | None
    serve: Callable[[Settings], Store]


def _serve_embedded(settings: Settings) -> Store:
    from scidip_graph.store.startup import mark_served, prepare_store  # validation: serving

    store = prepare_store(settings)
    mark_served(settings.data_dir)  # restore refuses to replace a served folder's data
    return store


def _serve_remote(settings: Settings) -> Store:
    from scidip_graph.store.seeding import serve_remote  # validation: serving

    return serve_remote(settings)


BACKENDS: dict[str, Backend] = {
    "embedded": Backend(new=OxigraphStore, serve=_serve_embedded),
    "sparql": Backend(new=None, serve=_serve_remote),
}
"""Every store backend by name; its stores' ``name`` is that name."""


def backend(name: str) -> Backend:
    """The backend registered as ``name``.

    Raises:
        UnknownNameError: listing the backends when ``name`` is not one.
    """
    try:
        return BACKENDS[name]
    except KeyError:
        raise UnknownNameError("store backend", name, sorted(BACKENDS)) from None


def open_store(name: str = "embedded") -> Store:
    """A new, empty store of the named backend.

    Raises:
        UnknownNameError: listing the backends when ``name`` is not one.
        UsageError: the backend's stores live elsewhere (``sparql``): it has no new one here.
    """
    new = backend(name).new
    if new is None:
        raise UsageError(
            f"the {name} store backend serves an external store; it makes no new store here",
            hint="Serve it with SCIDIP_STORE and its settings (scidip-graph serve).",
        )
    return new()


def served_backend(settings: Settings) -> Backend:
    """The backend the server serves: the one ``settings.store`` (``SCIDIP_STORE``) names.

    Raises:
        UnknownNameError: listing the backends when the setting names none of them.
    """
    try:
        return backend(settings.store)
    except UnknownNameError as err:
        err.hint = "SCIDIP_STORE (or serve --store) names the store backend"
        raise


def serve_store(settings: Settings) -> Store:
    """The store the server serves, opened from the settings by :func:`served_backend`.

    Raises:
        UnknownNameError: listing the backends when ``SCIDIP_STORE`` names none of them.
        NotConformingError, DataSyntaxError, UsageError: as the backend's opening raises them.
    """
    return served_backend(settings).serve(settings)


__all__ = [
    "BACKENDS",
    "Backend",
    "OxigraphStore",
    "QueryResult",
    "Store",
    "backend",
    "open_store",
    "serve_store",
    "served_backend",
]
