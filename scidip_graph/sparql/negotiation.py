"""Content negotiation: an Accept header (or a ``format`` parameter) -> a format.

Accept parsing is Werkzeug's; the offers per kind of result live here, in preference order
(the first is the default for ``*/*`` or no Accept header).

>>> negotiate("results", "text/csv;q=0.5, application/sparql-results+xml").name
'xml-results'
>>> negotiate("graph", "application/json").name
'jsonld'
>>> negotiate("graph", None, "nt").name
'ntriples'
"""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from scidip_graph.errors import NotAcceptableError, UsageError
from scidip_graph.rdf.formats import Format, get_format

_OFFERS: dict[str, tuple[tuple[str, str], ...]] = {
    # kind -> (media type, format name), in preference order
    "results": (
        ("application/sparql-results+json", "json"),
        ("application/json", "json"),
        ("application/sparql-results+xml", "xml-results"),
        ("application/xml", "xml-results"),
        ("text/xml", "xml-results"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ),
    "boolean": (
        ("application/sparql-results+json", "json"),
        ("application/json", "json"),
        ("application/sparql-results+xml", "xml-results"),
        ("application/xml", "xml-results"),
        ("text/xml", "xml-results"),
    ),
    "graph": (
        ("text/turtle", "turtle"),
        ("application/x-turtle", "turtle"),
        ("application/ld+json", "jsonld"),
        ("application/json", "jsonld"),
        ("application/n-triples", "ntriples"),
        ("text/plain", "ntriples"),
        ("application/rdf+xml", "rdfxml"),
        ("application/xml", "rdfxml"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
        # Turtle is N3 too: clients asking for N3 (SPARQLWrapper does) get Turtle.
        ("text/n3", "turtle"),
        ("text/rdf+n3", "turtle"),
    ),
}
_OFFERS["dataset"] = _OFFERS["graph"]

# Short names of the `format` parameter whose meaning depends on the kind of result.
_SHORT = {
    ("results", "xml"): "xml-results",
    ("boolean", "xml"): "xml-results",
    ("graph", "xml"): "rdfxml",
    ("graph", "json"): "jsonld",
    ("graph", "n3"): "turtle",
}


def offered(kind: str) -> list[str]:
    """The media types offered for a kind of result, preferred first."""
    return [media for media, _ in _OFFERS[kind]]


def negotiate(kind: str, accept: str | None, format: str | None = None) -> Format:
    """Choose the format of a response.

    Args:
        kind: ``results`` (SELECT), ``boolean`` (ASK), ``graph`` (CONSTRUCT, DESCRIBE, RDF).
        accept: the Accept header, with q-values; None or empty means anything.
        format: the ``format`` parameter, which wins over Accept when given.

    Raises:
        NotAcceptableError: listing the media types on offer.
    """
    if format:
        return _by_parameter(kind, format)
    return _by_accept(kind, accept or "*/*")


@lru_cache(maxsize=512)
def _by_accept(kind: str, accept: str) -> Format:
    offers = _OFFERS[kind]
    best = parse_accept_header(accept, MIMEAccept).best_match([m for m, _ in offers])
    if best is None:
        raise NotAcceptableError(
            f"none of the media types in Accept: {accept} can carry this result",
            hint="ask for one of: " + ", ".join(offered(kind)),
            detail={"accept": accept, "available": offered(kind)},
        )
    return get_format(dict(offers)[best])


@lru_cache(maxsize=128)
def _by_parameter(kind: str, name: str) -> Format:
    key = _SHORT.get((kind, name.lower()), name)
    names = {fmt for _, fmt in _OFFERS[kind]}
    try:
        fmt = get_format(key)
    except UsageError:
        fmt = None
    if fmt is None or fmt.name not in names:
        raise NotAcceptableError(
            f"format={name} cannot carry this result",
            hint="use one of: " + ", ".join(sorted(names)),
            detail={"format": name, "available": sorted(names)},
        )
    return fmt
