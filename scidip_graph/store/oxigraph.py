"""The embedded store: pyoxigraph in memory.

Queries on an in-memory pyoxigraph store are fast (DESIGN section 6); durability for writes
comes from the change log kept beside it, not from the store itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from ..errors import SparqlSyntaxError
from .base import QueryResult, Store

_POSITION = re.compile(r"(?:at |line )(\d+)(?::| column )(\d+)", re.IGNORECASE)


class OxigraphStore(Store):
    """A pyoxigraph store in memory.

    >>> store = OxigraphStore()
    >>> store.add([ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x"),
    ...                    ox.NamedNode("http://g"))])
    >>> [s["o"].value for s in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
    ['x']
    """

    name = "oxigraph"
    supports_update = True
    supports_dataset = True

    def __init__(self) -> None:
        self._store = ox.Store()
        self._changes = 0
        self._digest = hashlib.sha256()

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        union_default: bool = True,
    ) -> QueryResult:
        options: dict[str, object] = {}
        if default_graph is None:
            # pyoxigraph's union flag would override a query's FROM clauses: only set it
            # when the query does not define its own dataset.
            options["use_default_graph_as_union"] = union_default
        else:
            options["default_graph"] = [_graph_term(g) for g in default_graph]
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self._store.query(sparql, **options)  # type: ignore[arg-type]
        except SyntaxError as err:
            raise sparql_syntax_error(err) from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL update.

        Raises:
            SparqlSyntaxError: when the update does not parse.
        """
        try:
            self._store.update(sparql)
        except SyntaxError as err:
            raise sparql_syntax_error(err) from None
        self._changed(sparql.encode())

    def add(self, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        self._store.extend(quads)
        self._changed(str(len(quads)).encode())

    def quads(self, *, graph: str | None = None) -> Iterable[ox.Quad]:
        if graph is None:
            return self._store.quads_for_pattern(None, None, None, None)
        return self._store.quads_for_pattern(None, None, None, _graph_term(graph))

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    @property
    def version(self) -> str:
        return f"{self._changes}-{self._digest.hexdigest()[:12]}"

    def _changed(self, what: bytes) -> None:
        self._changes += 1
        self._digest.update(what)


def _graph_term(graph: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph == "" else ox.NamedNode(graph)


def sparql_syntax_error(err: SyntaxError) -> SparqlSyntaxError:
    """A pyoxigraph parser error as a :class:`SparqlSyntaxError` with line and column."""
    message = " ".join(str(err.msg or err).split())
    match = _POSITION.search(message)
    line, column = (int(match[1]), int(match[2])) if match else (err.lineno, err.offset)
    if match:
        message = message[match.end() :].lstrip(": ")
    if len(message) > 160:  # the engine lists every character class it expected
        message = message[:160].rsplit(",", 1)[0] + ", ..."
    where = f" at line {line}, column {column}" if line is not None else ""
    return SparqlSyntaxError(f"SPARQL syntax error{where}: {message}", line=line, column=column)
