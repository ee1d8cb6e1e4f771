"""The one format table: every RDF and SPARQL-results format, its names, media types, suffix.

Content negotiation (:mod:`scidip_graph.rdf.negotiation`), exports, the downloads, the service
description and the CLI all read formats here (STYLE habits 4 and 6), and no other module spells
out their media types (``tests/test_format_table.py`` checks it). A format's kind says what it
can carry: ``graph`` (triples), ``dataset`` (quads, named graphs kept) or ``results`` (SPARQL
SELECT/ASK results). The rows are in order of preference: the first one that can carry an
answer is sent for ``*/*`` or no Accept header.

The charset rule, the same on every route: every format here is UTF-8 text, and its
Content-Type says ``; charset=utf-8``, except JSON and XML (``application/json``,
``application/xml``, ``text/xml``, and ``+json``/``+xml`` types, RFC 6839), which carry their
encoding themselves: JSON is UTF-8 and has no charset parameter (RFC 8259, section 11), an XML
document names its encoding in its declaration, UTF-8 without one (XML 1.0, section 4.3.3).
So Turtle, TriG, N-Triples, N-Quads, CSV and TSV say it; JSON-LD, RDF/XML and the SPARQL JSON
and XML results do not.

>>> get_format("ttl").name
'turtle'
>>> get_format("application/n-quads").kind
'dataset'
>>> by_extension(".jsonld").media_type
'application/ld+json'
>>> [f.content_type for f in (get_format("trig"), get_format("json"))]
['application/trig; charset=utf-8', 'application/sparql-results+json']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scidip_graph.errors import UnknownNameError


@dataclass(frozen=True)
class Format:
    """One serialisation format.

    Attributes:
        name: the canonical name used in the CLI and ``format=`` parameters.
        media_type: the preferred media type (the first one offered in negotiation).
        extension: the file extension, with its dot.
        kind: ``graph``, ``dataset`` or ``results``.
        rdflib: the rdflib plugin name, when rdflib reads or writes it.
        oxigraph: the name of the pyoxigraph ``RdfFormat``/``QueryResultsFormat`` member.
        aliases: other names and media types that mean this format.
    """

    name: str
    media_type: str
    extension: str
    kind: str
    rdflib: str | None = None
    oxigraph: str | None = None
    aliases: tuple[str, ...] = field(default=())

    @property
    def keeps_graphs(self) -> bool:
        """Whether a dump in this format keeps named graphs apart."""
        return self.kind == "dataset"


FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        "text/turtle",
        ".ttl",
        "graph",
        "turtle",
        "TURTLE",
        ("ttl", "application/x-turtle"),
    ),
    Format(
        "ntriples",
        "application/n-triples",
        ".nt",
        "graph",
        "nt",
        "N_TRIPLES",
        ("nt", "n-triples", "text/plain"),
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        ".rdf",
        "graph",
        "xml",
        "RDF_XML",
        ("rdf", "xml", "rdf+xml", "application/xml"),
    ),
    Format(
        "jsonld",
        "application/ld+json",
        ".jsonld",
        "dataset",
        "json-ld",
        "JSON_LD",
        ("json-ld", "ld+json"),
    ),
    Format("trig", "application/trig", ".trig", "dataset", "trig", "TRIG", ("application/x-trig",)),
    Format(
        "nquads",
        "application/n-quads",
        ".nq",
        "dataset",
        "nquads",
        "N_QUADS",
        ("nq", "n-quads", "text/x-nquads"),
    ),
    Format(
        "json",
        "application/sparql-results+json",
        ".srj",
        "results",
        None,
        "JSON",
        ("srj", "sparql-json", "application/json"),
    ),
    Format(
        "xml-results",
        "application/sparql-results+xml",
        ".srx",
        "results",
        None,
        "XML",
        ("srx", "sparql-xml"),
    ),
    Format("csv", "text/csv", ".csv", "results", None, "CSV", ()),
    Format("tsv", "text/tab-separated-values", ".tsv", "results", None, "TSV", ()),
)

_BY_KEY: dict[str, Format] = {}
for _f in FORMATS:
    for _key in (_f.name, _f.media_type, _f.extension.lstrip("."), *_f.aliases):
        _BY_KEY.setdefault(_key.lower(), _f)


def format_names(kind: str | None = None) -> list[str]:
    """The canonical names of the formats, optionally of one kind only.

    >>> format_names("results")
    ['json', 'xml-results', 'csv', 'tsv']
    """
    return [f.name for f in FORMATS if kind is None or f.kind == kind]


def get_format(key: str, *, kinds: tuple[str, ...] | None = None) -> Format:
    """Find a format by name, alias, extension or media type.

    Args:
        key: what the user gave, e.g. ``"ttl"``, ``"turtle"`` or ``"text/turtle"``.
        kinds: if given, only formats of these kinds are accepted.

    Raises:
        UnknownNameError: listing the valid names when nothing matches.
    """
    fmt = _BY_KEY.get(key.strip().lower().split(";")[0].strip())
    if fmt is None or (kinds is not None and fmt.kind not in kinds):
        valid = [f.name for f in FORMATS if kinds is None or f.kind in kinds]
        raise UnknownNameError("format", key, valid)
    return fmt


def by_extension(extension: str) -> Format:
    """The format a file extension names (``.ttl``, ``ttl``, ``.trig``...).

    Raises:
        UnknownNameError: for an extension no format has.
    """
    ext = extension if extension.startswith(".") else f".{extension}"
    for fmt in FORMATS:
        if fmt.extension == ext and fmt.kind != "results":
            return fmt
    raise UnknownNameError(
        "file extension", extension, [f.extension for f in FORMATS if f.kind != "results"]
    )


RDF_KINDS = ("graph", "dataset")
