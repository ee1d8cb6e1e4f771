"""scidip-graph: an open knowledge graph of science diplomacy, and the server that publishes it.

>>> import scidip_graph
>>> kg = scidip_graph.open()  # doctest: +SKIP
"""

from __future__ import annotations

from scidip_graph.api import KnowledgeGraph, open_graph
from scidip_graph.version import __version__

# `scidip_graph.open()` reads as the notebook use it serves.
open = open_graph

__all__ = ["KnowledgeGraph", "__version__", "open", "open_graph"]
