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
from functools import lru_cache

from scidip_graph.errors import UnknownNameError
from scidip_graph.namespaces import SCIDIP

RDF_KINDS = ("graph", "dataset")
ANSWERS = ("results", "boolean", "graph", "dataset")
"""What an answer can be: SELECT solutions, an ASK boolean, RDF triples or RDF quads."""


@dataclass(frozen=True)
class Format:
    """One serialisation format.

    Attributes:
        name: the canonical name used in the CLI and ``format=`` parameters.
        media_types: the media types that name it, the one it is sent as first. All are its
            offers in content negotiation and are understood in ``format=``; the others come
            after every format's first, so that a wildcard (``text/*``) never picks a format
            by one of its other names.
        extension: the file extension, with its dot; also the URL suffix that asks for it
            (``/id/organization/cern.ttl``, ``/void.nt``).
        kind: ``graph``, ``dataset`` or ``results``.
        w3c: its name among the W3C's format IRIs (``http://www.w3.org/ns/formats/Turtle``).
        rdflib: the rdflib plugin name, when rdflib reads or writes it.
        oxigraph: the name of the pyoxigraph ``RdfFormat``/``QueryResultsFormat`` member.
        aliases: other names. One name may belong to an RDF format and to a results format
            (``xml``, ``json``): what the answer is decides (:func:`get_format`'s ``kinds``).
        booleans: whether it can carry an ASK result (SPARQL's CSV and TSV cannot).
        profiles: profile IRIs a client may ask it with (``application/ld+json;
            profile="..."``, JSON-LD 1.1 section 9.1); what each changes is up to the route.
    """

    name: str
    media_types: tuple[str, ...]
    extension: str
    kind: str
    w3c: str
    rdflib: str | None = None
    oxigraph: str | None = None
    aliases: tuple[str, ...] = field(default=())
    booleans: bool = True
    profiles: tuple[str, ...] = field(default=())

    @property
    def media_type(self) -> str:
        """The media type it is sent as."""
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The Content-Type it is sent with, on every route (the charset rule above)."""
        return content_type(self.media_type)

    @property
    def keeps_graphs(self) -> bool:
        """Whether a dump in this format keeps named graphs apart."""
        return self.kind == "dataset"

    def carries(self, answer: str) -> bool:
        """Whether it can carry an answer of a kind (one of :data:`ANSWERS`).

        Every RDF format carries RDF, triples or quads: one without named graphs gets their
        union.

        >>> csv = get_format("csv")
        >>> csv.carries("results"), csv.carries("boolean"), csv.carries("graph")
        (True, False, False)
        """
        if answer in RDF_KINDS:
            return self.kind in RDF_KINDS
        if answer == "boolean":
            return self.kind == "results" and self.booleans
        return self.kind == answer == "results"


def content_type(media_type: str) -> str:
    """The Content-Type header of a media type we send: the charset rule above.

    >>> content_type("text/turtle"), content_type("application/ld+json")
    ('text/turtle; charset=utf-8', 'application/ld+json')
    """
    if media_type.endswith(("+json", "+xml", "/json", "/xml")):
        return media_type
    return f"{media_type}; charset=utf-8"


JSONLD_COMPACTED = "http://www.w3.org/ns/json-ld#compacted"
"""JSON-LD 1.1's profile of compacted documents: what every JSON-LD answer here is."""
GRAPHS_PROFILE = f"{SCIDIP}profile/named-graphs"
"""The profile that asks a resource page for its JSON-LD as a dataset, one named graph per
source (as TriG and N-Quads), instead of one graph, the union (as Turtle)."""

FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        # Turtle is N3 too: clients asking for N3 (SPARQLWrapper does) get Turtle.
        ("text/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"),
        ".ttl",
        "graph",
        "Turtle",
        rdflib="turtle",
        oxigraph="TURTLE",
        aliases=("ttl", "n3"),
    ),
    Format(
        "jsonld",
        ("application/ld+json", "application/json"),
        ".jsonld",
        "dataset",
        "JSON-LD",
        rdflib="json-ld",
        oxigraph="JSON_LD",
        aliases=("json-ld", "ld+json", "json"),
        profiles=(JSONLD_COMPACTED, GRAPHS_PROFILE),
    ),
    Format(
        "ntriples",
        ("application/n-triples", "text/plain"),
        ".nt",
        "graph",
        "N-Triples",
        rdflib="nt",
        oxigraph="N_TRIPLES",
        aliases=("nt", "n-triples"),
    ),
    Format(
        "rdfxml",
        ("application/rdf+xml", "application/xml"),
        ".rdf",
        "graph",
        "RDF_XML",
        rdflib="xml",
        oxigraph="RDF_XML",
        aliases=("rdf", "xml", "rdf+xml"),
    ),
    Format(
        "trig",
        ("application/trig", "application/x-trig"),
        ".trig",
        "dataset",
        "TriG",
        rdflib="trig",
        oxigraph="TRIG",
    ),
    Format(
        "nquads",
        ("application/n-quads", "text/x-nquads"),
        ".nq",
        "dataset",
        "N-Quads",
        rdflib="nquads",
        oxigraph="N_QUADS",
        aliases=("nq", "n-quads"),
    ),
    Format(
        "json",
        ("application/sparql-results+json", "application/json"),
        ".srj",
        "results",
        "SPARQL_Results_JSON",
        oxigraph="JSON",
        aliases=("srj", "sparql-json"),
    ),
    Format(
        "xml-results",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        ".srx",
        "results",
        "SPARQL_Results_XML",
        oxigraph="XML",
        aliases=("srx", "sparql-xml", "xml"),
    ),
    Format(
        "csv",
        ("text/csv",),
        ".csv",
        "results",
        "SPARQL_Results_CSV",
        oxigraph="CSV",
        booleans=False,
    ),
    Format(
        "tsv",
        ("text/tab-separated-values",),
        ".tsv",
        "results",
        "SPARQL_Results_TSV",
        oxigraph="TSV",
        booleans=False,
    ),
)


def formats_for(answer: str) -> tuple[Format, ...]:
    """The formats that can carry an answer (one of :data:`ANSWERS`), preferred first.

    >>> [f.name for f in formats_for("boolean")]
    ['json', 'xml-results']
    """
    return tuple(f for f in FORMATS if f.carries(answer))


@lru_cache(maxsize=16)
def _index(kinds: tuple[str, ...] | None) -> dict[str, Format]:
    # Names, first media types and extensions before aliases and other media types: "json"
    # is the JSON results' name before it is JSON-LD's alias.
    index: dict[str, Format] = {}
    formats = [f for f in FORMATS if kinds is None or f.kind in kinds]
    for f in formats:
        for key in (f.name, f.media_type, f.extension.lstrip(".")):
            index.setdefault(key.lower(), f)
    for f in formats:
        for key in (*f.aliases, *f.media_types[1:]):
            index.setdefault(key.lower(), f)
    return index


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
        kinds: if given, only formats of these kinds are accepted, and a name two formats
            share is the one of these kinds (``xml`` is RDF/XML, or the SPARQL XML results
            for ``kinds=("results",)``).

    Raises:
        UnknownNameError: listing the valid names when nothing matches.
    """
    fmt = _index(kinds).get(key.strip().lower().split(";")[0].strip())
    if fmt is None:
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
