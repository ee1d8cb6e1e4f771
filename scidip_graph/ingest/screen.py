"""A fast screen for a whole graph: the focus nodes that have any SHACL result at all.

pySHACL takes minutes over a million triples; the ``shacl`` package (Rust, on PyPI) takes
seconds. It is a screen here, never the reporter: it names the focus nodes that have a result
(violation, warning or info), and pySHACL then validates exactly those nodes, on the part of
the graph their shapes read (:func:`scidip_graph.ingest.gate.check_all`). Its reports keep
pySHACL's messages, paths, values and severities; the screen's only duty is to miss no focus
node pySHACL would report (``tests/test_screen.py`` holds it to that on the bundled data,
generated benchmark data and every file of ``tests/shapes/``).

What keeps it exact where the two would otherwise differ:

- **blank nodes**: ``shacl`` relabels them, so its report could not name them. They are
  written as IRIs under a prefix of this process's own (:data:`SKOLEM`), and every shape
  whose verdict depends on a node being blank is given a guard that fails a stand-in wherever
  a blank node fails: ``sh:nodeKind sh:IRI`` and ``sh:IRIOrLiteral``, ``sh:pattern``,
  ``sh:minLength`` and ``sh:maxLength`` (a blank node never passes them). Shapes using
  ``sh:nodeKind`` with ``sh:BlankNode`` or ``sh:BlankNodeOrLiteral`` are not screened;
- **literals**: pySHACL reads a literal as rdflib does, which rejects some lexical forms
  ``shacl`` accepts (``"0000-01-01"^^xsd:date``, years past 9999, ``T24:00:00``) and
  normalises others (``"01"^^xsd:integer`` is ``"1"``). :func:`misread` finds such literals
  in the text, and the gate puts in scope every node whose shapes read them;
- **constraints**: only the Core parameters in :data:`SCREENED`, each of which the tests
  exercise, are screened; a shapes graph with any other (:func:`unscreened`) is validated by
  pySHACL whole.

Where ``shacl`` is not installed (it has no wheel for Linux on ARM), :func:`unscreened` says
so and the gate validates with pySHACL alone.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from scidip_graph.ingest.loading import to_rdflib
from scidip_graph.namespaces import RDF, SH, XSD, compact

try:
    import shacl
except ImportError:  # no wheel for this platform: pySHACL alone
    shacl = None  # type: ignore[assignment]

SKOLEM = f"urn:x-scidip-blank:{secrets.token_hex(8)}:"
"""The prefix under which the screen writes blank nodes as IRIs (random for each process, so
no data IRI can be taken for a blank node)."""

SCREENED = frozenset(
    SH[name]
    for name in (
        "class datatype nodeKind minCount maxCount minInclusive pattern languageIn "
        "uniqueLang in hasValue or not property qualifiedValueShape qualifiedMinCount"
    ).split()
)
"""The Core constraint parameters the screen is checked on (the project's shapes use them)."""

_CORE = SCREENED | {
    SH[name]
    for name in (
        "minExclusive maxExclusive maxInclusive minLength maxLength flags and xone node "
        "qualifiedMaxCount qualifiedValueShapesDisjoint closed ignoredProperties equals "
        "disjoint lessThan lessThanOrEquals sparql deactivated"
    ).split()
}
_BLANK_FAILS = (SH.pattern, SH.minLength, SH.maxLength)
_GUARDED_KINDS = (SH.IRI, SH.IRIOrLiteral)
_UNSCREENED_KINDS = (SH.BlankNode, SH.BlankNodeOrLiteral)
_SUBJECT = re.compile(rb"^_:(\S+) ", re.MULTILINE)
# The object: the third term of a line (IRIs hold no spaces, so the line's first two terms
# are two tokens); a blank node written in a literal never matches.
_OBJECT = re.compile(rb"^(\S+ <[^>]*> )_:([^\s\"]+)", re.MULTILINE)
_TYPED = re.compile(rb'"((?:[^"\\\n]|\\.)*)"\^\^<([^>]*)>')
_SKIPPED_TYPES = {str(XSD.string).encode(), str(RDF.langString).encode()}


def version() -> str | None:
    """The version of the ``shacl`` package, or None when it is not installed.

    >>> version() is None or version().count(".") >= 1
    True
    """
    return shacl.__version__ if shacl is not None else None


def unscreened(shapes: Graph) -> str:
    """Why the screen cannot stand in for pySHACL on ``shapes`` ("" when it can).

    >>> from scidip_graph.ingest.validation import default_shapes
    >>> unscreened(default_shapes()) in ("", "the shacl package is not installed")
    True
    """
    if shacl is None:
        return "the shacl package is not installed"
    for parameter in sorted(set(shapes.predicates()) & (_CORE - SCREENED), key=str):
        return f"the shapes use {compact(str(parameter))}, which the screen is not checked on"
    if any((None, SH.nodeKind, kind) in shapes for kind in _UNSCREENED_KINDS):
        return "the shapes ask for blank nodes (sh:nodeKind), which the screen writes as IRIs"
    return ""


def flagged(data: bytes, *, shapes: Graph, read: Callable[[object], Node] = to_rdflib) -> set[Node]:
    """The focus nodes that have any result on ``data``, validated against ``shapes``.

    Args:
        data: the whole graph, as N-Triples or N-Quads (graphs are merged, as validation
            does), blank nodes as pyoxigraph writes them.
        shapes: a shapes graph :func:`unscreened` accepts.
        read: a pyoxigraph term as an rdflib term (the gate's, which keeps literals'
            spellings to look them up again).

    Returns:
        The focus nodes, as rdflib terms (a blank node by its label in ``data``).
    """
    assert shacl is not None, "unscreened() says when the screen cannot run"
    text = _OBJECT.sub(rb"\1<" + SKOLEM.encode() + rb"\2>", _SUBJECT.sub(_skolem(), data))
    report = _compiled(shapes).validate_text(text.decode(), format="nquads", allow_warnings=True)
    return {read(_term(result.focus_node)) for result in report.results}


def misread(data: bytes) -> list[ox.Literal]:
    """The typed literals of ``data`` that pySHACL may read otherwise than the screen does:
    rdflib finds them ill-typed, or writes them another way.

    >>> misread(b'<s:a> <s:p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\\n')
    [<Literal value=01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>]
    >>> misread(b'<s:a> <s:p> "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .\\n')
    []
    """
    typed = {m[0] for m in _TYPED.finditer(data) if m[2] not in _SKIPPED_TYPES}
    if not typed:
        return []
    lines = b"".join(b"<s:s> <s:p> " + literal + b" .\n" for literal in sorted(typed))
    found = []
    for triple in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES):
        literal = triple.object
        assert isinstance(literal, ox.Literal)
        read = to_rdflib(literal)
        assert isinstance(read, Literal)
        if read.ill_typed or str(read) != literal.value:
            found.append(literal)
    return found


def _skolem() -> bytes:
    return b"<" + SKOLEM.encode() + rb"\1> "


def _term(written: str) -> object:
    """A focus node of ``shacl``'s report (N-Triples syntax) as a pyoxigraph term."""
    if written.startswith("<" + SKOLEM):
        return ox.BlankNode(written[len(SKOLEM) + 1 : -1])
    (triple,) = ox.parse(f"<s:s> <s:p> {written} .", format=ox.RdfFormat.N_TRIPLES)
    return triple.object


@functools.lru_cache(maxsize=8)
def _compiled(shapes: Graph) -> shacl.Shapes:
    """``shapes`` with the guards that fail a blank node's stand-in as a blank node fails,
    compiled by ``shacl``."""
    guarded = Graph()
    for triple in shapes:
        guarded.add(triple)
    guarded_shapes = {s for p in _BLANK_FAILS for s in shapes.subjects(p, None)}
    guarded_shapes |= {s for k in _GUARDED_KINDS for s in shapes.subjects(SH.nodeKind, k)}
    if guarded_shapes:
        stand_in = BNode()  # a value that is a blank node's stand-in
        guarded.add((stand_in, SH.nodeKind, SH.IRI))
        guarded.add((stand_in, SH.pattern, Literal("^" + re.escape(SKOLEM))))
        for shape in guarded_shapes:
            guarded.add((shape, SH["not"], stand_in))
    return shacl.Shapes.from_text(guarded.serialize(format="nt"), format="ntriples")


__all__ = ["SCREENED", "SKOLEM", "flagged", "misread", "unscreened", "version"]
