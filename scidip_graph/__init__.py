"""scidip-graph: an open knowledge graph of science diplomacy, and the server that publishes it.

>>> import scidip_graph
>>> kg = scidip_graph.open()  # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .knowledge_graph import KnowledgeGraph, open_graph

try:
    __version__ = version("scidip-graph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

# `scidip_graph.open()` reads as the notebook use it serves.
open = open_graph

__all__ = ["KnowledgeGraph", "__version__", "open", "open_graph"]
