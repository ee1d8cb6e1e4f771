"""Files -> quads, one named graph per source.

Parsing uses pyoxigraph's parsers: they are fast and report syntax errors with line and
column. Blank nodes are relabelled ``{file stem}-{n}`` in order of appearance, so that
loading the same files twice gives the same quads (deterministic dumps) and two files never
share a blank node by accident.

A dataset file (TriG, N-Quads, JSON-LD) names its own graphs; its default-graph block holds the
description of those graphs (provenance). A graph file (Turtle, N-Triples, RDF/XML) becomes the
named graph ``graph:{file stem}``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from scidip_graph.errors import DataSyntaxError, UsageError
from scidip_graph.namespaces import GRAPH, XSD
from scidip_graph.rdf.formats import RDF_KINDS, by_extension, get_format
from scidip_graph.resources import DATA_DIR

_XSD_STRING = str(XSD.string)

DEFAULT_GRAPH = ""
"""The key of the default graph in :attr:`LoadedSources.origins`."""


@dataclass
class LoadedSources:
    """Quads parsed from a set of files, and which file each graph came from.

    Attributes:
        quads: every quad, in file order then document order.
        origins: named-graph IRI -> the file that holds it; the default graph (``""``) maps
            to the files whose default-graph block it gathers, joined with ``", "``.
        files: the files read, in order.
    """

    quads: list[ox.Quad] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def graph_names(self) -> list[str]:
        """The named graphs, in the order their files were read."""
        return [g for g in self.origins if g != DEFAULT_GRAPH]

    def to_rdflib(self) -> Dataset:
        """A new rdflib :class:`~rdflib.Dataset` holding the quads (for SHACL, JSON-LD)."""
        return quads_to_rdflib(self.quads)


def bundled_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The data files of a folder and its subfolders (``data/cases/``), sorted by path."""
    return sorted(
        p for p in data_dir.rglob("*") if p.is_file() and _rdf_format_or_none(p) is not None
    )


def load_sources(paths: Iterable[Path | str] | None = None) -> LoadedSources:
    """Parse files (or, by default, the bundled ``data/``) into quads.

    Args:
        paths: files or folders; a folder contributes its RDF files, sorted by name.

    Raises:
        DataSyntaxError: with file, line and column, for the first file that does not parse.
        UsageError: for a path that does not exist or has no RDF extension.
    """
    loaded = LoadedSources()
    default_files: list[str] = []
    for path in _expand(paths):
        quads = parse_file(path)
        loaded.files.append(path)
        for graph in _graph_keys(quads):
            if graph == DEFAULT_GRAPH:
                default_files.append(str(path))
            elif graph in loaded.origins:
                raise UsageError(
                    f"{path}: graph <{graph}> is already defined in {loaded.origins[graph]}",
                    hint="each named graph comes from exactly one source file",
                )
            else:
                loaded.origins[graph] = str(path)
        loaded.quads.extend(quads)
    if default_files:
        loaded.origins[DEFAULT_GRAPH] = ", ".join(default_files)
    return loaded


def parse_file(path: Path | str, *, format: str | None = None) -> list[ox.Quad]:
    """Parse one file into quads, blank nodes relabelled ``{stem}-{n}``.

    Args:
        path: the file to read.
        format: a format name from :mod:`scidip_graph.rdf.formats`; by default the extension's.

    Raises:
        DataSyntaxError: with file, line and column when the file does not parse.
    """
    path = Path(path)
    fmt = get_format(format, kinds=RDF_KINDS) if format else by_extension(path.suffix)
    return parse_bytes(
        path.read_bytes(),
        format=fmt.name,
        source=str(path),
        graph_name=str(GRAPH[path.stem]),
        bnode_prefix=path.stem,
    )


def parse_bytes(
    data: bytes,
    *,
    format: str,
    source: str = "<input>",
    graph_name: str | None = None,
    bnode_prefix: str = "b",
    base_iri: str | None = None,
) -> list[ox.Quad]:
    """Parse a document into quads.

    Args:
        data: the document.
        format: a format name (``turtle``, ``trig``, ``jsonld``...).
        source: how errors name the document.
        graph_name: the graph that triples of a graph format go into (default graph if None).
        bnode_prefix: blank nodes become ``{bnode_prefix}-{n}`` in order of appearance.
        base_iri: the base for relative IRIs.

    Raises:
        DataSyntaxError: with source, line and column.

    >>> q = parse_bytes(b'<http://a> <http://b> [] .', format="turtle", bnode_prefix="x")
    >>> q[0].object.value
    'x-1'
    """
    fmt = get_format(format, kinds=RDF_KINDS)
    try:
        parsed = list(
            ox.parse(
                io.BytesIO(data),
                format=getattr(ox.RdfFormat, fmt.oxigraph or ""),
                base_iri=base_iri,
            )
        )
    except SyntaxError as err:
        line, column = err.lineno, err.offset
        if line is None:
            line, column = _locate(data, fmt.name, str(err.msg))
        raise DataSyntaxError(
            _strip_location(err.msg), source=source, line=line, column=column
        ) from None
    except UnicodeDecodeError as err:
        raise DataSyntaxError(f"not UTF-8: {err.reason}", source=source) from None
    target = ox.NamedNode(graph_name) if graph_name and fmt.kind == "graph" else None
    return list(relabel(parsed, bnode_prefix, target))


def quads_to_rdflib(quads: Iterable[ox.Quad]) -> Dataset:
    """Copy pyoxigraph quads into a new rdflib Dataset."""
    ds = Dataset()
    for q in quads:
        g = q.graph_name
        ctx = DATASET_DEFAULT_GRAPH_ID if isinstance(g, ox.DefaultGraph) else to_rdflib(g)
        ds.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), ctx))  # type: ignore[arg-type]
    return ds


def to_rdflib(term: Any) -> Node:
    """One pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # RDF 1.1 simple literal; rdflib keeps it untyped
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"no rdflib term for {term!r}")


def relabel(
    quads: Iterable[ox.Quad], prefix: str, target: ox.NamedNode | None
) -> Iterator[ox.Quad]:
    """The quads with blank nodes named ``{prefix}-{n}`` in order of appearance (the same
    names for the same document, however often it is read), in ``target`` if given."""
    labels: dict[str, ox.BlankNode] = {}

    def fix(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            if term.value not in labels:
                labels[term.value] = ox.BlankNode(f"{prefix}-{len(labels) + 1}")
            return labels[term.value]
        return term

    blank = ox.BlankNode
    for q in quads:
        s, o, g = q.subject, q.object, q.graph_name
        if target is None and not (
            isinstance(s, blank) or isinstance(o, blank) or isinstance(g, blank)
        ):
            yield q  # most quads: nothing to relabel, no new quad
            continue
        yield ox.Quad(fix(s), q.predicate, fix(o), target if target is not None else fix(g))


def _graph_keys(quads: list[ox.Quad]) -> list[str]:
    seen: dict[str, None] = {}
    for q in quads:
        g = q.graph_name
        seen.setdefault(DEFAULT_GRAPH if isinstance(g, ox.DefaultGraph) else g.value, None)
    return list(seen)


def _expand(paths: Iterable[Path | str] | None) -> Iterator[Path]:
    if paths is None:
        yield from bundled_files()
        return
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from bundled_files(path)
        elif path.is_file():
            if _rdf_format_or_none(path) is None:
                raise UsageError(f"{path}: not an RDF file (unknown extension {path.suffix!r})")
            yield path
        else:
            raise UsageError(f"{path}: no such file or folder")


def _rdf_format_or_none(path: Path) -> str | None:
    try:
        return by_extension(path.suffix).name
    except UsageError:
        return None


def _locate(data: bytes, format: str, message: str) -> tuple[int | None, int | None]:
    """Find where a parser error without a position happened (RDF/XML, JSON-LD).

    The well-formedness layer (XML, JSON) is re-read with the standard library, which knows
    positions; failing that, the first occurrence of the value the message quotes is used.
    """
    if format == "rdfxml":
        parser = expat.ParserCreate()
        try:
            parser.Parse(data, True)
        except expat.ExpatError as err:
            return err.lineno, err.offset + 1
    elif format == "jsonld":
        try:
            json.loads(data)
        except json.JSONDecodeError as err:
            return err.lineno, err.colno
        except UnicodeDecodeError:
            return None, None
    quoted = re.search(r"'([^']+)'|`([^`]+)`", message)
    if quoted:
        needle = (quoted[1] or quoted[2]).encode()
        at = data.find(needle)
        if at >= 0:
            before = data[:at]
            return before.count(b"\n") + 1, at - (before.rfind(b"\n") + 1) + 1
    return None, None


def _strip_location(message: str) -> str:
    # pyoxigraph says "Parser error between line 3 column 11 and line 4 column 1: reason";
    # the position is reported separately, so keep the reason.
    head, sep, reason = message.partition(": ")
    return reason if sep and head.startswith("Parser error") else message
