"""Store backends, looked up by name (STYLE habit 4).

>>> open_store("oxigraph").name
'oxigraph'
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import UnknownNameError
from .base import QueryResult, Store
from .oxigraph import OxigraphStore

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
