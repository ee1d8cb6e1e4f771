"""How RDF terms and SHACL property paths are written in reports: compact, Turtle-like.

>>> from rdflib import URIRef
>>> nm = NamespaceManager(Graph(), bind_namespaces="none")
>>> _ = nm.bind("org", "http://www.w3.org/ns/org#")
>>> compact(URIRef("http://www.w3.org/ns/org#role"), nm)
'org:role'
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node


def compact(node: Node | None, names: NamespaceManager) -> str:
    """An IRI as ``prefix:local`` when a known prefix fits, else ``<iri>``.

    >>> from rdflib import URIRef
    >>> nm = NamespaceManager(Graph(), bind_namespaces="none")
    >>> _ = nm.bind("schema", "http://schema.org/")
    >>> compact(URIRef("http://schema.org/name"), nm), compact(URIRef("http://x/a/b"), nm)
    ('schema:name', '<http://x/a/b>')
    """
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    iri = str(node)
    best = max(
        ((p, ns) for p, ns in names.namespaces() if iri.startswith(str(ns))),
        key=lambda pn: len(str(pn[1])),
        default=None,
    )
    if best is not None:
        local = iri[len(str(best[1])) :]
        if local and all(c.isalnum() or c in "-_" for c in local):
            return f"{best[0]}:{local}"
    return f"<{iri}>"


def render_value(value: Node, names: NamespaceManager) -> str:
    """A value in Turtle syntax, datatypes compacted.

    >>> from rdflib.namespace import XSD
    >>> nm = NamespaceManager(Graph())
    >>> render_value(Literal("1954", datatype=XSD.gYear), nm)
    '"1954"^^xsd:gYear'
    """
    if isinstance(value, Literal):
        return value.n3(names)
    return compact(value, names)


def render_path(graph: Graph, path: Node, names: NamespaceManager) -> str:
    """A SHACL property path (as stored in ``graph``) in SPARQL syntax.

    >>> from rdflib import URIRef
    >>> g = Graph().parse(data='@prefix sh: <http://www.w3.org/ns/shacl#> . '
    ...     '<urn:s> <urn:p> ( <urn:a> [ sh:inversePath <urn:b> ] ) .', format="turtle")
    >>> render_path(g, g.value(URIRef("urn:s"), URIRef("urn:p")), NamespaceManager(Graph()))
    '<urn:a>/^<urn:b>'
    """
    if not isinstance(path, BNode):
        return compact(path, names)
    if (path, RDF.first, None) in graph:
        return "/".join(_group(graph, p, names) for p in Collection(graph, path))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _group(graph, inverse, names)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_group(graph, p, names) for p in Collection(graph, alternatives))
    for predicate, suffix in _REPEATS.items():
        inner = graph.value(path, predicate)
        if inner is not None:
            return _group(graph, inner, names) + suffix
    return compact(path, names)


_REPEATS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def _group(graph: Graph, path: Node, names: NamespaceManager) -> str:
    text = render_path(graph, path, names)
    simple = not isinstance(path, BNode) or graph.value(path, SH.inversePath) is not None
    return text if simple else f"({text})"


__all__ = ["compact", "render_path", "render_value"]
