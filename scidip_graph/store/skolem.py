"""Blank nodes on a remote store: kept there as IRIs (RDF 1.1 skolem IRIs), blank nodes here.

A remote store gives its blank nodes ids of its own, and SPARQL cannot name one again: a blank
node in a query is a variable, and ``DELETE DATA`` refuses them. The SHACL gate follows blank
nodes (a membership's period, its start and end are blank in the bundled data), and a write
must be able to remove exactly the triples it read. So what the remote store holds has every
blank node replaced by an IRI under :data:`GENID` (RDF 1.1's ``/.well-known/genid/`` scheme),
and everything read back has those IRIs turned into the blank nodes they stand for, with the
same ids: queries, dumps and pages see what the embedded store would give them.

>>> quad = ox.Quad(ox.BlankNode("b1"), ox.NamedNode("http://p"), ox.Literal("x"))
>>> stored = skolemize(quad)
>>> stored.subject.value
'https://w3id.org/scidip/.well-known/genid/b1'
>>> unskolemize(stored) == quad
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from scidip_graph.namespaces import SCIDIP

GENID = f"{SCIDIP}.well-known/genid/"
"""Where the blank nodes of the dataset are named on a remote store."""
_GENID_BYTES = GENID.encode()
# In SPARQL XML results an IRI is <uri>IRI</uri>; a literal's "<" is escaped, so this never
# matches inside one.
_XML_URI = re.compile(rb"<uri>" + re.escape(_GENID_BYTES) + rb"([^<]*)</uri>")


def skolem_term(term: Any) -> Any:
    """The term as the remote store keeps it (a blank node becomes an IRI)."""
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(GENID + term.value)
    return term


def unskolem_term(term: Any) -> Any:
    """The term as the dataset has it (an IRI under :data:`GENID` becomes a blank node)."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(GENID):
        return ox.BlankNode(term.value[len(GENID) :])
    return term


def skolemize(quad: ox.Quad) -> ox.Quad:
    """The quad as the remote store keeps it."""
    return ox.Quad(
        skolem_term(quad.subject),
        quad.predicate,
        skolem_term(quad.object),
        skolem_term(quad.graph_name),
    )


def unskolemize(quad: ox.Quad | ox.Triple) -> ox.Quad:
    """The quad (or a triple, in the default graph) as the dataset has it."""
    graph = quad.graph_name if isinstance(quad, ox.Quad) else ox.DefaultGraph()
    return ox.Quad(
        unskolem_term(quad.subject),
        quad.predicate,
        unskolem_term(quad.object),
        unskolem_term(graph),
    )


def unskolemize_all(items: Iterable[ox.Quad | ox.Triple]) -> Iterator[ox.Quad]:
    """:func:`unskolemize` each."""
    return (unskolemize(q) for q in items)


def unskolemize_xml_results(body: bytes) -> bytes:
    """SPARQL XML results with every skolem IRI written as the blank node it stands for.

    >>> unskolemize_xml_results(b"<binding name='x'><uri>" + _GENID_BYTES + b"b7</uri></binding>")
    b"<binding name='x'><bnode>b7</bnode></binding>"
    """
    if _GENID_BYTES not in body:
        return body
    return _XML_URI.sub(rb"<bnode>\1</bnode>", body)


def is_reserved(term: object) -> bool:
    """Whether ``term`` is an IRI the remote store reserves for blank nodes (no data may use
    one: it would come back as a blank node).

    >>> is_reserved(ox.NamedNode(GENID + "x")), is_reserved(ox.NamedNode("http://x"))
    (True, False)
    """
    return isinstance(term, ox.NamedNode) and term.value.startswith(GENID)
