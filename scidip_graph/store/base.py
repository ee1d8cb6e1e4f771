"""The store interface every backend implements.

A store holds a dataset (a default graph and named graphs) and answers SPARQL. The interface
is small on purpose (STYLE habit 5): callers ask a store what it can do through its capability
flags instead of checking its class, and call what every store has (:meth:`Store.refresh`,
:meth:`Store.confirm_version`, :attr:`Store.data_dir`, :meth:`Store.last_modified`,
:attr:`Store.version`) instead of probing for it; where a backend has nothing to do, the base
class's default does nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pyoxigraph as ox

from scidip_graph.errors import UnsupportedOperationError

if TYPE_CHECKING:
    from scidip_graph.ingest.views import QuadSource
    from scidip_graph.store.durable import Changeset
    from scidip_graph.store.history import ChangeSummary

QueryResult = ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean
"""What a query returns: solutions (SELECT), triples (CONSTRUCT, DESCRIBE) or a boolean (ASK)."""


class Store(ABC):
    """A dataset that answers SPARQL.

    Class attributes are capability flags:

    Attributes:
        name: the backend's registry name (what ``SCIDIP_STORE`` calls it).
        writable: :meth:`commit` records changes (the durable embedded store); every write
            path needs it (SPARQL Update, the Graph Store Protocol, loads), and ``/-/health``
            reports it. The one write flag: SPARQL Update runs on a scratch copy of the data,
            never on the store, so no flag says whether a store runs updates itself.
        supports_dataset: the ``default_graph``/``named_graphs``/``union_default`` arguments
            of :meth:`query` work, so requests may choose their dataset (``default-graph-uri``,
            ``named-graph-uri``, ``FROM``).
        supports_timeout: :meth:`query` takes the query's time limit to the store (``timeout``),
            which stops the query there too where it can; elsewhere the runner's limit alone
            stops it (the embedded store: its worker is replaced).
        evaluates_in_process: the query engine runs in this process (pyoxigraph), so a query
            that sorts runs in a forked child, the worker's sorting helper (the engine's sort
            may abort the process); a remote store sorts in its own process, and nothing is
            forked for it.
        data_dir: the folder where the store keeps its state, and where the server keeps what
            it derives from it (result cache, dumps); None for a store that has none.
    """

    name: ClassVar[str]
    supports_dataset: ClassVar[bool] = False
    supports_timeout: ClassVar[bool] = False
    evaluates_in_process: ClassVar[bool] = True
    writable: ClassVar[bool] = False
    data_dir: Path | None = None

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        union_default: bool = True,
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query.

        Without ``default_graph`` the default graph is the union of every graph of the
        dataset (the store's default graph and all named graphs); ``GRAPH ?g`` ranges over the
        named graphs. With ``default_graph`` (IRIs of named graphs, ``""`` for the store's own
        default graph), the query's default graph is their merge. ``union_default=False``
        lets the query's own FROM / FROM NAMED clauses define its dataset. An IRI that names
        no graph of the dataset is an empty graph: nothing is ever fetched. ``base_iri`` is
        what relative IRIs resolve against before any ``BASE`` (without it they are an error).
        ``timeout`` is the query's time limit in seconds, for a store that ``supports_timeout``
        (others ignore it).

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

    def refresh(self) -> int:
        """Catch up with changes made elsewhere; returns how many were applied.

        The server calls it before each request (another process may have written), so it
        must be cheap when nothing changed. By default there is nothing to catch up with.
        """
        return 0

    def refresh_lazily(self) -> None:
        """Before a request: :meth:`refresh`, where that is cheap (the default).

        A store whose version costs a round trip to another server to read (the remote
        store) only notes here that its :attr:`version` may be behind; what needs it current
        (a conditional request, a cached answer, what is derived per version) calls
        :meth:`confirm_version`, and a query's answer, read from the store itself, does not
        wait for it.
        """
        self.refresh()

    @property
    def version_confirmed(self) -> bool:
        """Whether :attr:`version` was read from the data since the request began: always,
        where :meth:`refresh_lazily` refreshes. An unconfirmed version is never newer than the
        data a query reads next, only possibly older."""
        return True

    def confirm_version(self) -> str:
        """The data version, read now unless it was since the request began."""
        if not self.version_confirmed:
            self.refresh()
        return self.version

    def last_modified(self) -> str | None:
        """When the data was last changed through the store (ISO 8601), or None.

        None when it has not changed since it was loaded: the sources' own dates then tell.

        >>> from scidip_graph.store import open_store
        >>> open_store().last_modified() is None
        True
        """
        return None

    def view(self) -> QuadSource:
        """The dataset as it is, read by pattern: what a write's SHACL gate and its
        ``dct:modified`` stamps read (``""``/``DefaultGraph`` is the dataset's default graph).

        A store that holds its data in pyoxigraph gives a read-only view of it, without a copy:
        it follows the data, so a writer reads it under :meth:`writing`, before its commit. By
        default: a copy (:func:`copy_dataset`).
        """
        return copy_dataset(self)

    def describe(self) -> dict[str, str]:
        """Where the store is, for ``/-/health`` (never a credential). By default: nothing."""
        return {}

    def limitations(self) -> dict[str, str]:
        """What this store does otherwise than the embedded one: each feature with the reason
        (the service description lists them). By default: nothing.

        >>> from scidip_graph.store import open_store
        >>> open_store().limitations()
        {}
        """
        return {}

    def close(self) -> None:
        """Close what this process holds open for the store (files, connections); the store
        opens them again when it next needs them.

        The server's master calls it before it forks each worker, so no open file or
        connection is shared with a worker. By default there is nothing to close.
        """
        return None

    def writing(self) -> AbstractContextManager[object]:
        """Hold the store's write lock (every process's): writers take turns.

        A writer holds it from catching up with the log to its commit, so it computes its
        change on the state it commits onto. A store that cannot be written has no lock.
        """
        return nullcontext()

    def commit(
        self,
        *,
        added: Iterable[ox.Quad] = (),
        removed: Iterable[ox.Quad] = (),
        author: str,
        message: str = "",
    ) -> Changeset:
        """Record a change and apply it; returns the changeset once it is durable.

        The caller validates the would-be state first (the SHACL gate).

        Raises:
            UnsupportedOperationError: the store cannot be written (the default).
        """
        raise UnsupportedOperationError(
            f"the {self.name} store cannot be written",
            hint="Serve a data folder with the embedded store to accept writes.",
        )

    def changes(
        self,
        *,
        before: int | None = None,
        after: int = 0,
        limit: int = 50,
        about: str | None = None,
    ) -> list[ChangeSummary]:
        """The writes committed to the store, newest first, without their quads: ids below
        ``before`` and above ``after``, at most ``limit``, those that touched the resource
        ``about`` when given. A store without a change log has none (the default).
        """
        return []

    def changeset(self, id: int) -> Changeset | None:
        """One committed write with its quads; None when there is no such change (always,
        by default: a store without a change log)."""
        return None

    def logged_messages(self, prefix: str) -> list[str]:
        """The change log's messages that start with ``prefix``, oldest first: how a load in
        batches finds the batches an earlier run committed (none, by default: a store without
        a change log)."""
        return []


def copy_dataset(store: Store) -> ox.Store:
    """A scratch pyoxigraph store holding ``store``'s dataset as it is (its own default graph as
    the default graph): what a SPARQL update the engine must run is run on.

    Costs time in the dataset's size: about 7 microseconds a quad.
    """
    scratch = ox.Store()
    scratch.extend(store.quads())
    return scratch
