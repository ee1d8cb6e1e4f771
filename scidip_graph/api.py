"""The knowledge graph as a Python object: a store loaded with the bundled data.

>>> import scidip_graph
>>> kg = scidip_graph.open()                      # doctest: +SKIP
>>> kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # doctest: +SKIP
[{'n': 1234}]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from scidip_graph.ingest.loading import LoadedSources, load_sources
from scidip_graph.store import QueryResult, Store, open_store


@dataclass
class Stats:
    """Counts that describe the dataset.

    Attributes:
        statements: quads in the store (all graphs).
        graphs: triples per named graph (``""`` is the default graph).
        classes: instances per class (in the union of all graphs), largest first.
    """

    statements: int
    graphs: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)


@dataclass
class KnowledgeGraph:
    """A store and the sources it was loaded from.

    Attributes:
        store: the store answering queries.
        sources: the parsed files (None when the store was filled another way).
    """

    store: Store
    sources: LoadedSources | None = None

    def query(self, sparql: str, **options: Any) -> QueryResult:
        """Run a SPARQL query; the default graph is the union of all graphs."""
        return self.store.query(sparql, **options)

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """Run a SELECT query and return rows of Python values (str, int, float, bool).

        IRIs and blank nodes come back as their string value; unbound variables are absent.
        """
        result = self.store.select(sparql)
        names = [v.value for v in result.variables]
        return [{n: python_value(s[n]) for n in names if s[n] is not None} for s in result]

    def stats(self) -> Stats:
        """Triples per graph and instances per class."""
        graphs = {
            "": _count(self.store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_only=True)
        }
        for row in self.store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        ):
            graphs[row["g"].value] = int(row["n"].value)
        classes = {
            row["c"].value: int(row["n"].value)
            for row in self.store.select(
                "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } "
                "GROUP BY ?c ORDER BY DESC(?n) ?c"
            )
        }
        return Stats(statements=len(self.store), graphs=graphs, classes=classes)


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if datatype in ("decimal", "double", "float"):
            return float(term.value)
        if datatype == "boolean":
            return term.value in ("true", "1")
        return term.value
    return term.value


def _count(store: Store, sparql: str, *, default_only: bool = False) -> int:
    rows = list(store.select(sparql, default_graph=[""] if default_only else None))
    return int(rows[0]["n"].value) if rows else 0


def open_graph(
    paths: Iterable[Path | str] | None = None, *, store: str = "oxigraph"
) -> KnowledgeGraph:
    """Load files (the bundled ``data/`` by default) into a new store.

    Args:
        paths: files or folders to load instead of the bundled data.
        store: the store backend's name.

    Raises:
        DataSyntaxError: when a file does not parse (file, line and column).
    """
    sources = load_sources(paths)
    backend = open_store(store)
    backend.add(sources.quads)
    return KnowledgeGraph(backend, sources)
