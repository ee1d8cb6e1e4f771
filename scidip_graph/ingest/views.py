"""Triples by pattern, over an rdflib graph or dataset, a pyoxigraph store, or a change.

The SHACL gate (:mod:`scidip_graph.ingest.gate`) reads the data a change applies to only
through these views: the union of all graphs (as validation sees it), looked up by pattern,
with rdflib terms (what pySHACL works on), and which graphs state a triple (a triple leaves the
union only when no graph states it any more).

>>> from rdflib import Graph, URIRef
>>> a, p = URIRef("http://a"), URIRef("http://p")
>>> before = RdflibView(Graph())
>>> after = ChangedView(before, added={(a, p, a)}, removed=set())
>>> list(after.objects(a, p))
[rdflib.term.URIRef('http://a')]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from scidip_graph.ingest.loading import to_rdflib

Triple = tuple[Node, Node, Node]


class QuadSource(Protocol):
    """A pyoxigraph dataset read by pattern: a ``pyoxigraph.Store``, or a read-only view of one
    (the live dataset of the embedded store, :meth:`scidip_graph.store.base.Store.view`)."""

    def quads_for_pattern(
        self, subject: Any, predicate: Any, object: Any, graph_name: Any = None, /
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None: any); ``graph_name`` None: every graph."""
        ...

    def __len__(self) -> int:
        """The number of quads."""
        ...


class TripleView:
    """Triples by pattern over the union of a dataset's graphs (rdflib terms)."""

    def triples(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Triple]:
        raise NotImplementedError

    def graphs(self, triple: Triple) -> set[str]:
        """The keys of the graphs that state ``triple`` (``""``: the default graph)."""
        raise NotImplementedError

    def quads(self) -> Iterator[tuple[Node, Node, Node, str]]:
        """Every quad, with its graph's key."""
        raise NotImplementedError

    def size(self) -> int:
        """The number of quads (a full count where the engine has no cheaper one)."""
        return sum(1 for _ in self.quads())

    def first(self, s: Node | None, p: Node | None, o: Node | None) -> Triple | None:
        return next(self.triples(s, p, o), None)

    def subjects(self, predicate: Node | None, object: Node | None) -> Iterator[Node]:
        return (t[0] for t in self.triples(None, predicate, object))

    def objects(self, subject: Node | None, predicate: Node | None) -> Iterator[Node]:
        return (t[2] for t in self.triples(subject, predicate, None))


class RdflibView(TripleView):
    """An rdflib graph (one graph, keyed ``key`` or by its name) or dataset (every graph)."""

    def __init__(self, data: Graph, key: str | None = None) -> None:
        self.data: Graph = data
        self.dataset = data if isinstance(data, Dataset) else None
        if key is None:  # a dataset's quads carry their graphs
            key = "" if self.dataset is not None else graph_key(data.identifier)
        self.key = key

    def triples(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Triple]:
        if self.dataset is None:
            yield from self.data.triples((s, p, o))
            return
        seen: set[Triple] = set()
        for q in self.dataset.quads((s, p, o, None)):
            if q[:3] not in seen:
                seen.add(q[:3])
                yield q[:3]

    def graphs(self, triple: Triple) -> set[str]:
        if self.dataset is None:
            return {self.key} if triple in self.data else set()
        return {graph_key(q[3]) for q in self.dataset.quads((*triple, None))}

    def quads(self) -> Iterator[tuple[Node, Node, Node, str]]:
        if self.dataset is None:
            return ((s, p, o, self.key) for s, p, o in self.data)
        return ((s, p, o, graph_key(g)) for s, p, o, g in self.dataset.quads((None,) * 4))


class OxigraphView(TripleView):
    """A pyoxigraph store (or view of one): the union of its default graph and named graphs."""

    def __init__(self, store: QuadSource, terms: Terms) -> None:
        self.store, self.terms = store, terms

    def triples(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Triple]:
        if isinstance(s, Literal):  # a literal focus node (sh:targetObjectsOf) has no triples
            return
        seen: set[tuple[object, object, object]] = set()
        for ss in self.terms.ox(s):
            for pp in self.terms.ox(p):
                for oo in self.terms.ox(o):
                    for q in self.store.quads_for_pattern(ss, pp, oo, None):
                        key = (q.subject, q.predicate, q.object)
                        if key not in seen:
                            seen.add(key)
                            yield self.terms.triple(q)

    def graphs(self, triple: Triple) -> set[str]:
        s, p, o = (self.terms.ox(t) for t in triple)
        return {
            oxigraph_graph_key(q.graph_name)
            for ss in s
            for pp in p
            for oo in o
            for q in self.store.quads_for_pattern(ss, pp, oo, None)
        }

    def quads(self) -> Iterator[tuple[Node, Node, Node, str]]:
        for q in self.store.quads_for_pattern(None, None, None, None):
            yield (*self.terms.triple(q), oxigraph_graph_key(q.graph_name))

    def size(self) -> int:
        return len(self.store)


class UnionView(TripleView):
    """Several views as one; each triple once."""

    def __init__(self, *views: TripleView) -> None:
        self.views = views

    def triples(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Triple]:
        for i, view in enumerate(self.views):
            for t in view.triples(s, p, o):
                if not any(v.first(*t) for v in self.views[:i]):
                    yield t

    def graphs(self, triple: Triple) -> set[str]:
        return set().union(*(v.graphs(triple) for v in self.views))


class ChangedView(TripleView):
    """The union after a change: ``before`` minus ``removed`` plus ``added`` (disjoint)."""

    def __init__(self, before: TripleView, added: set[Triple], removed: set[Triple]) -> None:
        self.before, self.added, self.removed = before, added, removed
        self.by: dict[tuple[int, Node], list[Triple]] = {}
        for t in added:
            for i in range(3):
                self.by.setdefault((i, t[i]), []).append(t)

    def triples(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[Triple]:
        # The added ones first: a caller that wants one match may stop before the store.
        # Subject, then object, then predicate: the first bound of these is the most selective.
        bound = [(i, term) for i, term in ((0, s), (2, o), (1, p)) if term is not None]
        candidates = self.by.get(bound[0], []) if bound else self.added
        for t in candidates:
            if all(t[i] == term for i, term in bound):
                yield t
        for t in self.before.triples(s, p, o):
            if t not in self.removed:
                yield t


class Terms:
    """pyoxigraph <-> rdflib terms. rdflib normalises literals ("01"^^xsd:integer is "1"), so
    each literal read from a store remembers its spellings there, to look it up again."""

    def __init__(self) -> None:
        self.spellings: dict[Node, set[ox.Literal]] = {}

    def rdf(self, term: object) -> Node:
        node = to_rdflib(term)
        if isinstance(term, ox.Literal):
            self.spellings.setdefault(node, set()).add(term)
        return node

    def triple(self, q: ox.Quad | ox.Triple) -> Triple:
        return (self.rdf(q.subject), self.rdf(q.predicate), self.rdf(q.object))

    def ox(self, node: Node | None) -> list[object]:
        """The pyoxigraph terms ``node`` may stand for ([None] for a wildcard)."""
        if node is None:
            return [None]
        try:
            if isinstance(node, URIRef):
                return [ox.NamedNode(str(node))]
            if isinstance(node, BNode):
                return [ox.BlankNode(str(node))]
            if isinstance(node, Literal):
                if node in self.spellings:
                    return list(self.spellings[node])
                if node.language:
                    return [ox.Literal(str(node), language=node.language)]
                if node.datatype:
                    return [ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))]
                return [ox.Literal(str(node))]
        except ValueError:  # not a term pyoxigraph can hold: no triple has it
            pass
        return []


def graph_key(identifier: object) -> str:
    """How reports name a graph: its IRI, or ``""`` for the default graph (or a blank one).

    >>> graph_key(DATASET_DEFAULT_GRAPH_ID), graph_key(URIRef("http://g"))
    ('', 'http://g')
    """
    if isinstance(identifier, Graph):
        identifier = identifier.identifier
    if identifier in (None, DATASET_DEFAULT_GRAPH_ID) or isinstance(identifier, BNode):
        return ""
    return str(identifier)


def oxigraph_graph_key(graph: object) -> str:
    """:func:`graph_key` of a pyoxigraph graph name."""
    return "" if isinstance(graph, ox.DefaultGraph) else str(graph.value)  # type: ignore[attr-defined]
