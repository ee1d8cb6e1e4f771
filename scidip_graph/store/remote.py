"""The remote store: any SPARQL 1.1 Query + Update server (Oxigraph server, Virtuoso, ...).

The app keeps nothing of its own: the data, the data version, the change log and the list of
graphs are all in the store, so several app instances can serve one store. What the store
holds, beside the dataset's named graphs as they are:

- ``<urn:x-scidip:own-default-graph>``: the dataset's own default graph (the descriptions of
  the sources), as in the embedded store;
- ``<urn:x-scidip:union>``: the union, every distinct triple of every graph once. A query's
  default graph is the RDF merge of all graphs, a set; naming every graph in
  ``default-graph-uri`` instead repeats a triple once per graph that states it (on Oxigraph
  server as in pyoxigraph), which would make every COUNT over shared facts wrong. Writes keep
  it exact. The price is space: each triple is kept twice.
- ``<urn:x-scidip:system>``: the data version, the graphs of the dataset, and the change log
  (one resource per changeset: when, who, the update text, the quads added and removed as
  N-Quads), written by the same update as the change itself.

Blank nodes are kept there as skolem IRIs (:mod:`.skolem`) and read back as blank nodes.

Every query names its dataset with the protocol's ``default-graph-uri`` (the union, or the
graphs the request chose) and ``named-graph-uri`` (the dataset's named graphs, when the query
says ``GRAPH``), so the store's own graphs (Virtuoso's system graphs) are never seen.

**Writes** are checked here before the store sees them (the SHACL gate reads the would-be
state through :class:`~.remote_view.RemoteView`), then sent as one update whose ``WHERE``
matches only while the data version is still the one the change was computed on: a
compare-and-set. Another instance that wrote in between makes it change nothing, and the
writer gets a 409. A store that applies one update atomically (Oxigraph server, Virtuoso) thus
never holds half a write, nor a write checked against a state that is gone.

**The data version** costs a query to read, so it is not read before every request
(:meth:`RemoteStore.refresh_lazily`). A query's answer comes from the store itself, current
whatever the version this instance last read; that version labels it, and is never newer than
the data the answer was read from (versions never repeat, and a write changes the data and
the version in one update). So a label can only be too old, which costs a client a full
answer it could have had as a 304, and is why such a label is a weak ETag. What must be
current reads the version first (:meth:`~.base.Store.confirm_version`): a conditional
request, a cached answer (served only when the version it was computed at is still the
store's), and everything derived once per version (the graph list, the count, the view).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from scidip_graph.errors import ConflictError, UpstreamError, UsageError
from scidip_graph.namespaces import XSD
from scidip_graph.rdf.formats import get_format
from scidip_graph.store.base import QueryResult, Store
from scidip_graph.store.client import Endpoints, SparqlClient
from scidip_graph.store.oxigraph import OWN_DEFAULT, sparql_syntax_error
from scidip_graph.store.remote_results import (
    boolean_from_row,
    parse_graph,
    read_graph_result,
    read_results,
)
from scidip_graph.store.remote_view import RemoteView
from scidip_graph.store.skolem import (
    GENID,
    is_reserved,
    skolem_term,
    skolemize,
    unskolem_term,
)

if TYPE_CHECKING:
    from scidip_graph.settings import Settings
    from scidip_graph.store.durable import Changeset

UNION = ox.NamedNode("urn:x-scidip:union")
SYSTEM = ox.NamedNode("urn:x-scidip:system")
NO_GRAPH = ox.NamedNode("urn:x-scidip:no-graph")
"""Names no graph: a default graph or a set of named graphs that must be empty."""
HIDDEN = frozenset(g.value for g in (UNION, SYSTEM, NO_GRAPH, OWN_DEFAULT))
"""The store's bookkeeping graphs: never graphs of the dataset."""
DATASET = ox.NamedNode("urn:x-scidip:dataset")
VERSION = ox.NamedNode("urn:x-scidip:version")
HAS_GRAPH = ox.NamedNode("urn:x-scidip:graph")
CHANGESET = "urn:x-scidip:changeset:"
AT, AUTHOR, MESSAGE = (ox.NamedNode(f"urn:x-scidip:{n}") for n in ("at", "author", "message"))
ADDED, REMOVED = ox.NamedNode("urn:x-scidip:added"), ox.NamedNode("urn:x-scidip:removed")
XSD_INTEGER = ox.NamedNode(str(XSD.integer))

_XML, _JSON = (get_format(n, kinds=("results",)).media_type for n in ("xml-results", "json"))
RESULTS = f"{_XML}, {_JSON};q=0.9"
_NT, _TTL, _XML_RDF = (get_format(n).media_type for n in ("ntriples", "turtle", "rdfxml"))
GRAPHS = f"{_NT}, text/plain;q=0.9, {_TTL};q=0.8, {_XML_RDF};q=0.5"
BATCH = 5_000
"""Quads per update when a whole dataset is loaded."""
GRAPH_BLOCK = 2_000
"""Triples per ``GRAPH`` block of an update: Virtuoso's SPARQL compiler runs out of parser stack
("SP030 ... memory exhausted") somewhere between 3,000 and 5,000 triples in one block, not
in several blocks of the same graph."""
TIMEOUT_MARGIN = 1.0
"""Seconds a query's answer may take beyond the query time limit (the runner stops it first)."""

T = TypeVar("T")
_PROBE = ox.Store()  # empty: runs a query only to parse it and learn its form


class RemoteStore(Store):
    """A dataset kept in a remote SPARQL 1.1 store.

    Args:
        client: the HTTP client of the store.
        data_dir: a local folder for what the server derives from the data (result cache,
            dumps), keyed by the data version; None for none.
    """

    name = "sparql"
    supports_dataset = True
    supports_timeout = True
    evaluates_in_process = False
    writable = True

    def __init__(self, client: SparqlClient, *, data_dir: Path | None = None) -> None:
        self.client = client
        self.data_dir = data_dir
        self._lock = threading.Lock()
        self._version = ""
        self._derived: dict[str, object] = {}  # what was read at self._version
        self._version = self.read_version() or ""
        self._confirmed = True  # self._version was read since the request began

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        """The store ``SCIDIP_STORE_*`` name (not yet loaded: see :func:`serve_remote`).

        Raises:
            UsageError: no query endpoint is set.
            UpstreamError: the store cannot be reached.
        """
        if not settings.store_query_url:
            raise UsageError(
                "SCIDIP_STORE=sparql needs SCIDIP_STORE_QUERY_URL, the store's query endpoint"
            )
        endpoints = Endpoints(
            settings.store_query_url,
            settings.store_update_url,
            settings.store_gsp_url,
            settings.store_user,
            settings.store_password,
            settings.store_token,
            settings.store_query_parameters,
        )
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        client = SparqlClient(endpoints, timeout=settings.query_timeout + TIMEOUT_MARGIN)
        return cls(client, data_dir=settings.data_dir)

    # -- the version ------------------------------------------------------------------------

    def read_version(self) -> str | None:
        """The data version the store holds now (None: it holds none of our data yet)."""
        rows = self.raw_select(
            f"SELECT ?v WHERE {{ GRAPH {SYSTEM} {{ {DATASET} {VERSION} ?v }} }}", timeout=None
        )
        values = sorted(str(row["v"].value) for row in rows)
        return values[0] if values else None

    @property
    def version(self) -> str:
        return self._version

    def refresh(self) -> int:
        """Read the store's data version (one small query); 1 when it changed, else 0."""
        now = self.read_version() or ""
        if now == self._version:
            self._confirmed = True
            return 0
        self._set_version(now)
        return 1

    def refresh_lazily(self) -> None:
        """Before a request: only note that the version may be behind (see the module)."""
        self._confirmed = False

    @property
    def version_confirmed(self) -> bool:
        return self._confirmed

    def _set_version(self, version: str) -> None:
        with self._lock:
            self._version = version
            self._derived = {}
            self._confirmed = True

    def _derive(self, key: str, compute: Callable[[], T]) -> T:
        """What ``compute`` reads from the store, once per data version (confirmed first)."""
        self.confirm_version()
        with self._lock:
            if key in self._derived:
                return self._derived[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            return self._derived.setdefault(key, value)  # type: ignore[return-value]

    # -- reading ----------------------------------------------------------------------------

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
        """Run a query on the store (see :meth:`Store.query`); syntax errors are found here,
        by the same parser as the embedded store's, so they read the same.

        With a ``timeout``, the answer is awaited that long (and :data:`TIMEOUT_MARGIN`), and
        the store is told to stop there where it takes a limit per query (see
        :class:`~.client.Endpoints`); else the client's own read timeout applies."""
        try:
            probe = _PROBE.query(sparql, base_iri=base_iri)
        except SyntaxError as err:
            raise sparql_syntax_error(err) from None
        graph_form = isinstance(probe, ox.QueryTriples)
        boolean_form = isinstance(probe, ox.QueryBoolean)
        del probe
        text = f"BASE <{base_iri}> {sparql}" if base_iri else sparql
        answer = self.client.query(
            text,
            accept=GRAPHS if graph_form else RESULTS,
            dataset=self._dataset(sparql, default_graph, named_graphs, union_default),
            timeout=None if timeout is None else timeout + TIMEOUT_MARGIN,
            limit=timeout,
        )
        if graph_form:
            return read_graph_result(answer)
        result = read_results(answer)
        if boolean_form and isinstance(result, ox.QuerySolutions):
            return boolean_from_row(result)
        return result

    def _dataset(
        self,
        sparql: str,
        default_graph: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        union_default: bool,
    ) -> list[tuple[str, str]]:
        if default_graph is None and named_graphs is None and not union_default:
            return []  # the query's own FROM / FROM NAMED, as the store reads them
        if default_graph is None:
            defaults = [UNION.value]
        else:
            defaults = [OWN_DEFAULT.value if g == "" else g for g in default_graph]
            defaults = [g for g in defaults if g == OWN_DEFAULT.value or g not in HIDDEN]
        if named_graphs is not None:
            named: list[str] | None = [g for g in named_graphs if g not in HIDDEN]
        elif "GRAPH" in sparql.upper():  # a substring test: a false positive costs nothing
            named = self.graph_names()
        else:
            named = None  # no GRAPH: the named graphs are never read
        pairs = [("default-graph-uri", g) for g in defaults or [NO_GRAPH.value]]
        if named is not None:
            pairs += [("named-graph-uri", g) for g in named or [NO_GRAPH.value]]
        return pairs

    def graph_names(self) -> list[str]:
        return list(self._derive("names", self._graph_names))

    def _graph_names(self) -> list[str]:
        rows = self.raw_select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH {SYSTEM} {{ {DATASET} {HAS_GRAPH} ?g }} "
            "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }"
        )
        return sorted(str(row["g"].value) for row in rows if row["g"].value not in HIDDEN)

    def __len__(self) -> int:
        return self._derive("len", self._count)

    def _count(self) -> int:
        graphs = [OWN_DEFAULT.value, *self.graph_names()]
        rows = self.raw_select(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            dataset=[("default-graph-uri", NO_GRAPH.value)]
            + [("named-graph-uri", g) for g in graphs],
        )
        return int(next(iter(rows))["n"].value)

    def quads(self, *, graph: str | None = None) -> Iterator[ox.Quad]:
        graphs = [OWN_DEFAULT.value, *self.graph_names()] if graph is None else [graph or ""]
        for name in graphs:
            physical = OWN_DEFAULT.value if name in ("", OWN_DEFAULT.value) else name
            if physical in HIDDEN and physical != OWN_DEFAULT.value:
                continue
            logical = ox.DefaultGraph() if physical == OWN_DEFAULT.value else ox.NamedNode(name)
            yield from self._graph_quads(physical, logical)

    def _graph_quads(
        self, physical: str, logical: ox.NamedNode | ox.DefaultGraph
    ) -> Iterator[ox.Quad]:
        if self.client.endpoints.gsp_url:  # a whole graph in one download, no result limits
            try:
                answer = self.client.graph(physical, accept=GRAPHS)
            except UpstreamError as err:
                if err.detail.get("status") == 404:  # an empty graph, to the protocol
                    return
                raise
            for t in parse_graph(answer):
                yield ox.Quad(
                    unskolem_term(t.subject), t.predicate, unskolem_term(t.object), logical
                )
            return
        rows = self.raw_select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{physical}> {{ ?s ?p ?o }} }}")
        for row in rows:
            yield ox.Quad(
                unskolem_term(row["s"]),
                row["p"],
                unskolem_term(row["o"]),
                logical,
            )

    def view(self) -> RemoteView:
        """The dataset read by pattern, one query a subject (see :class:`.RemoteView`); the
        same view while the version stays, so a write's steps share what they looked up."""
        return self._derive("view", lambda: RemoteView(self))

    def close(self) -> None:
        """Close this process's connections to the store (before the server forks)."""
        self.client.close()

    def describe(self) -> dict[str, str]:
        """The query endpoint, without credentials."""
        return {"endpoint": self.client.endpoints.display}

    def limitations(self) -> dict[str, str]:
        return {
            "blank nodes": f"the store keeps blank nodes as IRIs under {GENID} and answers "
            "them as blank nodes, but "
            "isBlank(), isIRI() and STR() in a query see the IRIs",
            "updates other than INSERT DATA / DELETE DATA": "they run on a copy of the whole "
            "dataset fetched from the store, which only small datasets afford",
        }

    def raw_select(
        self,
        text: str,
        *,
        dataset: Sequence[tuple[str, str]] = (),
        timeout: float | None = None,
    ) -> ox.QuerySolutions:
        """A SELECT on the store as it is: its own graphs, skolem IRIs as blank nodes, none of
        the dataset's mapping (what the bookkeeping reads)."""
        result = read_results(
            self.client.query(text, accept=RESULTS, dataset=dataset, timeout=timeout)
        )
        assert isinstance(result, ox.QuerySolutions)
        return result

    # -- writing ----------------------------------------------------------------------------

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads, in updates of :data:`BATCH`; the version changes (not a logged change:
        what loads a dataset, not what writes to one)."""
        quads = list(quads)
        _refuse_reserved(quads)
        new_version = f"{_head(self._version)}-{uuid.uuid4().hex[:12]}"
        for start in range(0, len(quads), BATCH):
            batch = [skolemize(q) for q in quads[start : start + BATCH]]
            graphs = {_physical(q.graph_name) for q in batch}
            insert = [
                *(_logical_to_physical(q) for q in batch),
                *(ox.Quad(q.subject, q.predicate, q.object, UNION) for q in batch),
                *(ox.Quad(DATASET, HAS_GRAPH, g, SYSTEM) for g in graphs if g != OWN_DEFAULT),
            ]
            self.client.update(f"INSERT DATA {{ {_quad_block(insert)} }}")
        self._write_version(new_version)

    def _write_version(self, version: str) -> None:
        self.client.update(
            f"DELETE WHERE {{ GRAPH {SYSTEM} {{ {DATASET} {VERSION} ?v }} }} ; "
            f"INSERT DATA {{ GRAPH {SYSTEM} {{ {DATASET} {VERSION} {_literal(version)} }} }}"
        )
        self._set_version(version)

    def commit(
        self,
        *,
        added: Iterable[ox.Quad] = (),
        removed: Iterable[ox.Quad] = (),
        author: str,
        message: str = "",
    ) -> Changeset:
        """Send a checked change as one update, applied only at the version it was checked
        on; returns the changeset once the store holds it.

        Raises:
            ConflictError: another writer changed the data since (409); nothing was written.
            UpstreamError: the store failed; nothing was written (the version tells).
        """
        from scidip_graph.store.durable import Changeset, _nq

        added, removed = list(added), list(removed)
        _refuse_reserved([*added, *removed])
        expected = self._version
        changeset = _head(expected) + 1
        version = f"{changeset}-{uuid.uuid4().hex[:12]}"
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        node = ox.NamedNode(f"{CHANGESET}{changeset}")
        kept = {(q.subject, q.predicate, q.object) for q in added}
        gone = set(removed)
        view = self.view()
        leaving = {
            (q.subject, q.predicate, q.object)
            for q in removed
            if (q.subject, q.predicate, q.object) not in kept
            and all(
                other in gone
                for other in view.quads_for_pattern(q.subject, q.predicate, q.object, None)
            )
        }
        graphs = {_physical(skolem_term(q.graph_name)) for q in added} - {OWN_DEFAULT}
        delete = [
            *(_logical_to_physical(skolemize(q)) for q in removed),
            *(_union_quad(t) for t in leaving),
            ox.Quad(DATASET, VERSION, ox.Literal(expected), SYSTEM),
        ]
        insert = [
            *(_logical_to_physical(skolemize(q)) for q in added),
            *(_union_quad((q.subject, q.predicate, q.object)) for q in added),
            *(ox.Quad(DATASET, HAS_GRAPH, g, SYSTEM) for g in graphs),
            ox.Quad(DATASET, VERSION, ox.Literal(version), SYSTEM),
            ox.Quad(node, AT, ox.Literal(at), SYSTEM),
            ox.Quad(node, AUTHOR, ox.Literal(author), SYSTEM),
            ox.Quad(node, MESSAGE, ox.Literal(message), SYSTEM),
            ox.Quad(node, ADDED, ox.Literal(_nq(added)), SYSTEM),
            ox.Quad(node, REMOVED, ox.Literal(_nq(removed)), SYSTEM),
        ]
        guard = f"GRAPH {SYSTEM} {{ {DATASET} {VERSION} {_literal(expected)} }}"
        update = (
            f"DELETE {{ {_quad_block(delete)} }} INSERT {{ {_quad_block(insert)} }} "
            f"WHERE {{ {guard} }}"
        )
        try:
            self.client.update(update)
        except UpstreamError as err:
            if self.read_version() != version:  # not applied: say so
                err.message += "; nothing was written"
                raise
        now = self.read_version()
        if now != version:
            if now is not None:
                self._set_version(now)
            raise ConflictError(
                "the data changed while this write was checked (another writer was first); "
                "nothing was written",
                hint="Send the write again: it will be checked against the data as it is now.",
            )
        self._set_version(version)
        return Changeset(changeset, at, author, message, added, removed)

    def logged_messages(self, prefix: str) -> list[str]:
        rows = self.raw_select(
            f"SELECT ?c ?m WHERE {{ GRAPH {SYSTEM} {{ ?c {MESSAGE} ?m }} "
            f"FILTER(STRSTARTS(STR(?m), {_literal(prefix)})) }}"
        )
        found = sorted(
            (_head(str(row["c"].value)[len(CHANGESET) :]), str(row["m"].value)) for row in rows
        )
        return [message for _, message in found]

    def last_modified(self) -> str | None:
        """When the last changeset was committed, if any (from the store's change log)."""
        head = _head(self._version)
        if head == 0:
            return None
        rows = self.raw_select(
            f"SELECT ?at WHERE {{ GRAPH {SYSTEM} {{ <{CHANGESET}{head}> {AT} ?at }} }}"
        )
        values = [str(row["at"].value) for row in rows]
        return values[0] if values else None


def _head(version: str) -> int:
    """The last changeset of a data version ``N-nonce`` (0: none, or no version yet)."""
    head = version.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


def _physical(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> ox.NamedNode:
    if isinstance(graph, ox.DefaultGraph):
        return OWN_DEFAULT
    assert isinstance(graph, ox.NamedNode)  # skolemized: no blank graph names
    return graph


def _logical_to_physical(quad: ox.Quad) -> ox.Quad:
    return ox.Quad(quad.subject, quad.predicate, quad.object, _physical(quad.graph_name))


def _union_quad(triple: tuple[object, object, object]) -> ox.Quad:
    s, p, o = (skolem_term(t) for t in triple)
    return ox.Quad(s, p, o, UNION)


def _refuse_reserved(quads: Iterable[ox.Quad]) -> None:
    for q in quads:
        for term in (q.subject, q.object, q.graph_name):
            if is_reserved(term) or (isinstance(term, ox.NamedNode) and term.value in HIDDEN):
                raise UsageError(
                    f"{term} is reserved by the remote store for its own bookkeeping",
                    hint="Use another IRI; blank nodes are written as they are.",
                )


def _literal(text: str) -> str:
    return str(ox.Literal(text))


def _quad_block(quads: Iterable[ox.Quad]) -> str:
    """Quads as a SPARQL ``QuadData`` block, one ``GRAPH`` per graph."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(
        f"GRAPH {g} {{ {' '.join(lines[start : start + GRAPH_BLOCK])} }}"
        for g, lines in by_graph.items()
        for start in range(0, len(lines), GRAPH_BLOCK)
    )
