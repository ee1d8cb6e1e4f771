"""The SHACL gate: would the data still conform after a change? Checked where the change lands.

:func:`check_change` validates the state a change would give (the data before it, plus the
triples it adds, minus those it removes), but only the focus nodes whose results the change
can alter, on the part of the graph their shapes read. Its report holds every result of the
would-be state about those nodes, exactly as a full pyshacl validation of that state gives
them (``tests/test_gate.py`` checks it on random changes); results about other nodes are the
same before and after the change, and are left out. So one new example of about 20 triples is
checked in time that grows with the change, not with the graph.

**What is in scope.** A result can change only where a shape looks up a changed triple, so the
shapes are compiled into the lookups they make (:mod:`scidip_graph.ingest.reach`). A changed
triple ``(s, p, o)`` (added or removed, as the union of all graphs sees it) puts in scope, on
the project's shapes (``ontology/shapes.ttl``, ``ontology/shapes-iso3166.ttl``):

- ``s`` itself, when a shape that targets it has a property on ``p``: an example's own name,
  category, description, links; a country's ISO codes (``iso:XX`` targets its one country
  with ``sh:targetNode``); a contact point's telephone; and so on;
- the nodes that reach ``s`` through a shape's path or ``sh:class``: a change of ``s``'s
  ``rdf:type`` puts in scope every node whose shape requires a class of what it links to
  (the examples that ``sd:involvesOrganization`` it, the memberships whose ``org:member`` or
  ``org:organization`` it is, the people who ``schema:worksFor`` it...); a change to an
  instant's date puts in scope the membership two steps up, whose ``shape:HasStartDate``
  walks ``org:memberDuring/(time:hasBeginning|time:inside)/(time:inXSDDate|time:inXSDgYear)``
  inside the ``sh:or`` of ``shape:MembershipStartShape`` and the ``sh:not`` of
  ``shape:FellowshipStartShape``;
- ``o`` when a shape walks ``p`` backwards: ``schema:hasCourseInstance`` for a course
  edition (``shape:CourseInstance-course``);
- a node whose targets the change alters: ``s`` for ``rdf:type`` (with the ontology's
  subclasses: a ``schema:City`` is a ``schema:Place``), ``o`` for the predicates shapes target
  the objects of (``sd:category``, ``org:memberDuring``, ``time:hasBeginning``, ``time:hasEnd``,
  ``time:inside``, ``prov:wasDerivedFrom``, ``dct:source``), when it becomes or stops being a
  target of some shape.

A node in scope is validated against every shape that targets it, on a graph made of the
triples those shapes read from it (paths, nested shapes, value nodes' types, target
witnesses) and the class hierarchy. Linking a new example to CERN or to Switzerland puts
neither in scope: their own results cannot change.

**When everything is validated instead** (the report then covers the whole would-be state):
shapes whose reads cannot be listed (SPARQL constraints or targets, rules, ``sh:closed``,
``sh:qualifiedValueShapesDisjoint``, custom constraint components, an unreadable path; none
in the project's shapes); a change of ``rdfs:subClassOf`` (every instance may change); a
change of more than a quarter of the data's triples (:data:`BULK_SHARE`; changes of up to
:data:`BULK` triples never), or one whose scope takes more lookups to find than the data has
triples: the scope is then most of the graph, and finding it costs more than it saves. Short of
that, the gate gains: 1,000 new examples (13,772 triples) on the 100k-triple graph take 2.5 s
through the gate, 19 s in a full validation.

**How everything is validated** (:func:`check_all`, also the first start of a data folder):
the ``shacl`` package screens the whole would-be state (:mod:`scidip_graph.ingest.screen`,
written as N-Quads by pyoxigraph) for the focus nodes that have any result, and pyshacl
validates exactly those, as above, on the part of the graph their shapes read; a change of
that size keeps its added quads in a pyoxigraph store of their own rather than in rdflib
terms. The report is pyshacl's full report (``tests/test_screen.py``). Where the screen
cannot run (no ``shacl`` package, shapes it is not checked on), pyshacl validates everything.

**The engine: pyshacl**, the reference, given the part of the graph in scope and the part of
the shapes graph that the shapes targeting it use (``validate_graph(node_shapes=...)``). One
new example of 23 triples (``bench/bench_gate.py``, BENCHMARKS.md "The SHACL gate") takes
10-20 ms through the gate on the bundled data, on 100k and on 1M triples alike (the same four
nodes are in scope), against 1.4 s, 24 s and 3.5 minutes for a full pyshacl validation. The
``shacl`` package on PyPI (Rust) validates the gate's part in 1-2 ms where pyshacl takes 6-15:
not worth a layer translating its results into pyshacl's report; it screens the whole state
instead (above).

>>> from rdflib import Graph, Literal, URIRef
>>> from scidip_graph.namespaces import ID, RDF, SCHEMA
>>> current = Graph()
>>> report = check_change(current, added=[(ID["person/ada"], RDF.type, SCHEMA.Person)])
>>> report.conforms, [r.source_shape for r in report.results]
(False, ['shape:EnglishName'])
>>> check_change(current, added=[(ID["person/ada"], SCHEMA.name, Literal("x"))]).conforms
True
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from scidip_graph.ingest.reach import Reach, compile_reach
from scidip_graph.ingest.screen import flagged, misread, unscreened
from scidip_graph.ingest.validation import (
    ValidationReport,
    default_shapes,
    ontology_graph,
    validate,
    validate_graph,
)
from scidip_graph.ingest.views import (
    ChangedView,
    OxigraphView,
    QuadSource,
    RdflibView,
    Terms,
    Triple,
    TripleView,
    UnionView,
    graph_key,
    oxigraph_graph_key,
)
from scidip_graph.namespaces import ID, RDF, RDFS, SCHEMA, SH

BULK = 1_000
"""Changed triples up to which the gate never validates everything for the change's size."""
BULK_SHARE = 0.25
"""Above :data:`BULK` changed triples, the share of the data's triples a change may touch
before the gate validates everything: the scope would be most of the graph."""

ChangeItem = ox.Quad | ox.Triple | tuple[Node, Node, Node] | tuple[Node, Node, Node, Node]
"""A quad, or a triple: added to the default graph, or removed from every graph."""
Data = Graph | Dataset | QuadSource
"""The data before a change: an rdflib graph or dataset, or a pyoxigraph store or a read-only
view of one (its union)."""

_ONTOLOGY = "\0ontology"  # the graph key of the ontology, which validation mixes in


@dataclass(frozen=True)
class ChangeScope:
    """What a change can alter.

    Attributes:
        focus_nodes: the nodes whose results may differ; None when the gate validates the
            whole would-be state.
        reason: why it validates everything ("" when it does not).
    """

    focus_nodes: frozenset[Node] | None
    reason: str = ""


def check_change(
    current: Data,
    *,
    added: Iterable[ChangeItem] = (),
    removed: Iterable[ChangeItem] = (),
    shapes: Graph | None = None,
    origins: dict[str, str] | None = None,
) -> ValidationReport:
    """Validate the state ``current`` would be in after a change; nothing is changed.

    Args:
        current: the data before the change (all its graphs together, as validation sees
            them, with the ontology mixed in).
        added: quads or triples the change adds (a triple goes to the default graph).
        removed: quads the change removes, or triples it removes from every graph. A triple
            stays in the union while another graph still states it.
        shapes: the shapes graph; by default the bundled shapes.
        origins: graph key -> file, to name files in the report (see ``validate``).

    Returns:
        The results of the would-be state about the nodes in scope (:func:`change_scope`);
        ``conforms`` is False only if one of them is a Violation.
    """
    shapes_graph = shapes if shapes is not None else default_shapes()
    change = _Change(current, added, removed)
    plan = _Plan(change, compile_reach(shapes_graph))
    if plan.scope.focus_nodes is None:
        return _whole(change, plan.reach, shapes_graph, origins=origins)
    return validate_graph(
        plan.graph,
        shapes=shapes_graph,
        node_shapes=plan.shapes,
        focus_nodes=plan.scope.focus_nodes,
        context=change.after,
        graphs=change.graphs_of,
        origins=origins,
    )


def change_scope(
    current: Data,
    *,
    added: Iterable[ChangeItem] = (),
    removed: Iterable[ChangeItem] = (),
    shapes: Graph | None = None,
) -> ChangeScope:
    """The focus nodes a change can alter (arguments as for :func:`check_change`).

    >>> from scidip_graph.namespaces import ID, RDF, SCHEMA
    >>> scope = change_scope(Graph(), added=[(ID["person/ada"], RDF.type, SCHEMA.Person)])
    >>> sorted(scope.focus_nodes or ())
    [rdflib.term.URIRef('https://w3id.org/scidip/id/person/ada')]
    """
    shapes_graph = shapes if shapes is not None else default_shapes()
    return _Plan(_Change(current, added, removed), compile_reach(shapes_graph)).scope


def check_all(
    data: Data, *, shapes: Graph | None = None, origins: dict[str, str] | None = None
) -> ValidationReport:
    """Validate the whole of ``data``: the report :func:`validate` gives, found faster.

    The screen (:mod:`scidip_graph.ingest.screen`) names the focus nodes that have any
    result; pyshacl validates those, on the part of the graph their shapes read. Where the
    screen cannot run (the ``shacl`` package missing, shapes it is not checked on), pyshacl
    validates everything.

    >>> from scidip_graph.namespaces import ID, RDF, SCHEMA
    >>> report = check_all(Graph().add((ID["person/ada"], RDF.type, SCHEMA.Person)))
    >>> [r.source_shape for r in report.results]
    ['shape:EnglishName']
    """
    shapes_graph = shapes if shapes is not None else default_shapes()
    return _whole(_Change(data, (), ()), compile_reach(shapes_graph), shapes_graph, origins=origins)


def whole_reason(shapes: Graph | None = None) -> str:
    """How a validation of the whole graph runs: "" with the screen, else why pyshacl alone.

    >>> whole_reason() in ("", "the shacl package is not installed")
    True
    """
    shapes_graph = shapes if shapes is not None else default_shapes()
    return compile_reach(shapes_graph).unsupported or unscreened(shapes_graph)


def _whole(
    change: _Change, reach: Reach, shapes: Graph, *, origins: dict[str, str] | None
) -> ValidationReport:
    """The report of the whole would-be state: screened, then pyshacl on what it flagged."""
    if whole_reason(shapes):
        return validate(change.after_dataset(), shapes=shapes, origins=origins)
    text = change.text()
    focus = flagged(text, shapes=shapes, read=change.terms.rdf)
    # Where rdflib reads a literal otherwise than the screen, pyshacl may report a node the
    # screen passed: every node whose shapes read such a literal is validated too.
    misread_triples = [t for literal in misread(text) for t in change.triples_with(literal)]
    plan = _Plan(change, reach, focus=focus)
    if not plan.add_readers(misread_triples):
        return validate(change.after_dataset(), shapes=shapes, origins=origins)
    plan.collect()
    return validate_graph(
        plan.graph,
        shapes=shapes,
        node_shapes=plan.shapes,
        focus_nodes=plan.focus,
        context=change.after,
        graphs=change.graphs_of,
        origins=origins,
    )


def warm() -> None:
    """Read the bundled shapes and the ontology, compile what the shapes reach, and run the
    gate once on a one-triple change, so that processes forked afterwards (the server's
    workers) inherit all of it and their first write costs what every later one does."""
    check_change(Graph(), added=[(ID["person/warm"], RDF.type, SCHEMA.Person)])


# -- the change -------------------------------------------------------------------------------


class _Change:
    """A change, read against the data before it: the triples it really adds and removes."""

    def __init__(
        self, current: Data, added: Iterable[ChangeItem], removed: Iterable[ChangeItem]
    ) -> None:
        self.terms = terms = Terms()
        self._size: int | None = None
        added, removed = list(added), list(removed)
        self.items = (added, removed)
        if isinstance(current, Graph):  # a Dataset is a Graph too
            self.current: TripleView = RdflibView(current)
        else:
            self.current = OxigraphView(current, terms)
        self.before = before = UnionView(self.current, RdflibView(ontology_graph(), key=_ONTOLOGY))
        self.bulk = self._bulk(added, removed)
        self.new: OxigraphView | None = None
        if self.bulk is not None:
            # The added quads stay in pyoxigraph, a store of their own, read like the data.
            self.new = OxigraphView(_store_of(_plain(added)), terms)
            self.added_quads: list[tuple[Triple, str | None]] = []
            adding: Collection[Triple] = _Stated(self.new)
        else:
            self.added_quads = [_item(item, terms, default="") for item in added]
            adding = {t for t, _ in self.added_quads}
        self.gone: dict[Triple, set[str] | None] = {}  # triple -> graphs, None: every graph
        for triple, graph in (_item(item, terms, default=None) for item in removed):
            graphs = self.gone.setdefault(triple, set())
            if graphs is not None:
                self.gone[triple] = None if graph is None else graphs | {graph}
        self.removed = set()
        for triple, graphs in self.gone.items():
            # It leaves the union when no graph states it any more (the ontology stays).
            stated = set() if triple in adding else before.graphs(triple)
            kept = stated - graphs if graphs is not None else stated & {_ONTOLOGY}
            if stated and not kept:
                self.removed.add(triple)
        if self.new is not None:
            self.added: set[Triple] = set()  # read from self.new instead
            self.after = ChangedView(UnionView(before, self.new), set(), self.removed)
        else:
            self.added = {t for t in adding if not before.graphs(t)}
            self.after = ChangedView(before, self.added, self.removed)
        self.added_graphs: dict[Node, set[str]] = {}
        for (s, _, _), graph in self.added_quads:
            self.added_graphs.setdefault(s, set()).add(graph or "")

    def _bulk(self, added: list[ChangeItem], removed: list[ChangeItem]) -> int | None:
        """For a change of pyoxigraph quads to a store: the triples it adds to the union and
        removes, counted until they are more than the gate checks node by node (None when
        they are not, or the change is not read this way)."""
        if not isinstance(self.current, OxigraphView) or not all(
            isinstance(item, ox.Quad | ox.Triple) for item in (*added, *removed)
        ):
            return None
        limit = max(BULK, BULK_SHARE * self.size())
        if len(added) + len(removed) <= limit:
            return None
        store, ontology = self.current.store, _ontology_triples()
        counted: set[ox.Triple] = set()
        for item in _plain(added):
            if len(counted) + len(removed) > limit:
                return len(counted) + len(removed)
            s, p, o = item.subject, item.predicate, item.object
            triple = ox.Triple(s, p, o)
            if triple in counted or triple in ontology:
                continue
            if next(store.quads_for_pattern(s, p, o, None), None) is None:
                counted.add(triple)
        return None

    def size(self) -> int:
        """The number of triples of the data before the change (counted once, when asked)."""
        if self._size is None:
            self._size = self.current.size()
        return self._size

    def graphs_of(self, node: Node) -> set[str]:
        """The graphs ``node`` is a subject in, for the files a report names."""
        graphs = {k for t in self.current.triples(node, None, None) for k in self.current.graphs(t)}
        if self.new is not None:
            graphs |= {k for t in self.new.triples(node, None, None) for k in self.new.graphs(t)}
        return graphs | self.added_graphs.get(node, set())

    def text(self) -> bytes:
        """The whole would-be state with the ontology (what :func:`validate` validates), as
        N-Quads for the screen; written by pyoxigraph from a store and its changes."""
        added, removed = self.items
        new = [q for q in added if isinstance(q, ox.Quad)]
        new += [
            ox.Quad(t.subject, t.predicate, t.object) for t in added if isinstance(t, ox.Triple)
        ]
        gone = {q for q in removed if isinstance(q, ox.Quad)}
        everywhere = {t for t in removed if isinstance(t, ox.Triple)}
        plain = len(_plain(added)) + len(_plain(removed)) == len(added) + len(removed)
        if not isinstance(self.current, OxigraphView) or not plain:
            union = Graph()
            for triple in self.after.triples(None, None, None):  # the ontology included
                union.add(triple)
            return union.serialize(format="nt", encoding="utf-8")
        quads: Iterable[ox.Quad] = self.current.store.quads_for_pattern(None, None, None, None)
        if removed:
            quads = (
                q
                for q in quads
                if q not in gone
                and (
                    not everywhere or ox.Triple(q.subject, q.predicate, q.object) not in everywhere
                )
            )
        return _nquads(quads) + _nquads(new) + _ontology_text()

    def triples_with(self, literal: ox.Literal) -> list[Triple]:
        """The would-be state's triples whose object is ``literal`` (spelled as it is)."""
        return list(self.after.triples(None, None, self.terms.rdf(literal)))

    def after_dataset(self) -> Dataset:
        """The whole would-be state, graph by graph."""
        ds = Dataset()
        for s, p, o, key in self.current.quads():
            graphs = self.gone.get((s, p, o), set())
            if graphs is None or key in graphs:
                continue
            ds.add((s, p, o, _context(key)))  # type: ignore[arg-type]
        for (s, p, o), graph in self.added_quads:
            ds.add((s, p, o, _context(graph or "")))  # type: ignore[arg-type]
        for s, p, o, key in self.new.quads() if self.new is not None else ():
            ds.add((s, p, o, _context(key)))  # type: ignore[arg-type]
        return ds


class _Stated(Collection[Triple]):
    """The triples a view states, as a collection (``in`` looks one up)."""

    def __init__(self, view: TripleView) -> None:
        self.view = view

    def __contains__(self, triple: object) -> bool:
        return isinstance(triple, tuple) and bool(self.view.graphs(triple))

    def __iter__(self) -> Iterator[Triple]:
        return self.view.triples(None, None, None)

    def __len__(self) -> int:
        return self.view.size()


def _plain(items: list[ChangeItem]) -> list[ox.Quad | ox.Triple]:
    return [item for item in items if isinstance(item, ox.Quad | ox.Triple)]


def _store_of(items: Iterable[ox.Quad | ox.Triple]) -> ox.Store:
    store = ox.Store()
    store.extend(
        q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in items
    )
    return store


@functools.cache
def _ontology_triples() -> frozenset[ox.Triple]:
    return frozenset(ox.parse(_ontology_text(), format=ox.RdfFormat.N_TRIPLES))


def _nquads(quads: Iterable[ox.Quad]) -> bytes:
    written = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert written is not None
    return written


@functools.cache
def _ontology_text() -> bytes:
    return ontology_graph().serialize(format="nt", encoding="utf-8")


def _item(item: ChangeItem, terms: Terms, *, default: str | None) -> tuple[Triple, str | None]:
    if isinstance(item, ox.Quad):
        return terms.triple(item), oxigraph_graph_key(item.graph_name)
    if isinstance(item, ox.Triple):
        return terms.triple(item), default
    if len(item) == 4:
        return (item[0], item[1], item[2]), graph_key(item[3])
    return (item[0], item[1], item[2]), default


def _context(graph: str) -> Node:
    return DATASET_DEFAULT_GRAPH_ID if graph == "" else URIRef(graph)


# -- the plan: scope, and the graph its shapes read -----------------------------------------


class _Plan:
    """Find the focus nodes a change can alter, then the triples their shapes read."""

    def __init__(self, change: _Change, reach: Reach, *, focus: set[Node] | None = None) -> None:
        """Find the scope of ``change`` and what it reads; or, given ``focus`` (the nodes a
        screen flagged), only set it: :meth:`add_readers` and :meth:`collect` do the rest."""
        self.change, self.reach = change, reach
        self.steps = 0
        self.classes: dict[Node, set[Node]] = {}
        self.supers: dict[Node, set[Node]] = {}
        self.graph = Graph()
        self.shapes: list[Node] = []
        self.focus: set[Node] = set()
        if focus is not None:
            self.focus = focus
            self.scope = ChangeScope(None, "the whole would-be state, screened")
            return
        self.scope = self._scope()
        if self.scope.focus_nodes is not None and not self._collect(self.scope.focus_nodes):
            self.scope = ChangeScope(None, "the part of the graph in scope is too large")

    def add_readers(self, triples: Iterable[Triple]) -> bool:
        """Put in :attr:`focus` every node whose validation reads one of ``triples`` (or that
        they make a target); False when that is most of the graph."""
        reach, seeds = self.reach, list[tuple[Node, int]]()
        for s, p, o in triples:
            seeds.extend((s, state) for state in reach.fwd.get(p, ()))
            seeds.extend((o, state) for state in reach.inv.get(p, ()))
            if p in reach.by_subject_of or p == RDF.type:
                self.focus.add(s)
            if p in reach.by_object_of:
                self.focus.add(o)
        return self._readers(seeds, self.focus)

    def collect(self) -> None:
        """Gather what the shapes of :attr:`focus` read (see :meth:`_collect`), however much:
        the other way is a validation of everything."""
        self._collect(frozenset(self.focus), budget=False)

    def _scope(self) -> ChangeScope:
        reach = self.reach
        if reach.unsupported:
            return ChangeScope(None, reach.unsupported)
        if self.change.bulk is not None:
            return ChangeScope(None, f"the change touches more than {self.change.bulk} triples")
        changed = self.change.added | self.change.removed
        if len(changed) > BULK and len(changed) > BULK_SHARE * self.change.size():
            return ChangeScope(None, f"the change touches {len(changed)} triples")
        seeds: list[tuple[Node, int]] = []
        focus: set[Node] = set()
        retyped: set[Node] = set()
        for s, p, o in changed:
            if p == RDFS.subClassOf:
                return ChangeScope(None, "the change edits the class hierarchy")
            seeds.extend((s, state) for state in reach.fwd.get(p, ()))
            seeds.extend((o, state) for state in reach.inv.get(p, ()))
            # A node that becomes, or stops being, a target of some shape.
            if p == RDF.type:
                retyped.add(s)
            if p in reach.by_subject_of and self._flips(s, p, None):
                focus.add(s)
            if p in reach.by_object_of and self._flips(None, p, o):
                focus.add(o)
        for node in retyped:
            if self._class_targets(node) != self._class_targets(node, before=True):
                focus.add(node)
        # The nodes whose validation looks a changed triple up.
        if not self._readers(seeds, focus):
            return ChangeScope(None, "the scope is most of the graph")
        return ChangeScope(frozenset(focus))

    def _readers(self, seeds: list[tuple[Node, int]], focus: set[Node]) -> bool:
        """Add to ``focus`` the nodes whose validation reaches a seed (a node at a state that
        looks a triple up); False when the walk takes more lookups than the data has."""
        reach, after = self.reach, self.change.after
        seen, queue = set(seeds), deque(seeds)
        while queue:
            node, state = queue.popleft()
            shape = reach.shape_at.get(state)
            if shape is not None and node not in focus and self._targeted(shape, node):
                focus.add(node)
            for kind, predicate, source in reach.into[state]:
                if kind == "eps":
                    previous: Iterable[Node] = (node,)
                elif kind == "fwd":
                    previous = after.subjects(predicate, node)
                else:
                    previous = after.objects(node, predicate)
                self._visit(seen, queue, previous, source)
                if self._too_far():
                    return False
        return True

    def _visit(
        self,
        seen: set[tuple[Node, int]],
        queue: deque[tuple[Node, int]],
        nodes: Iterable[Node],
        state: int,
    ) -> None:
        """Queue each node at ``state`` unless it was there already; count the lookups."""
        for node in nodes:
            self.steps += 1
            if (node, state) not in seen:
                seen.add((node, state))
                queue.append((node, state))

    def _too_far(self) -> bool:
        """Whether the walk has looked up more triples than the data has: a full validation
        would cost less (the data's size is counted only past :data:`BULK` squared steps)."""
        return self.steps > BULK * BULK and self.steps > self.change.size()

    def _flips(self, s: Node | None, p: Node, o: Node | None) -> bool:
        """Whether triples match ``(s, p, o)`` after the change and not before, or the reverse."""
        before = self.change.before.first(s, p, o) is not None
        return before != (self.change.after.first(s, p, o) is not None)

    def _targeted(self, shape: Node, node: Node) -> bool:
        """Whether ``shape`` targets ``node`` after the change."""
        after = self.change.after
        for kind, value in self.reach.selectors[shape]:
            if kind == SH.targetNode and node == value:
                return True
            if kind == SH.targetClass and value in self._classes(node):
                return True
            if kind == SH.targetSubjectsOf and after.first(node, value, None):
                return True
            if kind == SH.targetObjectsOf and after.first(None, value, node):
                return True
        return False

    def _targets(self, node: Node) -> set[Node]:
        """The shapes that target ``node`` after the change; their witnesses go to the graph."""
        reach, after = self.reach, self.change.after
        shapes = set(reach.by_node.get(node, ())) | self._class_targets(node)
        for t in after.triples(node, RDF.type, None):
            self.graph.add(t)
        selectors: list[tuple[Node | None, Node, Node | None, set[Node]]]
        selectors = [(node, p, None, s) for p, s in reach.by_subject_of.items()]
        selectors += [(None, p, node, s) for p, s in reach.by_object_of.items()]
        for s, p, o, selected in selectors:
            witness = after.first(s, p, o)
            if witness is not None:
                self.graph.add(witness)
                shapes |= selected
        return shapes

    def _class_targets(self, node: Node, *, before: bool = False) -> set[Node]:
        reach = self.reach
        return {
            shape for c in self._classes(node, before=before) for shape in reach.by_class.get(c, ())
        }

    def _classes(self, node: Node, *, before: bool = False) -> set[Node]:
        """The classes of ``node``, with their superclasses."""
        if before or node not in self.classes:
            view = self.change.before if before else self.change.after
            found = {sup for cls in view.objects(node, RDF.type) for sup in self._supers(cls)}
            if before:
                return found
            self.classes[node] = found
        return self.classes[node]

    def _supers(self, cls: Node) -> set[Node]:
        """``cls`` and its superclasses (the hierarchy is the same before and after)."""
        if cls not in self.supers:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self.change.after.objects(todo.pop(), RDFS.subClassOf):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self.supers[cls] = found
        return self.supers[cls]

    def _collect(self, focus: frozenset[Node], *, budget: bool = True) -> bool:
        """Gather into :attr:`graph` what the shapes of ``focus`` read; False past the budget."""
        reach, after, graph = self.reach, self.change.after, self.graph
        queue: deque[tuple[Node, int]] = deque()
        shapes: set[Node] = set()
        for node in focus:
            targets = self._targets(node)
            shapes |= targets
            queue.extend((node, reach.start[shape]) for shape in targets)
        seen = set(queue)
        while queue:
            node, state = queue.popleft()
            for kind, predicate, target in reach.out[state]:
                reached: list[Node] = []
                if kind == "eps":
                    reached.append(node)
                elif kind == "fwd" and not isinstance(node, Literal):
                    for t in after.triples(node, predicate, None):
                        graph.add(t)
                        reached.append(t[2])
                elif kind == "inv":
                    for t in after.triples(None, predicate, node):
                        graph.add(t)
                        reached.append(t[0])
                self._visit(seen, queue, reached, target)
            if budget and self._too_far():
                return False
        for t in after.triples(None, RDFS.subClassOf, None):
            graph.add(t)
        self.shapes = sorted(shapes, key=str)
        return True


__all__ = [
    "BULK",
    "BULK_SHARE",
    "ChangeItem",
    "ChangeScope",
    "Data",
    "change_scope",
    "check_all",
    "check_change",
    "warm",
    "whole_reason",
]
