"""The dataset of a remote store read by pattern: what a write's SHACL gate reads there.

The gate (:mod:`scidip_graph.ingest.gate`) and the reading of ``INSERT DATA``/``DELETE DATA``
(:mod:`scidip_graph.sparql.quad_data`) look the data up by pattern, many times per write and
mostly around a few subjects. One query per lookup would cost a round trip each; so a lookup
with its subject known fetches everything about that subject once (one query, all graphs) and
answers every later lookup on it from memory, and any other pattern is one query, kept too.
A view belongs to one data version (the store hands out a new one when the version changes),
so what it keeps is never stale for the write that reads it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from scidip_graph.store.oxigraph import OWN_DEFAULT
from scidip_graph.store.skolem import skolem_term, unskolem_term

if TYPE_CHECKING:
    from scidip_graph.store.remote import RemoteStore

_VARIABLES = ("?s", "?p", "?o")


class RemoteView:
    """The logical dataset of a :class:`~.remote.RemoteStore`, read by pattern (a
    :class:`~scidip_graph.ingest.views.QuadSource`): its own default graph as ``DefaultGraph``,
    the named graphs as they are, blank nodes as blank nodes."""

    def __init__(self, store: RemoteStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._found: dict[tuple[object, object, object], list[ox.Quad]] = {}

    def quads_for_pattern(
        self,
        subject: Any,
        predicate: Any,
        object: Any,
        graph_name: Any = None,
        /,
    ) -> Iterator[ox.Quad]:
        """The quads of the dataset that match (None: any; ``graph_name`` None: every graph)."""
        if isinstance(graph_name, ox.NamedNode) and graph_name == OWN_DEFAULT:
            return iter(())  # the bookkeeping graphs are no graphs of the dataset
        if subject is not None:
            found = self._about(subject)
            pattern = (None, predicate, object)
        else:
            found = self._matching(predicate, object)
            pattern = (None, None, None)
        return (
            q
            for q in found
            if (pattern[1] is None or q.predicate == pattern[1])
            and (pattern[2] is None or q.object == pattern[2])
            and (graph_name is None or q.graph_name == graph_name)
        )

    def __contains__(self, quad: ox.Quad) -> bool:
        found = self.quads_for_pattern(quad.subject, quad.predicate, quad.object, quad.graph_name)
        return next(found, None) is not None

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self._store.quads())

    def __len__(self) -> int:
        return len(self._store)

    def _about(self, subject: object) -> list[ox.Quad]:
        return self._cached((subject, None, None))

    def _matching(self, predicate: object, object: object) -> list[ox.Quad]:
        return self._cached((None, predicate, object))

    def _cached(self, pattern: tuple[object, object, object]) -> list[ox.Quad]:
        with self._lock:
            if pattern in self._found:
                return self._found[pattern]
        found = self._fetch(*pattern)
        with self._lock:
            return self._found.setdefault(pattern, found)

    def _fetch(self, subject: object, predicate: object, object: object) -> list[ox.Quad]:
        terms = [
            str(skolem_term(term)) if term is not None else variable
            for term, variable in zip((subject, predicate, object), _VARIABLES, strict=True)
        ]
        graphs = [OWN_DEFAULT.value, *self._store.graph_names()]
        rows = self._store.raw_select(
            f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ {' '.join(terms)} }} "
            + "".join(
                f"BIND({term} AS {variable}) "
                for term, variable in zip(terms, _VARIABLES, strict=True)
                if term != variable
            )
            + "}",
            dataset=[("named-graph-uri", g) for g in graphs],
        )
        found = []
        for row in rows:
            graph = row["g"]
            found.append(
                ox.Quad(
                    unskolem_term(row["s"]),
                    row["p"],
                    unskolem_term(row["o"]),
                    ox.DefaultGraph() if graph == OWN_DEFAULT else graph,
                )
            )
        return found
