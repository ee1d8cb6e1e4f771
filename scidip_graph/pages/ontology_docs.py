"""Documentation of the scidip ontology, generated from ``ontology/`` so it never drifts.

Classes and properties come from ``ontology/scidip.ttl`` (label, comment, domain, range, the
alignments to reused vocabularies), the constraints that apply to each from
``ontology/shapes.ttl``, and live examples from the store. No Flask.

>>> doc = ontology_doc()
>>> [t.curie for t in doc.classes][:1]
['sd:CallForApplications']
>>> term_labels()["https://w3id.org/scidip/ontology#Example"]
'example of science diplomacy'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH
from rdflib.term import Node

from scidip_graph.namespaces import SD, SHAPE_PREFIXES, compact
from scidip_graph.pages.readers import label_map, rows, values
from scidip_graph.resources import ONTOLOGY_DIR
from scidip_graph.store import Store

ONTOLOGY_FILE = ONTOLOGY_DIR / "scidip.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

_KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
}
_ALIGNMENTS = {
    RDFS.subClassOf: "subclass of",
    RDFS.subPropertyOf: "subproperty of",
    RDFS.seeAlso: "see also",
    OWL.equivalentClass: "equivalent class",
    OWL.equivalentProperty: "equivalent property",
}
_SHAPE_SKIP = {
    SH.path,
    SH.message,
    SH.severity,
    SH.property,
    SH.targetClass,
    SH.targetObjectsOf,
    SH.targetSubjectsOf,
    SH.targetNode,
    RDF.type,
    RDFS.label,
    RDFS.comment,
}


@dataclass(order=True)
class Link:
    """A term shown as text with an optional link (local anchor or outside IRI)."""

    text: str
    href: str | None = None


@dataclass
class ShapeDoc:
    """A SHACL shape that applies to a term, in words.

    Attributes:
        shape: the shape's CURIE.
        applies: how it applies (``targets every instance``, ``on schema:name of ...``).
        severity: ``Violation`` or ``Warning``.
        constraints: each constraint as ``name value`` text.
        message: the shape's message.
    """

    shape: str
    applies: str
    severity: str
    constraints: list[str]
    message: str


@dataclass
class TermDoc:
    """A class or property of the ontology."""

    iri: str
    curie: str
    anchor: str
    kind: str
    label: str
    comment: str
    domain: list[Link] = field(default_factory=list)
    range: list[Link] = field(default_factory=list)
    alignments: list[tuple[str, Link]] = field(default_factory=list)
    shapes: list[ShapeDoc] = field(default_factory=list)


@dataclass
class OntologyDoc:
    """The ontology's header and its terms."""

    iri: str
    title: str
    description: str
    version: str
    license: str | None
    modified: str | None
    classes: list[TermDoc]
    properties: list[TermDoc]
    statements: list[tuple[Link, str, Link]]


@dataclass
class Examples:
    """Live uses of a term in the data: how many, and the first few (subject, object)."""

    count: int = 0
    items: list[tuple[Link, Link | None]] = field(default_factory=list)


def ontology_doc(ontology: Path = ONTOLOGY_FILE, shapes: Path = SHAPES_FILE) -> OntologyDoc:
    """The documentation of the ontology (cached until a file changes)."""
    return _doc(ontology, ontology.stat().st_mtime, shapes, shapes.stat().st_mtime)


def term_labels() -> dict[str, str]:
    """``rdfs:label`` of every term the ontology defines, by IRI."""
    doc = ontology_doc()
    return {t.iri: t.label for t in doc.classes + doc.properties}


def live_examples(store: Store, doc: OntologyDoc, *, limit: int = 5) -> dict[str, Examples]:
    """Instances of each class and uses of each property in the store (three queries).

    >>> store = sample_store  # tests/data/sample.trig, given to the examples by conftest.py
    >>> ex = live_examples(store, ontology_doc())
    >>> ex["https://w3id.org/scidip/ontology#statedMemberCount"].count
    1
    """
    found: dict[str, Examples] = {t.iri: Examples() for t in doc.classes + doc.properties}
    pairs: list[tuple[str, object, object]] = []
    if doc.classes:
        q = f"SELECT ?t ?s WHERE {{ VALUES ?t {{ {values(t.iri for t in doc.classes)} }} ?s a ?t }}"
        pairs += [(r["t"].value, r["s"], None) for r in rows(store, q)]
    if doc.properties:
        props = values(t.iri for t in doc.properties)
        q = f"SELECT ?t ?s ?o WHERE {{ VALUES ?t {{ {props} }} ?s ?t ?o }}"
        pairs += [(r["t"].value, r["s"], r["o"]) for r in rows(store, q)]
    pairs.sort(key=lambda p: (p[0], str(p[1]), str(p[2])))
    kept = []
    for term, s, o in pairs:
        ex = found[term]
        ex.count += 1
        if len(ex.items) < limit:
            kept.append((term, s, o))
            ex.items.append((Link(""), None))
    iris = {getattr(x, "value", "") for _, s, o in kept for x in (s, o) if _is_iri(x)}
    labels = label_map(store, iris)
    counters = {t: 0 for t in found}
    for term, s, o in kept:
        i = counters[term]
        counters[term] += 1
        found[term].items[i] = (_live(s, labels), None if o is None else _live(o, labels))
    return found


def _is_iri(term: object) -> bool:
    return type(term).__name__ == "NamedNode"


def _live(term: object, labels: dict[str, str]) -> Link:
    from scidip_graph.pages.presentation import local_path

    value = str(getattr(term, "value", term))
    if _is_iri(term):
        return Link(labels.get(value, value), local_path(value) or value)
    return Link(value)


@lru_cache(maxsize=4)
def _doc(ontology: Path, _m1: float, shapes: Path, _m2: float) -> OntologyDoc:
    g = Graph().parse(ontology, format="turtle")
    s = Graph().parse(shapes, format="turtle")
    head = next(g.subjects(RDF.type, OWL.Ontology))
    terms = []
    for kind_iri, kind in _KINDS.items():
        for subject in g.subjects(RDF.type, kind_iri):
            if isinstance(subject, URIRef) and str(subject).startswith(str(SD)):
                terms.append(_term(g, s, subject, kind))
    terms.sort(key=lambda t: t.curie.lower())
    statements = [
        (_link(a), _ALIGNMENTS.get(p, compact(str(p))), _link(b))  # type: ignore[call-overload]
        for a, p, b in sorted(g, key=str)
        if isinstance(a, URIRef) and not str(a).startswith(str(SD)) and a != head
    ]
    lic = g.value(head, DCTERMS.license)
    modified = g.value(head, DCTERMS.modified)
    return OntologyDoc(
        iri=str(head),
        title=str(g.value(head, DCTERMS.title) or "scidip ontology"),
        description=" ".join(str(g.value(head, DCTERMS.description) or "").split()),
        version=str(g.value(head, OWL.versionInfo) or ""),
        license=str(lic) if lic else None,
        modified=str(modified) if modified else None,
        classes=[t for t in terms if t.kind == "class"],
        properties=[t for t in terms if t.kind != "class"],
        statements=statements,
    )


def _term(g: Graph, s: Graph, subject: URIRef, kind: str) -> TermDoc:
    curie = compact(str(subject))
    doc = TermDoc(
        iri=str(subject),
        curie=curie,
        anchor=curie.split(":", 1)[1],
        kind=kind,
        label=str(g.value(subject, RDFS.label) or curie),
        comment=" ".join(str(g.value(subject, RDFS.comment) or "").split()),
        domain=[_class_link(g, d) for d in g.objects(subject, RDFS.domain)],
        range=[_class_link(g, r) for r in g.objects(subject, RDFS.range)],
        alignments=[
            (_ALIGNMENTS[p], _link(o))
            for p in _ALIGNMENTS
            for o in sorted(g.objects(subject, p), key=str)
        ],
    )
    doc.shapes = _shapes_for(s, subject, kind == "class")
    return doc


def _shapes_for(s: Graph, term: URIRef, is_class: bool) -> list[ShapeDoc]:
    found: list[ShapeDoc] = []
    if is_class:
        for shape in sorted(s.subjects(SH.targetClass, term), key=str):
            found.append(_shape(s, shape, "targets every instance"))
            for prop in sorted(s.objects(shape, SH.property), key=str):
                path = _render(s, s.value(prop, SH.path))
                found.append(_shape(s, prop, f"on {path} of every instance"))
        return found
    for shape in sorted(s.subjects(SH.targetObjectsOf, term), key=str):
        found.append(_shape(s, shape, "targets every value of this property"))
    for prop in sorted(s.subjects(SH.path, term), key=str):
        owners = sorted(_render(s, n) for n in s.subjects(SH.property, prop))
        targets = sorted(
            _render(s, c)
            for n in s.subjects(SH.property, prop)
            for c in s.objects(n, SH.targetClass)
        )
        where = f"in {', '.join(owners)}" if owners else "a property shape"
        if targets:
            where += f" (instances of {', '.join(dict.fromkeys(targets))})"
        found.append(_shape(s, prop, where))
    return found


def _shape(s: Graph, shape: Node, applies: str) -> ShapeDoc:
    constraints = [
        f"{compact(str(p)).split(':', 1)[1]} {_render(s, o)}"
        for p, o in sorted(s.predicate_objects(shape), key=str)
        if str(p).startswith(str(SH)) and p not in _SHAPE_SKIP
    ]
    severity = s.value(shape, SH.severity)
    return ShapeDoc(
        shape=_render(s, shape) if isinstance(shape, URIRef) else "(inline shape)",
        applies=applies,
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        constraints=constraints,
        message=str(s.value(shape, SH.message) or ""),
    )


def _render(g: Graph, node: object) -> str:
    if isinstance(node, URIRef):
        return compact(str(node), prefixes=SHAPE_PREFIXES)
    if isinstance(node, Literal):
        return f'"{node}"' if isinstance(node.value, str) else str(node)
    if isinstance(node, BNode):
        if g.value(node, RDF.first) is not None or node == RDF.nil:
            return "(" + " ".join(_render(g, x) for x in Collection(g, node)) + ")"
        inner = "; ".join(
            f"{compact(str(p)).split(':', 1)[-1]} {_render(g, o)}"
            for p, o in sorted(g.predicate_objects(node))
        )
        return f"[{inner}]"
    return str(node)


def _link(node: object) -> Link:
    from scidip_graph.pages.presentation import local_path

    if isinstance(node, URIRef):
        iri = str(node)
        return Link(compact(iri), local_path(iri) or iri)
    return Link(str(node))


def _class_link(g: Graph, node: object) -> Link:
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        if members is not None:
            return Link(" or ".join(compact(str(x)) for x in Collection(g, members)))
    return _link(node)
