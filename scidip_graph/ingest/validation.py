"""SHACL validation of the knowledge graph, as a report people and programs can read.

Validation runs on the union of all graphs: the facts of one resource are spread over several
named graphs (a country's name in ``graph:iso3166``, its membership in
``graph:cern-member-states``). The quads are copied into a fresh graph with the ontology's
class hierarchy mixed in, so the caller's data is never touched (STYLE habit 13, as pySHACL
does). Each result names its focus node, path, offending value, message, severity and shape,
and the data files in which the focus node is described.

>>> from rdflib import Graph
>>> report = validate(Graph())
>>> report.conforms, report.results
(True, [])
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.collection import Collection as RDFList
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from scidip_graph.ingest.views import RdflibView
from scidip_graph.namespaces import RDF, RDFS, SH, SHAPE_PREFIXES
from scidip_graph.rdf.notation import render_path, render_value
from scidip_graph.resources import ONTOLOGY_DIR

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, in words and compact names.

    Attributes:
        focus_node: the IRI of the node that failed, or ``_:bN`` for a blank node.
        path: the property path as compact SPARQL syntax (``org:memberDuring/time:hasBeginning``),
            or None for a constraint on the node itself.
        value: the offending value in Turtle syntax, or None.
        message: what is wrong, from the shape's ``sh:message``.
        severity: ``Violation``, ``Warning`` or ``Info``.
        source_shape: the shape's compact IRI (``shape:Example-category``).
        constraint: the constraint component, e.g. ``sh:MinCountConstraintComponent``.
        files: the data files in which the focus node (or ``anchor``) is described.
        anchor: for a blank-node focus, the nearest IRI that reaches it; else the focus node.
    """

    focus_node: str
    path: str | None
    value: str | None
    message: str
    severity: str
    source_shape: str
    constraint: str
    files: tuple[str, ...] = ()
    anchor: str = ""


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`: conforms unless there is a Violation.

    Attributes:
        conforms: True when no result is a Violation (warnings do not fail).
        results: every result, in a stable order (by node, then severity, path, shape).
        graph: pySHACL's report graph (``sh:ValidationReport``).
    """

    conforms: bool
    results: list[ValidationResult]
    graph: Graph = field(repr=False)

    def violations(self) -> list[ValidationResult]:
        """The results of severity Violation.

        >>> ValidationReport(True, [], Graph()).violations()
        []
        """
        return [r for r in self.results if r.severity == "Violation"]

    def warnings(self) -> list[ValidationResult]:
        """The results of severity Warning.

        >>> ValidationReport(True, [], Graph()).warnings()
        []
        """
        return [r for r in self.results if r.severity == "Warning"]

    def text(self) -> str:
        """The report as text, grouped by node: the node and its files, then one line a result.

        >>> print(ValidationReport(True, [], Graph()).text())
        Conforms: 0 violations, 0 warnings.
        """
        v, w = len(self.violations()), len(self.warnings())
        head = "Conforms" if self.conforms else "Does not conform"
        lines = [f"{head}: {v} violation{'s' * (v != 1)}, {w} warning{'s' * (w != 1)}."]
        groups: dict[str, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.anchor or result.focus_node, []).append(result)
        for node, results in groups.items():
            files = results[0].files
            lines.append("")
            lines.append(f"<{node}>" + (f"  ({', '.join(files)})" if files else ""))
            for r in results:
                where = r.path or "(node)"
                if r.focus_node != node:
                    where = f"{r.focus_node} {where}"
                shown = r.value is not None and r.value.strip("<>") != r.focus_node
                value = f" = {r.value}" if shown else ""
                lines.append(
                    f"  {r.severity:<9} {where}{value}: {r.message}"
                    f" [{r.source_shape}, {r.constraint}]"
                )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON-ready dict: ``conforms``, counts and ``results``.

        >>> ValidationReport(True, [], Graph()).to_json()["conforms"]
        True
        """
        return {
            "conforms": self.conforms,
            "violations": len(self.violations()),
            "warnings": len(self.warnings()),
            "results": [{**asdict(r), "files": list(r.files)} for r in self.results],
        }

    def to_turtle(self) -> str:
        """pySHACL's report graph in Turtle.

        >>> "ValidationReport" in validate(Graph()).to_turtle()
        True
        """
        return self.graph.serialize(format="turtle")

    def __str__(self) -> str:
        return self.text()


def load_shapes(paths: Iterable[Path] | None = None) -> Graph:
    """Read SHACL shapes into a new graph; by default every ``ontology/shapes*.ttl``.

    Args:
        paths: Turtle files to read, in this order.

    Returns:
        A new graph the caller may change.

    >>> shapes = load_shapes()
    >>> from scidip_graph.namespaces import SHAPES
    >>> (SHAPES.ExampleShape, None, None) in shapes
    True
    """
    shapes = Graph()
    for prefix, iri in SHAPE_PREFIXES.items():
        shapes.bind(prefix, iri)
    for path in sorted(ONTOLOGY_DIR.glob("shapes*.ttl")) if paths is None else paths:
        shapes.parse(path, format="turtle")
    return shapes


@functools.cache
def default_shapes() -> Graph:
    """The bundled shapes (:func:`load_shapes`), read once and shared: do not change it."""
    return load_shapes()


@functools.cache
def ontology_graph() -> Graph:
    """The ontology (``ontology/scidip.ttl``), read once and shared: do not change it.

    Validation mixes it into the data, for its class hierarchy (``rdfs:subClassOf``).
    """
    path = ONTOLOGY_DIR / "scidip.ttl"
    return Graph().parse(path, format="turtle") if path.exists() else Graph()


def validate(
    data: Dataset | Graph,
    *,
    shapes: Graph | None = None,
    origins: Mapping[str, str] | None = None,
) -> ValidationReport:
    """Validate the union of all graphs in ``data`` against SHACL shapes; ``data`` is not changed.

    Args:
        data: a dataset (every named graph and the default graph are validated together) or
            a single graph.
        shapes: the shapes graph; by default :func:`load_shapes`.
        origins: named-graph IRI (``""`` for the default graph) -> the file it was read from,
            used to say in which files each failing node is described.

    Returns:
        The report; ``conforms`` is False only when there is a Violation.

    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ...     @prefix sd: <https://w3id.org/scidip/ontology#> .
    ...     <https://w3id.org/scidip/id/example/x> a sd:Example .''', format="turtle")
    >>> report = validate(g)
    >>> report.conforms
    False
    >>> sorted({r.source_shape for r in report.violations()})[:2]
    ['shape:EnglishName', 'shape:Example-category']
    """
    union, graphs_of = _union(data)
    for triple in ontology_graph():
        union.add(triple)
    return validate_graph(
        union, shapes=shapes, graphs=lambda node: graphs_of.get(node, ()), origins=origins
    )


class Neighbours(Protocol):
    """Where a blank node's referrers are found (an rdflib graph, or a view of a store)."""

    def subjects(self, predicate: Node | None, object: Node | None) -> Iterable[Node]:
        """The subjects of the triples that match."""


def validate_graph(
    union: Graph,
    *,
    shapes: Graph | None = None,
    node_shapes: Collection[Node] | None = None,
    focus_nodes: Collection[Node] | None = None,
    context: Neighbours | None = None,
    graphs: Callable[[Node], Iterable[str]] | None = None,
    origins: Mapping[str, str] | None = None,
) -> ValidationReport:
    """Validate one graph as it is (nothing is mixed in); ``union`` is not changed.

    The step after :func:`validate` has gathered the union, and what the SHACL gate
    (:mod:`scidip_graph.ingest.gate`) runs on the part of a graph a change touches.

    Args:
        union: the data, with the ontology already in it.
        shapes: the shapes graph; by default :func:`default_shapes`.
        node_shapes: only these shapes (shapes with targets) run, with the shapes nested in
            them; by default all.
        focus_nodes: only results about these focus nodes are kept (in ``results`` and in
            the report graph); by default all.
        context: where a blank-node focus finds the IRI that reaches it; by default ``union``.
        graphs: a node -> the keys of the graphs it is a subject in (``""``: default graph).
        origins: graph key -> file, as for :func:`validate`.

    >>> validate_graph(Graph(), node_shapes=[]).conforms
    True
    """
    shapes_graph = shapes if shapes is not None else default_shapes()
    if node_shapes is not None and not node_shapes:
        report_graph = Graph()
        report = BNode()
        report_graph.add((report, RDF.type, SH.ValidationReport))
        report_graph.add((report, SH.conforms, Literal(True)))
    else:
        _, report_graph, _ = pyshacl.validate(
            union,
            shacl_graph=(
                shapes_graph
                if node_shapes is None
                else _shapes_part(shapes_graph, frozenset(node_shapes))
            ),
            inference="none",
            allow_warnings=True,
            inplace=True,
        )
        assert isinstance(report_graph, Graph)
    if focus_nodes is not None:
        report_graph = _only_about(report_graph, set(focus_nodes))
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in SHAPE_PREFIXES.items():
        names.bind(prefix, iri)
    results = _results(
        report_graph,
        shapes_graph,
        context if context is not None else union,
        names,
        graphs or (lambda node: ()),
        origins or {},
    )
    conforms = not any(r.severity == "Violation" for r in results)
    for node in list(report_graph.subjects(RDF.type, SH.ValidationReport)):
        report_graph.set((node, SH.conforms, Literal(conforms)))
    return ValidationReport(conforms=conforms, results=results, graph=report_graph)


@functools.lru_cache(maxsize=64)
def _shapes_part(shapes: Graph, roots: frozenset[Node]) -> Graph:
    """The part of a shapes graph that ``roots`` use: their descriptions and those of the
    shapes nested in them, blank nodes (paths, lists, nested shapes) included.

    Given this part, pyshacl runs the same shapes the same way as given the whole graph (it
    has none of the others to run), and reads far less: its ``use_shapes`` option would skip
    the named shapes nested in the ones it names (``shape:EnglishName``).
    """
    part = Graph(bind_namespaces="none")
    for prefix, namespace in shapes.namespaces():
        part.bind(prefix, namespace)
    for triple in shapes.triples((None, RDFS.subClassOf, None)):  # implicit class targets
        part.add(triple)
    seen: set[Node] = set()
    todo = list(roots)
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        for s, p, o in shapes.cbd(shape):
            part.add((s, p, o))
            if p in (SH.node, SH.property, SH.qualifiedValueShape, SH["not"]):
                todo.append(o)
            elif p in (SH["and"], SH["or"], SH.xone):
                todo.extend(RDFList(shapes, o))
    return part


def _only_about(report: Graph, focus_nodes: set[Node]) -> Graph:
    """A copy of a report graph with only the results about ``focus_nodes``."""
    kept = Graph(namespace_manager=report.namespace_manager)
    for node in report.subjects(RDF.type, SH.ValidationReport):
        kept.add((node, RDF.type, SH.ValidationReport))
        for result in report.objects(node, SH.result):
            if report.value(result, SH.focusNode) in focus_nodes:
                kept.add((node, SH.result, result))
                for triple in report.cbd(result):
                    kept.add(triple)
    return kept


def _union(data: Dataset | Graph) -> tuple[Graph, dict[Node, set[str]]]:
    """Copy every quad into a new graph; index the graphs in which each subject appears."""
    union = Graph()
    graphs_of: dict[Node, set[str]] = {}
    for s, p, o, key in RdflibView(data).quads():
        union.add((s, p, o))
        graphs_of.setdefault(s, set()).add(key)
    return union, graphs_of


def _anchor(node: Node, union: Neighbours) -> Node:
    """The nearest IRI subject that reaches a blank node (the node itself if it is an IRI)."""
    level, seen = {node}, {node}
    while level:
        iris = [n for n in level if not isinstance(n, BNode)]
        if iris:
            return min(iris, key=str)
        level = {s for n in level for s in union.subjects(None, n)} - seen
        seen |= level
    return node


def _results(
    report: Graph,
    shapes_graph: Graph,
    union: Neighbours,
    names: NamespaceManager,
    graphs_of: Callable[[Node], Iterable[str]],
    origins: Mapping[str, str],
) -> list[ValidationResult]:
    raw: dict[tuple[Any, ...], tuple[Node, Node | None, ValidationResult]] = {}
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        assert focus is not None
        anchor = _anchor(focus, union)
        files = _files(anchor, graphs_of, origins)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        result = ValidationResult(
            focus_node=str(focus),
            path=render_path(report, path, names) if path is not None else None,
            value=render_value(value, names) if value is not None else None,
            message=" ".join(messages),
            severity=render_value(report.value(node, SH.resultSeverity), names).removeprefix("sh:"),
            source_shape=_shape_name(shape, shapes_graph, names),
            constraint=render_value(report.value(node, SH.sourceConstraintComponent), names),
            files=files,
            anchor=str(anchor),
        )
        # The same property shape reached from two node shapes (a country is also a place)
        # gives the same result twice: keep one.
        key = (str(focus), result.path, result.value, result.source_shape, result.constraint)
        raw.setdefault(key, (focus, value, result))
    return _number_blank_nodes(sorted(raw.values(), key=lambda fvr: _sort_key(fvr[2])))


def _files(
    node: Node, graphs_of: Callable[[Node], Iterable[str]], origins: Mapping[str, str]
) -> tuple[str, ...]:
    """The files of the graphs in which ``node`` is a subject.

    The default graph gathers the provenance blocks of several files (``origins[""]`` lists
    them, comma-separated); a graph described there is attributed to its own file.
    """
    files: set[str] = set()
    for graph in graphs_of(node):
        if graph == "" and str(node) in origins:
            files.add(origins[str(node)])
        elif graph in origins:
            files.update(f.strip() for f in origins[graph].split(", ") if f.strip())
    return tuple(sorted(files))


def _sort_key(r: ValidationResult) -> tuple[Any, ...]:
    return (
        r.anchor,
        SEVERITY_ORDER.get(r.severity, 9),
        r.path or "",
        r.source_shape,
        r.constraint,
        r.value or "",
        r.focus_node if not r.focus_node.startswith("_:") else "",
    )


def _number_blank_nodes(
    triples: list[tuple[Node, Node | None, ValidationResult]],
) -> list[ValidationResult]:
    """Name blank nodes ``_:b0``, ``_:b1``... in report order, so the text is reproducible."""
    labels: dict[Node, str] = {}
    out = []
    for focus, value, result in triples:
        changes: dict[str, Any] = {}
        if isinstance(focus, BNode):
            changes["focus_node"] = labels.setdefault(focus, f"_:b{len(labels)}")
        if isinstance(value, BNode):
            changes["value"] = labels.setdefault(value, f"_:b{len(labels)}")
        out.append(replace(result, **changes) if changes else result)
    return out


def _shape_name(shape: Node | None, shapes_graph: Graph, names: NamespaceManager) -> str:
    if shape is None:
        return ""
    if not isinstance(shape, BNode):
        return render_value(shape, names)
    # A blank property shape: name the node shape that holds it.
    parent = min(shapes_graph.subjects(SH.property, shape), key=str, default=None)
    return f"_:property of {render_value(parent, names)}" if parent is not None else "_:shape"


def report_as_json(report: ValidationReport) -> str:
    """The report as a JSON document (for the CLI and the HTTP API).

    >>> json.loads(report_as_json(validate(Graph())))["results"]
    []
    """
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)


__all__ = [
    "ValidationReport",
    "ValidationResult",
    "default_shapes",
    "load_shapes",
    "ontology_graph",
    "report_as_json",
    "validate",
    "validate_graph",
]
