"""How RDF terms and SHACL property paths are written in reports: compact, Turtle-like.

IRIs are shortened by :func:`scidip_graph.namespaces.compact` with the prefixes bound in the
namespace manager given, to plain local names only: a path such as
``org:memberDuring/time:hasBeginning`` gives ``/`` a meaning of its own.

>>> from rdflib import URIRef
>>> nm = NamespaceManager(Graph(), bind_namespaces="none")
>>> _ = nm.bind("org", "http://www.w3.org/ns/org#")
>>> render_value(URIRef("http://www.w3.org/ns/org#role"), nm)
'org:role'
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from scidip_graph.namespaces import compact


def render_value(value: Node | None, names: NamespaceManager) -> str:
    """A term in Turtle syntax: an IRI as ``prefix:local`` when a prefix of ``names`` fits
    (else ``<iri>``), a blank node as ``_:id``, a literal with its datatype compacted; None
    as the empty string.

    >>> from rdflib import URIRef
    >>> from rdflib.namespace import XSD
    >>> nm = NamespaceManager(Graph(), bind_namespaces="none")
    >>> _ = nm.bind("schema", "http://schema.org/")
    >>> render_value(URIRef("http://schema.org/name"), nm), render_value(URIRef("http://x/a/b"), nm)
    ('schema:name', '<http://x/a/b>')
    >>> render_value(Literal("1954", datatype=XSD.gYear), NamespaceManager(Graph()))
    '"1954"^^xsd:gYear'
    """
    if value is None:
        return ""
    if isinstance(value, Literal):
        return value.n3(names)
    if isinstance(value, BNode):
        return f"_:{value}"
    iri = str(value)
    short = compact(iri, prefixes=_prefixes(names), plain=True)
    return short if short != iri else f"<{iri}>"


_TABLES: WeakKeyDictionary[NamespaceManager, dict[str, str]] = WeakKeyDictionary()


def _prefixes(names: NamespaceManager) -> dict[str, str]:
    """The prefix table of a namespace manager, made once (bind before the first use)."""
    table = _TABLES.get(names)
    if table is None:
        table = _TABLES[names] = {p: str(ns) for p, ns in names.namespaces()}
    return table


def render_path(graph: Graph, path: Node, names: NamespaceManager) -> str:
    """A SHACL property path (as stored in ``graph``) in SPARQL syntax.

    >>> from rdflib import URIRef
    >>> g = Graph().parse(data='@prefix sh: <http://www.w3.org/ns/shacl#> . '
    ...     '<urn:s> <urn:p> ( <urn:a> [ sh:inversePath <urn:b> ] ) .', format="turtle")
    >>> render_path(g, g.value(URIRef("urn:s"), URIRef("urn:p")), NamespaceManager(Graph()))
    '<urn:a>/^<urn:b>'
    """
    if not isinstance(path, BNode):
        return render_value(path, names)
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
    return render_value(path, names)


_REPEATS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def _group(graph: Graph, path: Node, names: NamespaceManager) -> str:
    text = render_path(graph, path, names)
    simple = not isinstance(path, BNode) or graph.value(path, SH.inversePath) is not None
    return text if simple else f"({text})"


__all__ = ["render_path", "render_value"]
