"""The store interface every backend implements.

A store holds a dataset (a default graph and named graphs) and answers SPARQL. The interface
is small on purpose (STYLE habit 5): callers ask a store what it can do through its capability
flags instead of checking its class.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import pyoxigraph as ox

QueryResult = ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean
"""What a query returns: solutions (SELECT), triples (CONSTRUCT, DESCRIBE) or a boolean (ASK)."""


class Store(ABC):
    """A dataset that answers SPARQL.

    Class attributes are capability flags:

    Attributes:
        name: the backend's registry name.
        supports_update: SPARQL Update and :meth:`add` work.
        supports_dataset: ``default_graph``/``named_graphs`` arguments of :meth:`query` work.
    """

    name: ClassVar[str]
    supports_update: ClassVar[bool] = False
    supports_dataset: ClassVar[bool] = False

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        union_default: bool = True,
    ) -> QueryResult:
        """Run a SPARQL query.

        Without ``default_graph`` the default graph is the union of every graph of the
        dataset (the store's default graph and all named graphs); ``GRAPH ?g`` ranges over the
        named graphs. With ``default_graph`` (IRIs of named graphs, ``""`` for the store's own
        default graph), the query's default graph is their merge. ``union_default=False``
        lets the query's own FROM / FROM NAMED clauses define its dataset.

        Raises:
            SparqlSyntaxError: with line and column when the query does not parse.
        """

    def select(self, sparql: str, **options: Any) -> ox.QuerySolutions:
        """Run a SELECT query (same options as :meth:`query`); its solutions, typed.

        Raises:
            TypeError: for a query that is not a SELECT.
        """
        result = self.query(sparql, **options)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() takes a SELECT query")
        return result

    @abstractmethod
    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads (the graph of each is part of the quad)."""

    @abstractmethod
    def quads(self, *, graph: str | None = None) -> Iterable[ox.Quad]:
        """Every quad of the dataset, or of one graph (``""`` for the default graph)."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """The named graphs, sorted."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads in the dataset."""

    @property
    @abstractmethod
    def version(self) -> str:
        """A token that changes whenever the data changes (for ETags and caches)."""
