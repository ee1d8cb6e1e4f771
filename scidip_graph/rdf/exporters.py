"""Deterministic dumps of a store in every RDF format, and the JSON-LD context.

The same data always gives byte-identical dumps: quads are sorted and blank nodes carry the
stable labels given at load time. Formats without named graphs (Turtle, N-Triples, RDF/XML)
get the union of all graphs, and the :class:`DumpReport` says which graphs were merged.
JSON-LD is written by :mod:`scidip_graph.rdf.jsonld` with the project context.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol

import pyoxigraph as ox

from scidip_graph.namespaces import PREFIXES
from scidip_graph.rdf.formats import RDF_KINDS, Format, get_format
from scidip_graph.rdf.jsonld import jsonld_bytes, load_context, term_key

__all__ = ["DumpReport", "dump", "jsonld_bytes", "jsonld_context"]


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


class QuadSource(Protocol):
    """What a dump reads: a store's quads, of one graph or all (any Store of :mod:`..store`)."""

    def quads(self, *, graph: str | None = None) -> Iterable[ox.Quad]:
        """The quads, of ``graph`` alone when given."""
        ...


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context of the project's output (``ontology/context.jsonld``).

    >>> jsonld_context()["schema"], jsonld_context()["name"]
    ('http://schema.org/', 'schema:name')
    """
    return dict(load_context().document["@context"])


def dump(store: QuadSource, format: str, out: BinaryIO, *, graph: str | None = None) -> DumpReport:
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
    quads = list(store.quads(graph=graph))
    report = DumpReport(fmt)
    if not fmt.keeps_graphs:
        report.merged_graphs = sorted(
            {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        )
    report.statements = write_quads(quads, fmt, out)
    return report


def serialize_quads(
    quads: Iterable[ox.Quad],
    fmt: Format,
    *,
    prefixes: dict[str, str] | None = None,
    union: bool = False,
) -> bytes:
    """Quads in a format, deterministically: dataset formats keep the graphs (unless
    ``union``), the others get the union (each triple once, in the default graph).

    >>> q = ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x"),
    ...             ox.NamedNode("http://g"))
    >>> serialize_quads([q, q], get_format("nt"))
    b'<http://a> <http://p> "x" .\\n'
    """
    out = io.BytesIO()
    write_quads(_union(list(quads)) if union else quads, fmt, out, prefixes=prefixes)
    return out.getvalue()


def write_quads(
    quads: Iterable[ox.Quad],
    fmt: Format,
    out: BinaryIO,
    *,
    prefixes: dict[str, str] | None = None,
) -> int:
    """Write quads as :func:`serialize_quads` does; returns how many statements were written.

    ``prefixes`` (Turtle and TriG only) defaults to the project's.
    """
    data = sorted(set(quads), key=_quad_key) if fmt.keeps_graphs else _union(list(quads))
    if fmt.name == "jsonld":
        out.write(jsonld_bytes(data))
    else:
        ox.serialize(
            data if fmt.keeps_graphs else [q.triple for q in data],
            out,
            format=getattr(ox.RdfFormat, fmt.oxigraph or ""),
            prefixes=(prefixes or PREFIXES) if fmt.name in ("turtle", "trig") else None,
        )
    return len(data)


def _union(quads: list[ox.Quad]) -> list[ox.Quad]:
    triples = sorted({q.triple for q in quads}, key=lambda t: _quad_key(ox.Quad(*t)))
    return [ox.Quad(*t) for t in triples]


def _quad_key(q: ox.Quad) -> tuple[tuple[int, str, str], ...]:
    return (
        term_key(q.graph_name),
        term_key(q.subject),
        term_key(q.predicate),
        term_key(q.object),
    )
