"""The SPARQL 1.1 Graph Store HTTP Protocol, without HTTP: read, replace, merge, delete a graph.

The web layer (:mod:`scidip_graph.web.graph_store`) turns ``/store?graph=IRI`` and
``/store?default`` into calls here. Reads are anonymous; every write computes its change as
quads added and removed and hands it to the write core SPARQL Update uses
(:func:`~scidip_graph.sparql.update.commit_change`: the curator's graphs, the SHACL gate, the
change log, ``dct:modified``), so an upload is applied whole or not at all.

Uploads are parsed fully before anything is written, by pyoxigraph (errors with line and
column, :func:`~scidip_graph.ingest.loading.parse_bytes`), after two checks of our own that
read the bytes, not the engine's result:

- JSON-LD: a ``@context`` given by URL (``http:``, ``https:``, ``file:``, any) or an
  ``@import`` is refused, naming it. pyoxigraph has no document loader set and cannot fetch
  either (``tests/test_graph_store.py`` checks it with a loopback canary): the check is for a
  message that names the problem.
- RDF/XML: a document type declaration or an entity declaration is refused before parsing
  (pyoxigraph expands internal entities, so a billion-laughs bomb would otherwise be expanded);
  the document must be UTF-8 (or ASCII) without NUL bytes, so the check reads what the parser
  reads.

An RDF/XML document must also be well-formed XML as a whole (the standard library's parser
reads it once the DTD check has passed): pyoxigraph takes a document cut short as the part it
read, and would store a truncated upload.

A dataset upload (TriG, N-Quads, JSON-LD) goes into the graph the request names: its
default-graph triples and those of a graph block naming the same graph go there; a block naming
any other graph refuses the whole upload (400), as a write to one graph never writes another.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

import pyoxigraph as ox

from scidip_graph.errors import (
    DataSyntaxError,
    NotFoundError,
    UnknownNameError,
    UnsupportedMediaTypeError,
    UsageError,
)
from scidip_graph.ingest.loading import parse_bytes
from scidip_graph.namespaces import GRAPH
from scidip_graph.rdf.exporters import serialize_quads
from scidip_graph.rdf.formats import FORMATS, RDF_KINDS, Format, get_format
from scidip_graph.rdf.negotiation import negotiate
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.update import UpdateResult, commit_change
from scidip_graph.store import Store
from scidip_graph.store.oxigraph import stored_form

DEFAULT = ""
"""The default graph, as the tokens and the change log name it."""

UPLOAD_MEDIA_TYPES = tuple(m for f in FORMATS if f.kind in RDF_KINDS for m in f.media_types)
"""The Content-Types an upload may have: every name of every RDF format in the format table."""

ALLOWED_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
"""The methods of ``/store`` (``OPTIONS``: a CORS preflight)."""

NEW_GRAPH = str(GRAPH["upload-"])
"""Where the graphs a POST to the store itself creates are named (a random suffix follows)."""

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']""")


@dataclass(frozen=True)
class Written:
    """What a write did: the write core's result, and whether it created the graph."""

    result: UpdateResult
    graph: str
    created: bool


def target_graph(method: str, graph: str | None, *, default: bool) -> str | None:
    """The graph a request names: its IRI, :data:`DEFAULT`, or None for the store itself.

    Only a ``POST`` may name the store itself (to create a graph).

    >>> target_graph("PUT", None, default=True)
    ''
    >>> target_graph("GET", "https://w3id.org/scidip/graph/editorial", default=False)
    'https://w3id.org/scidip/graph/editorial'

    Raises:
        UsageError: both ``graph`` and ``default``, neither (but for a ``POST``), or a graph
            that is not an absolute IRI.
    """
    if graph is not None and default:
        raise UsageError("give either ?graph=IRI or ?default, not both")
    if default:
        return DEFAULT
    if graph is None:
        if method != "POST":
            raise UsageError(
                f"{method} /store needs ?graph=IRI or ?default",
                hint="Only a POST to the store itself, which creates a new graph, names none.",
            )
        return None
    try:
        ox.NamedNode(graph)
    except ValueError as err:
        raise UsageError(f"graph={graph!r} is not an absolute IRI: {err}") from None
    return graph


def read_graph(
    store: Store, graph: str, *, accept: str | None, format: str | None = None
) -> tuple[Format, bytes]:
    """A graph in the format the client prefers.

    Raises:
        NotFoundError: a named graph the store does not have (404).
        NotAcceptableError: no RDF format fits ``accept`` (406).
    """
    fmt = negotiate("graph", accept, format=format)
    _require(store, graph)
    return fmt, serialize_quads(store.quads(graph=graph), fmt)


def upload_format(media_type: str | None) -> Format:
    """The RDF format of an upload's Content-Type (parameters already stripped).

    >>> upload_format("application/n-triples").name
    'ntriples'

    Raises:
        UnsupportedMediaTypeError: none, or not an RDF format (415, listing those accepted).
    """
    try:
        if not media_type:
            raise UnknownNameError("format", "", [])
        fmt = get_format(media_type, kinds=RDF_KINDS)
        if media_type not in fmt.media_types:  # a name ("ttl") is no Content-Type
            raise UnknownNameError("format", media_type, [])
    except UnknownNameError:
        raise UnsupportedMediaTypeError(
            f"cannot read an upload of Content-Type {media_type or '(none)'!r}; "
            f"accepted: {', '.join(UPLOAD_MEDIA_TYPES)}",
            detail={"accepted": list(UPLOAD_MEDIA_TYPES)},
        ) from None
    return fmt


def parse_upload(data: bytes, fmt: Format, *, graph: str) -> list[ox.Quad]:
    """An upload's quads, all in ``graph``, blank nodes fresh (never an existing one).

    Raises:
        DataSyntaxError: a malformed upload (line and column), a remote JSON-LD context,
            an RDF/XML DTD or entity, a quad in another graph (400).
    """
    if fmt.name == "jsonld":
        _refuse_remote_contexts(data)
    elif fmt.name == "rdfxml":
        _check_xml(data)
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    quads = parse_bytes(
        data,
        format=fmt.name,
        source="upload",
        graph_name=graph or None,
        bnode_prefix=f"upload-{secrets.token_hex(6)}",
        base_iri=graph or None,
    )
    placed = []
    for q in quads:
        if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name != target:
            raise DataSyntaxError(
                f"the upload has triples in graph {q.graph_name}, not the graph it is sent "
                f"to; nothing was written",
                source="upload",
            )
        placed.append(ox.Quad(q.subject, q.predicate, q.object, target))
    return placed


def write_graph(
    store: Store,
    method: str,
    graph: str | None,
    data: bytes,
    *,
    media_type: str | None,
    curator: Curator,
) -> Written:
    """``PUT`` (replace) or ``POST`` (merge) an upload into a graph, whole or not at all.

    A ``POST`` to the store itself (``graph`` None) creates a new graph, named
    :data:`NEW_GRAPH` and a random suffix, as the protocol says (``201`` and its IRI).

    Raises:
        UnauthorizedError: a graph outside the curator's (403).
        UnsupportedMediaTypeError, DataSyntaxError: an upload that cannot be read (415, 400).
        NotConformingError: the would-be state violates a shape (422).
    """
    if graph is None:
        graph = NEW_GRAPH + secrets.token_hex(8)
    curator.authorize([graph])
    fmt = upload_format(media_type)
    quads = set(stored_form(parse_upload(data, fmt, graph=graph)))
    digest = hashlib.sha256(data).hexdigest()
    message = f"{method} {_label(graph)}: {len(data)} bytes of {media_type}, sha256 {digest}"
    with store.writing():
        store.refresh()
        existing = set(store.quads(graph=graph))
        created = not _exists(store, graph)
        removed = sorted(existing - quads, key=str) if method == "PUT" else []
        added = sorted(quads - existing, key=str)
        result = commit_change(
            store, store.view(), added, removed, curator=curator, message=message, what="upload"
        )
    return Written(result, graph, created and bool(quads))


def delete_graph(store: Store, graph: str, *, curator: Curator) -> Written:
    """Remove a graph (the default graph: empty it), through the write core.

    Raises:
        NotFoundError: a named graph the store does not have (404).
        UnauthorizedError: a graph outside the curator's (403).
        NotConformingError: the state without it violates a shape (422).
    """
    curator.authorize([graph])
    with store.writing():
        store.refresh()
        _require(store, graph)
        removed = sorted(store.quads(graph=graph), key=str)
        result = commit_change(
            store,
            store.view(),
            [],
            removed,
            curator=curator,
            message=f"DELETE {_label(graph)}",
            what="delete",
        )
    return Written(result, graph, False)


def _require(store: Store, graph: str) -> None:
    if not _exists(store, graph):
        raise NotFoundError(f"the store has no graph <{graph}>")


def _exists(store: Store, graph: str) -> bool:
    # A named graph is there while it holds a triple: the engine keeps the name of an emptied
    # graph, but a graph the protocol deleted is gone. The default graph is always there.
    return not graph or next(iter(store.quads(graph=graph)), None) is not None


def _label(graph: str) -> str:
    return f"<{graph}>" if graph else "the default graph"


def _refuse_remote_contexts(data: bytes) -> None:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return  # not JSON: the parser says where
    for key, value in _members(document):
        if key == "@import":
            raise DataSyntaxError(
                f"JSON-LD @import {value!r} is refused: contexts are never fetched; "
                f"nothing was written",
                source="upload",
            )
        if key == "@context":
            for context in value if isinstance(value, list) else [value]:
                if isinstance(context, str):
                    raise DataSyntaxError(
                        f"JSON-LD remote @context {context!r} is refused: contexts are never "
                        f"fetched; put the context in the document; nothing was written",
                        source="upload",
                    )


def _members(value: Any) -> Iterator[tuple[str, Any]]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, member in item.items():
                yield key, member
                stack.append(member)
        elif isinstance(item, list):
            stack.extend(item)


def _check_xml(data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataSyntaxError(
            f"RDF/XML upload is not UTF-8: {err.reason}", source="upload"
        ) from None
    declared = _XML_ENCODING.match(data)
    if b"\x00" in data or (
        declared and declared[1].decode().lower() not in ("utf-8", "utf8", "us-ascii", "ascii")
    ):
        raise DataSyntaxError("RDF/XML upload must be UTF-8", source="upload")
    for needle in (b"<!DOCTYPE", b"<!ENTITY"):
        at = data.find(needle)
        if at >= 0:
            before = data[:at]
            raise DataSyntaxError(
                f"RDF/XML with a {needle[2:].decode()} declaration is refused: no DTDs or "
                "entities are read; nothing was written",
                source="upload",
                line=before.count(b"\n") + 1,
                column=at - (before.rfind(b"\n") + 1) + 1,
            )
    # Well-formed as a whole (pyoxigraph takes a document cut short as the part it read).
    # The standard library's parser, now that no DTD can be there to expand.
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        raise DataSyntaxError(
            f"not well-formed XML: {expat.ErrorString(err.code)}; nothing was written",
            source="upload",
            line=err.lineno,
            column=err.offset + 1,
        ) from None
