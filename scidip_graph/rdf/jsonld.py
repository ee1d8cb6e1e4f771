"""JSON-LD with the project context: compact, readable, deterministic, exact on a round trip.

One writer for every JSON-LD the project produces (the CLI export, the SPARQL endpoint's
CONSTRUCT and DESCRIBE answers, the resource pages, the dataset description). Keys are the
short terms of ``ontology/context.jsonld`` (``name``, ``memberOf``...), ``@id`` values and
datatypes are compact IRIs (``id:country/CH``, ``xsd:date``), classes in ``@type`` are terms.

A term with a fixed ``@type`` (``"memberOf": {"@type": "@id"}``, ``"inXSDDate": {"@type":
"xsd:date"}``) is only used for values of that type: any other value of the same property
goes under the compact IRI key (``"time:inXSDDate": "2024"``), so that a round trip gives
back exactly the same quads. Blank nodes that one triple of a graph points to are written
inline, up to :data:`MAX_NESTING` levels deep. Named graphs become ``{"@id": graph, ...,
"@graph": [...]}`` nodes, merged with the graph's description from the default graph. JSON-LD
1.1 has no triple terms (RDF 1.2): quads with one are refused with a 406 naming the formats
that have them.

Nothing here fetches anything: the context is a file of this repository, embedded in the
document unless a URL is given.

Why a writer of our own, against DESIGN's preference for a library: measured, it is the only
one both exact and fast with our context. ``bench/bench_jsonld.py`` times each writer from the
store's quads to the bytes of a document with ``ontology/context.jsonld``, and reads every
document back with PyLD and with pyoxigraph (2026-11-30, 2 cores, best of 3 runs; the table is
in BENCHMARKS.md):

- ours: 0.032 s for the bundled data (4,155 quads), 1.15 s for 99,907 generated quads; both
  readers give back the same dataset, by isomorphism;
- PyLD 3.3.0 (``from_rdf``, then ``compact`` with a document loader that fetches nothing):
  exact, but 36x slower on the bundled data (1.13 s) and 581x at 100k (668 s, one run): its
  ``from_rdf`` grows quadratically (1.1 s at 4k quads, 6.1 s at 10k);
- rdflib 7.6.0 (``serialize(format="json-ld", context=...)``): 4-5x slower (0.13 s, 5.9 s),
  and wrong: with a context it drops the triples of the blank nodes a term coerced to ``@id``
  points to (7.7% of the bundled quads, 12.6% of the generated ones), moves the default graph
  into a blank-node graph, and rewrites ``xsd:dateTime`` values (``Z`` as ``+00:00``);
- pyoxigraph 0.5.13's own writer, for reference: exact and 11-16x faster than ours, but it
  takes prefixes, not terms (keys would be ``schema:name``, not ``name``): the writer to use if
  the short keys are ever given up.

Rerun: ``python bench/bench_jsonld.py --triples 100000 --repeat 3`` (about 12 minutes, most of
it PyLD's; PyLD is installed for the run only, into ``bench/data/pyld/``).

>>> import pyoxigraph as ox
>>> cern = ox.NamedNode("https://w3id.org/scidip/id/organization/cern")
>>> doc = jsonld_document([ox.Quad(cern, ox.NamedNode("http://schema.org/name"),
...                                ox.Literal("CERN", language="en"))], context_url="/c")
>>> doc["@graph"]
[{'@id': 'id:organization/cern', 'name': {'@value': 'CERN', '@language': 'en'}}]
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import pyoxigraph as ox

from scidip_graph.errors import NotAcceptableError
from scidip_graph.namespaces import RDF, XSD, compact, expand
from scidip_graph.rdf.formats import FORMATS, RDF_KINDS
from scidip_graph.resources import ONTOLOGY_DIR

CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"
"""The project's JSON-LD context, served at ``/context.jsonld``."""

RDF_TYPE = str(RDF.type)
_STRING, _BOOLEAN = str(XSD.string), str(XSD.boolean)
_NATIVE = {str(XSD.integer), _BOOLEAN}

MAX_NESTING = 64
"""Blank nodes written inside one another at most; deeper ones become nodes of their own."""


@dataclass(frozen=True)
class Context:
    """The context, read once, with the lookups the writer needs.

    Attributes:
        document: the file's JSON (``{"@context": {...}}``).
        prefixes: prefix -> namespace, as the file declares them.
        terms: IRI -> (term, coercion) for properties; coercion is ``"@id"``, a datatype IRI
            or None.
        classes: IRI -> term for the terms usable in ``@type``.
    """

    document: dict[str, Any]
    prefixes: dict[str, str]
    terms: dict[str, tuple[str, str | None]]
    classes: dict[str, str]

    def compact(self, iri: str) -> str:
        """An IRI as ``prefix:local`` when a prefix of the context covers it.

        >>> load_context().compact("https://w3id.org/scidip/id/country/CH")
        'id:country/CH'
        """
        return compact(iri, prefixes=self.prefixes)


@cache
def load_context() -> Context:
    """The project context, read from ``ontology/context.jsonld`` once per process.

    >>> load_context().terms["http://schema.org/name"]
    ('name', None)
    """
    document = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))
    definitions: dict[str, Any] = document["@context"]
    namespaces = {
        key: value
        for key, value in definitions.items()
        if isinstance(value, str) and value.endswith(("/", "#"))
    }

    full = partial(expand, prefixes=namespaces)
    terms: dict[str, tuple[str, str | None]] = {}
    classes: dict[str, str] = {}
    for key, value in definitions.items():
        if key in namespaces:
            continue
        if isinstance(value, str) and key[:1].isupper():
            classes[full(value)] = key
        elif isinstance(value, str):
            terms[full(value)] = (key, None)
        else:
            coercion = value.get("@type")
            terms[full(value["@id"])] = (key, full(coercion) if coercion else None)
    return Context(document, namespaces, terms, classes)


def context_bytes() -> bytes:
    """The context file as served (as JSON-LD, at ``/context.jsonld``).

    >>> context_bytes().startswith(b'{')
    True
    """
    return CONTEXT_PATH.read_bytes()


def jsonld_document(quads: Iterable[ox.Quad], *, context_url: str | None = None) -> dict[str, Any]:
    """Quads as a compact JSON-LD document; the same quads in any order give the same document.

    Args:
        quads: the quads (or triples as quads in the default graph) to write.
        context_url: reference the context by this URL; embed it when None (the default),
            so the document is self-contained.

    >>> jsonld_document([])
    {'@context': {...}, '@graph': []}
    """
    ctx = load_context()
    unique = set(quads)
    by_graph: dict[Any, list[ox.Quad]] = defaultdict(list)
    for quad in unique:
        if isinstance(quad.object, ox.Triple):
            raise triple_term_refused(quad.object)
        by_graph[quad.graph_name].append(quad)
    inline = _inline_blank_nodes(unique)
    default = _graph_nodes(ctx, by_graph.pop(ox.DefaultGraph(), []), inline)
    index = {node["@id"]: node for node in default if "@id" in node}
    for graph in sorted(by_graph, key=term_key):
        nodes = _graph_nodes(ctx, by_graph[graph], inline)
        graph_id = _node_id(ctx, graph)
        if graph_id not in index:
            index[graph_id] = {"@id": graph_id}
            default.append(index[graph_id])
        index[graph_id]["@graph"] = nodes
    default.sort(key=lambda node: node.get("@id", ""))
    context: Any = context_url if context_url is not None else ctx.document["@context"]
    return {"@context": context, "@graph": default}


def jsonld_bytes(quads: Iterable[ox.Quad], *, context_url: str | None = None) -> bytes:
    """:func:`jsonld_document` as UTF-8 bytes, indented, with a final newline.

    >>> jsonld_bytes([], context_url="https://example.org/c")
    b'{\\n  "@context": "https://example.org/c",\\n  "@graph": []\\n}\\n'
    """
    document = jsonld_document(quads, context_url=context_url)
    return json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"


def triple_term_refused(term: ox.Triple) -> NotAcceptableError:
    """The error for a triple term (RDF 1.2), which JSON-LD 1.1 has no way to write.

    >>> t = ox.Triple(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x"))
    >>> triple_term_refused(t).detail["available"][:2]
    ['text/turtle', 'application/n-triples']
    """
    others = [f.media_type for f in FORMATS if f.kind in RDF_KINDS and f.name != "jsonld"]
    text = str(term)
    return NotAcceptableError(
        "JSON-LD cannot carry triple terms (RDF 1.2), and this result has one: "
        f"<<( {text if len(text) <= 200 else text[:200] + '...'} )>>",
        hint="ask for one of: " + ", ".join(others),
        detail={"format": "jsonld", "available": others},
    )


# -- one graph ------------------------------------------------------------------------------


def _inline_blank_nodes(quads: set[ox.Quad]) -> set[ox.BlankNode]:
    """Blank nodes that can be written inside the one node that points to them.

    That is: the object of exactly one quad in the whole document, described only in the
    graph of that quad, and not the name of a graph. (Blank node labels are scoped to the
    document, so a node used across graphs keeps its label.)
    """
    referenced: dict[ox.BlankNode, list[Any]] = defaultdict(list)
    described: dict[Any, set[Any]] = defaultdict(set)
    for quad in quads:
        if isinstance(quad.object, ox.BlankNode):
            referenced[quad.object].append(quad.graph_name)
        if isinstance(quad.subject, ox.BlankNode):
            described[quad.subject].add(quad.graph_name)
    graph_names = {quad.graph_name for quad in quads}
    return {
        node
        for node, graphs in referenced.items()
        if len(graphs) == 1 and described.get(node) == {graphs[0]} and node not in graph_names
    }


def _graph_nodes(
    ctx: Context, quads: list[ox.Quad], all_inline: set[ox.BlankNode]
) -> list[dict[str, Any]]:
    """The node objects of one graph, blank nodes referenced once written inline.

    Built with a work list, not recursion, so a chain of blank nodes of any length is written;
    past :data:`MAX_NESTING` levels a blank node is written as a node of its own, with its
    label, so that the document stays shallow enough for JSON parsers.
    """
    by_subject: dict[Any, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        by_subject[quad.subject].append(quad)
    inline: set[Any] = {node for node in all_inline if node in by_subject}
    written: set[Any] = set()  # subjects that have a node object (at the top or inline)
    nodes: list[dict[str, Any]] = []
    too_deep: list[Any] = []  # inline blank nodes past MAX_NESTING, written at the top

    def write(subject: Any) -> None:
        written.add(subject)
        top: dict[str, Any] = {"@id": _node_id(ctx, subject)}
        nodes.append(top)
        pending: list[tuple[Any, dict[str, Any], int]] = [(subject, top, 0)]

        def nest(obj: Any, *, depth: int) -> dict[str, Any] | None:
            if not isinstance(obj, ox.BlankNode) or obj not in inline or obj in written:
                return None
            written.add(obj)
            if depth >= MAX_NESTING:
                too_deep.append(obj)
                return None
            child: dict[str, Any] = {}  # filled when its turn on the work list comes
            pending.append((obj, child, depth + 1))
            return child

        while pending:
            current, node, depth = pending.pop()
            for key, values in _properties(ctx, by_subject[current], partial(nest, depth=depth)):
                node[key] = values[0] if len(values) == 1 else values

    def write_too_deep() -> None:
        while too_deep:
            write(too_deep.pop(0))

    for subject in sorted((s for s in by_subject if s not in inline), key=term_key):
        write(subject)
        write_too_deep()
    # Blank nodes referenced once but only from each other (a cycle) have no top to hang on.
    for subject in sorted(inline - written, key=term_key):
        if subject not in written:
            write(subject)
            write_too_deep()
    return nodes


def _properties(
    ctx: Context, quads: list[ox.Quad], nest: Callable[[Any], dict[str, Any] | None]
) -> list[tuple[str, list[Any]]]:
    """The keys and values of one node; ``nest`` gives the node object of a blank node to
    write inline (None: write a reference)."""
    entries: dict[str, list[tuple[tuple[Any, ...], Any]]] = defaultdict(list)
    for quad in quads:
        predicate, obj = quad.predicate.value, quad.object
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
            entries["@type"].append(
                (term_key(obj), ctx.classes.get(obj.value) or ctx.compact(obj.value))
            )
            continue
        term, coercion = ctx.terms.get(predicate, (None, None))
        if term is not None and coercion is not None and not _fits(obj, coercion):
            term = None
        key = term or ctx.compact(predicate)
        child = nest(obj)
        value = child if child is not None else _value(ctx, obj, coercion if term else None)
        entries[key].append((term_key(obj), value))
    ordered = sorted(entries.items(), key=lambda kv: (kv[0] != "@type", kv[0]))
    return [
        (key, [value for _, value in sorted(values, key=lambda kv: kv[0])])
        for key, values in ordered
    ]


def _fits(obj: Any, coercion: str) -> bool:
    if coercion == "@id":
        return isinstance(obj, ox.NamedNode | ox.BlankNode)
    return isinstance(obj, ox.Literal) and obj.datatype.value == coercion and not obj.language


def _value(ctx: Context, obj: Any, coercion: str | None) -> Any:
    if isinstance(obj, ox.NamedNode | ox.BlankNode):
        node_id = _node_id(ctx, obj)
        return node_id if coercion == "@id" else {"@id": node_id}
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    datatype = obj.datatype.value
    if datatype in _NATIVE:
        native = _native(obj.value, datatype)
        if native is not None:
            return native
    if coercion is not None or datatype == _STRING:
        return obj.value
    return {"@value": obj.value, "@type": ctx.compact(datatype)}


def _native(lexical: str, datatype: str) -> int | bool | None:
    """A JSON number or boolean when it gives back exactly this literal, else None."""
    if datatype == _BOOLEAN:
        return {"true": True, "false": False}.get(lexical)
    try:
        number = int(lexical)
    except ValueError:
        return None
    # JSON-LD turns numbers of 10^21 and more into doubles.
    return number if str(number) == lexical and abs(number) < 10**21 else None


def _node_id(ctx: Context, term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else ctx.compact(term.value)


def term_key(term: Any) -> tuple[int, str, str]:
    """A sort key for RDF terms: the default graph, IRIs, blank nodes, literals, then triple
    terms (by their N-Triples text).

    >>> t = ox.Triple(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x"))
    >>> term_key(t)
    (4, '<http://a> <http://p> "x"', '')
    """
    if isinstance(term, ox.DefaultGraph):
        return (0, "", "")
    if isinstance(term, ox.NamedNode):
        return (1, term.value, "")
    if isinstance(term, ox.BlankNode):
        return (2, term.value, "")
    if isinstance(term, ox.Triple):
        return (4, str(term), "")
    return (3, term.value, term.language or term.datatype.value)
