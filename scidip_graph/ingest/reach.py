"""What a shape reads: the triples SHACL Core looks up when it validates a focus node.

A shape validating a focus node reads the graph only by looking triples up by pattern: the
focus node's types for ``sh:targetClass``, the steps of each ``sh:path`` (``(n, p, ?)`` for a
predicate, ``(?, p, n)`` for ``sh:inversePath``), each value node's types for ``sh:class``, the
focus node's values of ``sh:equals``/``sh:disjoint``/``sh:lessThan``/``sh:lessThanOrEquals``,
and whatever the shapes nested in ``sh:node``, ``sh:property``, ``sh:qualifiedValueShape``,
``sh:and``/``sh:or``/``sh:xone``/``sh:not`` read from the nodes they are given. Every other
Core constraint (datatype, pattern, counts, ``sh:in``, ``sh:hasValue``...) only looks at the
value nodes themselves. So a shapes graph compiles to a small automaton: states are "this
node is validated by shape X" or "this node is reached part-way along a path", and each edge
is a lookup (``fwd p``, ``inv p``) or a hand-over to a nested shape (``eps``).

:class:`Reach` is that automaton. A changed triple ``(s, p, o)`` can change a result only
where a lookup matches it: ``(s, p, ?)`` done at a state with a ``fwd p`` edge, or ``(?, p, o)``
at a state with an ``inv p`` edge; walking the edges backwards from there finds the focus
nodes whose validation read it. Walking them forwards from a focus node collects what its
validation reads. Shapes whose reads cannot be listed this way (SPARQL constraints and
targets, ``sh:closed``, custom constraint components, rules) make :attr:`Reach.unsupported`
say why, and the gate validates everything instead.

>>> from scidip_graph.ingest.validation import default_shapes
>>> reach = compile_reach(default_shapes())
>>> reach.unsupported
''
>>> from scidip_graph.namespaces import SCHEMA, SD
>>> len(reach.fwd[SD.involvesOrganization]) > 0, SCHEMA.hasCourseInstance in reach.inv
(True, True)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from scidip_graph.namespaces import RDF, RDFS, SH, compact

# Core parameters that read nothing but the value nodes they are given (and shape metadata).
_LOCAL = {
    SH[name]
    for name in (
        "datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive "
        "maxInclusive minLength maxLength pattern flags languageIn uniqueLang hasValue in "
        "qualifiedMinCount qualifiedMaxCount severity message deactivated name description "
        "order group defaultValue targetClass targetNode targetSubjectsOf targetObjectsOf "
        "ignoredProperties"
    ).split()
}
_NESTED = (SH.node, SH.property, SH.qualifiedValueShape, SH["not"])
_NESTED_LISTS = (SH["and"], SH["or"], SH.xone)
_COMPARED = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)
_OFF_IF_TRUE = (SH.closed, SH.qualifiedValueShapesDisjoint)

Edge = tuple[str, URIRef | None, int]
"""A lookup from a state: (``"fwd"`` | ``"inv"`` | ``"eps"``, predicate, the other state)."""


@dataclass
class Reach:
    """The lookups of a shapes graph, as an automaton (see the module's docstring).

    Attributes:
        out: state -> its edges forwards; ``into``: state -> its edges backwards.
        fwd: predicate -> the states that look up ``(n, p, ?)``; ``inv`` the same for
            ``(?, p, n)``. ``rdf:type`` is in ``fwd`` for ``sh:class``.
        start: shape with targets -> the state where it validates its focus node.
        shape_at: the reverse of ``start``.
        by_class, by_node, by_subject_of, by_object_of: target -> the shapes it selects.
        selectors: shape with targets -> its targets, as (``sh:targetClass``..., value).
        unsupported: why the lookups cannot be listed ("" when they can).
    """

    out: dict[int, list[Edge]] = field(default_factory=dict)
    into: dict[int, list[Edge]] = field(default_factory=dict)
    fwd: dict[Node, set[int]] = field(default_factory=dict)
    inv: dict[Node, set[int]] = field(default_factory=dict)
    start: dict[Node, int] = field(default_factory=dict)
    shape_at: dict[int, Node] = field(default_factory=dict)
    by_class: dict[Node, set[Node]] = field(default_factory=dict)
    by_node: dict[Node, set[Node]] = field(default_factory=dict)
    by_subject_of: dict[Node, set[Node]] = field(default_factory=dict)
    by_object_of: dict[Node, set[Node]] = field(default_factory=dict)
    selectors: dict[Node, list[tuple[Node, Node]]] = field(default_factory=dict)
    unsupported: str = ""

    def new_state(self) -> int:
        state = len(self.out)
        self.out[state], self.into[state] = [], []
        return state

    def edge(self, source: int, kind: str, predicate: URIRef | None, target: int) -> None:
        self.out[source].append((kind, predicate, target))
        self.into[target].append((kind, predicate, source))
        if kind == "fwd":
            self.fwd.setdefault(predicate, set()).add(source)  # type: ignore[arg-type]
        elif kind == "inv":
            self.inv.setdefault(predicate, set()).add(source)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=4)
def compile_reach(shapes: Graph) -> Reach:
    """Compile a shapes graph into its lookups (cached per graph: do not change it after).

    Args:
        shapes: a SHACL shapes graph.
    """
    return _Compiler(shapes).run()


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.reach = Reach()
        self.states: dict[Node, int] = {}
        self.sink = self.reach.new_state()

    def run(self) -> Reach:
        g, reach = self.g, self.reach
        if any(g.triples((None, RDF.type, SH.ConstraintComponent))):
            reach.unsupported = "the shapes declare their own constraint components"
        class_types = {RDFS.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
        targets = (
            (SH.targetClass, reach.by_class),
            (SH.targetNode, reach.by_node),
            (SH.targetSubjectsOf, reach.by_subject_of),
            (SH.targetObjectsOf, reach.by_object_of),
        )
        for predicate, table in targets:
            for shape, target in g.subject_objects(predicate):
                table.setdefault(target, set()).add(shape)
                reach.selectors.setdefault(shape, []).append((predicate, target))
                reach.start[shape] = self.shape(shape)
        for shape in {s for t in class_types for s in g.subjects(RDF.type, t)}:
            if self._is_shape(shape):  # a shape that is also a class targets its instances
                reach.by_class.setdefault(shape, set()).add(shape)
                reach.selectors.setdefault(shape, []).append((SH.targetClass, shape))
                reach.start[shape] = self.shape(shape)
        for other in (SH.target, SH.rule, SH.sparql):
            if any(g.triples((None, other, None))):
                reach.unsupported = reach.unsupported or f"the shapes use {compact(str(other))}"
        reach.shape_at = {state: shape for shape, state in reach.start.items()}
        return reach

    def _is_shape(self, node: Node) -> bool:
        return any((node, RDF.type, kind) in self.g for kind in (SH.NodeShape, SH.PropertyShape))

    def shape(self, shape: Node) -> int:
        """The state where ``shape`` validates a node (compiled on first use)."""
        if shape in self.states:
            return self.states[shape]
        reach, g = self.reach, self.g
        state = self.states[shape] = reach.new_state()
        for predicate in set(g.predicates(shape)):
            known = predicate in _LOCAL or predicate in (SH.path, SH["class"])
            known = known or predicate in _NESTED or predicate in _NESTED_LISTS
            known = known or predicate in _COMPARED or not str(predicate).startswith(str(SH))
            if predicate in _OFF_IF_TRUE:  # harmless when false
                known = g.value(shape, predicate) == Literal(False)
            if not known:
                reach.unsupported = reach.unsupported or f"a shape uses {compact(str(predicate))}"
        path = g.value(shape, SH.path)
        value = state if path is None else self.path(path, state, inverted=False)
        if (shape, SH["class"], None) in g:
            reach.edge(value, "fwd", RDF.type, self.sink)
        for predicate in _COMPARED:
            for other in g.objects(shape, predicate):
                reach.edge(state, "fwd", _iri(other), self.sink)
        nested: list[Node] = [n for p in _NESTED for n in g.objects(shape, p)]
        for p in _NESTED_LISTS:
            for members in g.objects(shape, p):
                nested.extend(Collection(g, members))
        for child in nested:
            reach.edge(value, "eps", None, self.shape(child))
        return state

    def path(self, path: Node, source: int, *, inverted: bool) -> int:
        """Compile a property path from ``source``; returns the state of its value nodes."""
        reach, g = self.reach, self.g
        if isinstance(path, URIRef):
            end = reach.new_state()
            reach.edge(source, "inv" if inverted else "fwd", path, end)
            return end
        if (path, RDF.first, None) in g:
            steps: Iterable[Node] = list(Collection(g, path))
            state = source
            for step in reversed(list(steps)) if inverted else steps:
                state = self.path(step, state, inverted=inverted)
            return state
        if (inner := g.value(path, SH.inversePath)) is not None:
            return self.path(inner, source, inverted=not inverted)
        if (options := g.value(path, SH.alternativePath)) is not None:
            end = reach.new_state()
            for option in Collection(g, options):
                reach.edge(self.path(option, source, inverted=inverted), "eps", None, end)
            return end
        for repeat, at_least_once, at_most_once in (
            (SH.zeroOrMorePath, False, False),
            (SH.oneOrMorePath, True, False),
            (SH.zeroOrOnePath, False, True),
        ):
            if (inner := g.value(path, repeat)) is not None:
                start = self.path(inner, source, inverted=inverted) if at_least_once else source
                end = reach.new_state()
                reach.edge(start, "eps", None, end)
                step_end = self.path(inner, end if not at_most_once else start, inverted=inverted)
                reach.edge(step_end, "eps", None, end)
                return end
        reach.unsupported = reach.unsupported or f"a path this module cannot read: {path!r}"
        return self.sink


def _iri(node: Node) -> URIRef:
    return node if isinstance(node, URIRef) else URIRef(str(node))
