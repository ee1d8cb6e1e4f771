"""Content negotiation: what an answer is, and an Accept header or a ``format`` -> a format.

One :func:`negotiate` for every route that answers in more than one format: ``/sparql`` (its
fast path included), ``/id/...``, ``/ontology``, ``/void``, and the CLI's ``--format``. The
offers come from the format table (:mod:`scidip_graph.rdf.formats`): every format that can
carry the answer by its first media type, in the table's order, then by its other media types
(so ``text/*`` picks CSV for a SELECT, not ``text/xml``); the HTML page last, where a route has
one. Accept is parsed by Werkzeug (q-values, wildcards, specificity), here and nowhere else:
the pages that choose between HTML and a JSON twin (``/search``, ``/browse``, ``/download/``)
ask :func:`preferred`.

A malformed Accept is read as RFC 9110 (section 12.4.2, 12.5.1) allows: a media range whose
weight is not a qvalue (``text/html;q=abc``, ``q=2``) is ignored, and an Accept header left
without any range means what no Accept header means, anything. An Accept that names only what
is not offered is a 406 (:class:`~scidip_graph.errors.NotAcceptableError`).

>>> negotiate("results", "text/csv;q=0.5, application/sparql-results+xml").name
'xml-results'
>>> negotiate("results", "text/*").name
'csv'
>>> negotiate("graph", "application/json").name
'jsonld'
>>> negotiate("graph", None, format="nt").name
'ntriples'
>>> negotiate("graph", "text/html;q=abc").name
'turtle'
>>> negotiate("graph", "text/html,*/*;q=0.8", html=True) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, overload

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

from scidip_graph.errors import NotAcceptableError, UsageError
from scidip_graph.rdf.formats import ANSWERS, RDF_KINDS, Format, formats_for, get_format

HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")
"""The media types of a route's HTML page, offered after every format."""


def offered(kind: str, *, html: bool = False) -> list[str]:
    """The media types offered for an answer (one of :data:`~.formats.ANSWERS`), preferred first.

    >>> offered("boolean")  # doctest: +NORMALIZE_WHITESPACE
    ['application/sparql-results+json', 'application/sparql-results+xml', 'application/json',
     'application/xml', 'text/xml']
    """
    return [media for media, _ in _offers(kind, html) if ";" not in media]


@overload
def negotiate(
    kind: str, accept: str | None, *, format: str | None = None, html: Literal[False] = False
) -> Format: ...
@overload
def negotiate(
    kind: str, accept: str | None, *, format: str | None = None, html: bool
) -> Format | None: ...
def negotiate(
    kind: str, accept: str | None, *, format: str | None = None, html: bool = False
) -> Format | None:
    """Choose the format of an answer.

    Args:
        kind: what the answer is: ``results`` (SELECT), ``boolean`` (ASK), ``graph`` or
            ``dataset`` (RDF; every RDF format is offered, one without named graphs carries
            their union).
        accept: the Accept header, with q-values; None or empty means anything.
        format: the ``format`` parameter (a name, alias, extension or media type), which wins
            over Accept when given.
        html: whether the route has an HTML page; None then means the page.

    Raises:
        NotAcceptableError: listing what is on offer.
    """
    if kind not in ANSWERS:
        raise ValueError(f"unknown kind of answer {kind!r}; one of {', '.join(ANSWERS)}")
    if format:
        return _by_parameter(kind, format, html)
    return _by_accept(kind, accept or "*/*", html)


def preferred(accept: str | None, offers: Sequence[str]) -> str | None:
    """The media type among ``offers`` the Accept header prefers; None when it takes none.

    For the pages whose machine twin is not RDF (JSON listings); it reads Accept as
    :func:`negotiate` does.

    >>> preferred("application/json;q=0.9, text/html", ["text/html", "application/json"])
    'text/html'
    >>> preferred("text/html;q=abc", ["text/html", "application/json"])
    'text/html'
    """
    return _best(accept or "*/*", tuple(offers))


@lru_cache(maxsize=512)
def _best(accept: str, offers: tuple[str, ...]) -> str | None:
    parsed = parse_accept_header(accept, MIMEAccept)
    if not parsed:  # every range was malformed and ignored: as if no Accept
        parsed = parse_accept_header("*/*", MIMEAccept)
    return parsed.best_match(offers)


def profile(kind: str, accept: str | None, *, html: bool = False) -> str | None:
    """The profile IRI of the format :func:`negotiate` chooses, when Accept asked for it by
    one of the format's profiles (:attr:`~.formats.Format.profiles`); else None.

    >>> profile("graph", 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"')
    'http://www.w3.org/ns/json-ld#compacted'
    >>> profile("graph", "application/ld+json") is None
    True
    """
    offers = _offers(kind, html)
    best = _best(accept or "*/*", tuple(media for media, _ in offers))
    if best is None:
        return None
    return parse_options_header(best)[1].get("profile")


@lru_cache(maxsize=16)
def _offers(kind: str, html: bool) -> tuple[tuple[str, Format | None], ...]:
    formats = formats_for(kind)
    offers: list[tuple[str, Format | None]] = [(f.media_type, f) for f in formats]
    offers += [(media, f) for f in formats for media in f.media_types[1:]]
    offers += [(media, None) for media in HTML_MEDIA_TYPES if html]
    # Last, so that they win only when asked for (an Accept range with parameters matches only
    # offers with the same ones; a range without matches the plain media type first).
    offers += [(f'{f.media_type}; profile="{p}"', f) for f in formats for p in f.profiles]
    return tuple(offers)


@lru_cache(maxsize=512)
def _by_accept(kind: str, accept: str, html: bool) -> Format | None:
    offers = _offers(kind, html)
    best = _best(accept, tuple(media for media, _ in offers))
    if best is None:
        available = offered(kind, html=html)
        raise NotAcceptableError(
            f"none of the media types in Accept: {accept} is offered here",
            hint="ask for one of: " + ", ".join(available),
            detail={"accept": accept, "available": available},
        )
    return dict(offers)[best]


@lru_cache(maxsize=128)
def _by_parameter(kind: str, name: str, html: bool) -> Format | None:
    if html and name.strip().lower() in ("html", *HTML_MEDIA_TYPES):
        return None
    names = [f.name for f in formats_for(kind)] + (["html"] if html else [])
    try:
        fmt: Format | None = get_format(
            name, kinds=RDF_KINDS if kind in RDF_KINDS else ("results",)
        )
    except UsageError:
        fmt = None
    if fmt is None or not fmt.carries(kind):
        raise NotAcceptableError(
            f"format={name} cannot carry this answer",
            hint="use one of: " + ", ".join(names),
            detail={"format": name, "available": names},
        )
    return fmt
