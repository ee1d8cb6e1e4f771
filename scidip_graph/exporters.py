"""Deterministic dumps of a store in every RDF format, and the JSON-LD context.

The same data always gives byte-identical dumps: quads are sorted and blank nodes carry the
stable labels given at load time. Formats without named graphs (Turtle, N-Triples, RDF/XML)
get the union of all graphs, and the :class:`DumpReport` says which graphs were merged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, BinaryIO

import pyoxigraph as ox

from .formats import RDF_KINDS, Format, get_format
from .namespaces import PREFIXES, RDF, XSD, compact_iri
from .store import Store


@dataclass
class DumpReport:
    """What a dump wrote.

    Attributes:
        format: the format written.
        statements: the number of triples (graph formats) or quads (dataset formats) written.
        merged_graphs: the graphs folded into one, when the format has no named graphs.
    """

    format: Format
    statements: int = 0
    merged_graphs: list[str] = field(default_factory=list)


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context of the project's output: its prefixes.

    >>> jsonld_context()["schema"]
    'http://schema.org/'
    """
    return dict(PREFIXES)


def dump(store: Store, format: str, out: BinaryIO, *, graph: str | None = None) -> DumpReport:
    """Write the whole dataset (or one graph) to ``out`` in a format.

    Args:
        store: the store to dump.
        format: a format name, alias, extension or media type of an RDF format.
        out: a binary file.
        graph: only this graph (``""``: the default graph); all graphs if None.

    Raises:
        UnknownNameError: for a format that is not an RDF format.

    >>> import io
    >>> from scidip_graph.store import OxigraphStore
    >>> s = OxigraphStore()
    >>> s.add([ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x"),
    ...                ox.NamedNode("http://g"))])
    >>> buf = io.BytesIO()
    >>> dump(s, "nt", buf).merged_graphs, buf.getvalue()
    (['http://g'], b'<http://a> <http://p> "x" .\\n')
    """
    fmt = get_format(format, kinds=RDF_KINDS)
    quads = sorted(store.quads(graph=graph), key=_quad_key)
    report = DumpReport(fmt)
    if not fmt.keeps_graphs:
        report.merged_graphs = sorted(
            {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        )
        quads = _union(quads)
    report.statements = len(quads)
    if fmt.name == "jsonld":
        out.write(jsonld_bytes(quads))
    else:
        prefixes = PREFIXES if fmt.name in ("turtle", "trig") else None
        ox.serialize(
            quads if fmt.keeps_graphs else [q.triple for q in quads],
            out,
            format=getattr(ox.RdfFormat, fmt.oxigraph or ""),
            prefixes=prefixes,
        )
    return report


def jsonld_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """Quads as compact JSON-LD with the project context; deterministic for sorted input.

    Named graphs become ``{"@id": graph, "@graph": [...]}`` objects beside the default
    graph's nodes.
    """
    nodes: list[dict[str, Any]] = []
    for graph, in_graph in groupby(quads, key=lambda q: q.graph_name):
        graph_nodes = [
            _node(subject, list(triples))
            for subject, triples in groupby(in_graph, key=lambda q: q.subject)
        ]
        if isinstance(graph, ox.DefaultGraph):
            nodes.extend(graph_nodes)
        else:
            nodes.append({"@id": compact_iri(graph.value), "@graph": graph_nodes})
    doc = {"@context": jsonld_context(), "@graph": nodes}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode() + b"\n"


def _node(subject: ox.NamedNode | ox.BlankNode, quads: list[ox.Quad]) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": _term_id(subject)}
    for predicate, group in groupby(quads, key=lambda q: q.predicate):
        objects = [q.object for q in group]
        if predicate.value == str(RDF.type):
            key, values = "@type", [compact_iri(o.value) for o in objects]
        else:
            key, values = compact_iri(predicate.value), [_value(o) for o in objects]
        node[key] = values[0] if len(values) == 1 else values
    return node


def _value(term: Any) -> Any:
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == str(XSD.string):
            return term.value
        return {"@value": term.value, "@type": compact_iri(term.datatype.value)}
    return {"@id": _term_id(term)}


def _term_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact_iri(term.value)


def _union(quads: list[ox.Quad]) -> list[ox.Quad]:
    triples = sorted({q.triple for q in quads}, key=lambda t: _quad_key(ox.Quad(*t)))
    return [ox.Quad(*t) for t in triples]


def _term_key(term: Any) -> tuple[int, str, str]:
    if isinstance(term, ox.DefaultGraph):
        return (0, "", "")
    if isinstance(term, ox.NamedNode):
        return (1, term.value, "")
    if isinstance(term, ox.BlankNode):
        return (2, term.value, "")
    return (3, term.value, term.language or term.datatype.value)


def _quad_key(q: ox.Quad) -> tuple[tuple[int, str, str], ...]:
    return (
        _term_key(q.graph_name),
        _term_key(q.subject),
        _term_key(q.predicate),
        _term_key(q.object),
    )
