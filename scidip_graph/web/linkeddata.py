"""Resource pages: ``/id/...`` as HTML for browsers and as RDF for machines.

The format comes from a suffix (``/id/organization/cern.ttl``), a ``format`` parameter, or the
Accept header (q-values; ``*/*`` and no header give Turtle: HTML only when the client prefers
``text/html``). Every answer carries ``Link`` headers to each representation and to the
canonical w3id IRI. An IRI the graph does not know is a 404 (an HTML page with suggestions for
browsers, the JSON error shape for machines); an Accept nothing satisfies is a 406.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from scidip_graph.errors import NotFoundError
from scidip_graph.namespaces import ID, SKOS
from scidip_graph.pages.catalogue import categories, search
from scidip_graph.pages.presentation import SECTION_TITLES
from scidip_graph.pages.resource import resource_description, resource_iri, resource_quads
from scidip_graph.rdf.exporters import serialize_quads
from scidip_graph.rdf.formats import Format, by_extension, formats_for, get_format
from scidip_graph.rdf.negotiation import HTML_MEDIA_TYPES, negotiate, preferred
from scidip_graph.web.errors import JSON
from scidip_graph.web.links import link

bp = Blueprint("linkeddata", __name__)

SCHEME_TYPE = str(SKOS.ConceptScheme)
RDF_FORMATS = formats_for("graph")
"""The formats of a page's RDF, by suffix, Accept or ``format=`` (every RDF format)."""


@bp.app_template_global()
def representations() -> list[tuple[str, str]]:
    """(suffix, media type) of each representation of a page: the HTML, then every RDF format.

    >>> representations()[:2]
    [('.html', 'text/html'), ('.ttl', 'text/turtle')]
    """
    return [(".html", HTML_MEDIA_TYPES[0])] + [(f.extension, f.media_type) for f in RDF_FORMATS]


@bp.app_template_global()
def media_type(format: str) -> str:
    """The media type of a format, for templates: ``{{ media_type("jsonld") }}``."""
    return get_format(format).media_type


SUFFIXES = tuple(suffix for suffix, _ in representations())
"""Suffixes a page's path may end with (``/id/organization/cern.ttl``, ``/ontology.html``)."""


def choose(
    accept: str | None, *, suffix: str | None = None, format: str | None = None
) -> Format | None:
    """The representation to send: a format, or None for the HTML page.

    >>> choose("text/html,application/xhtml+xml,*/*;q=0.8") is None
    True
    >>> choose("*/*").name, choose("text/html;q=0.5, application/ld+json").name
    ('turtle', 'jsonld')
    >>> choose(None, suffix=".nt").name
    'ntriples'

    Raises:
        NotAcceptableError: when nothing on offer matches the Accept header.
    """
    if suffix:
        return None if suffix == ".html" else by_extension(suffix)
    return negotiate("graph", accept, format=format, html=True)


def serialize(quads: list[ox.Quad], fmt: Format) -> bytes:
    """A resource's quads in a format: dataset formats keep the graphs, others get the union."""
    return serialize_quads(quads, fmt)


def script_json(quads: list[ox.Quad]) -> str:
    """JSON-LD safe to embed in a ``<script>`` element (no ``<``, ``>``, ``&``)."""
    text = serialize(quads, by_extension(".jsonld")).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def link_header(path: str, iri: str) -> str:
    """``Link`` header value: every representation of ``/id/{path}`` and the canonical IRI."""
    return ", ".join([f'<{iri}>; rel="canonical"', alternate_links("/id/" + path)])


def alternate_links(path: str) -> str:
    """``Link`` header value: every representation of the page at ``path``, by suffix.

    The links are on ``SCIDIP_PUBLIC_URL``, else relative (resolved against the request's URL,
    RFC 8288 section 3.1): never on the Host header, which a client chooses.
    """
    base = link(current_app.extensions["scidip"]["settings"], path)
    return ", ".join(
        f'<{base}{suffix}>; rel="alternate"; type="{media}"' for suffix, media in representations()
    )


def _split_suffix(path: str) -> tuple[str, str | None]:
    for ext in SUFFIXES:
        if path.endswith(ext) and len(path) > len(ext):
            return path[: -len(ext)], ext
    return path, None


@bp.route("/id/<path:path>", methods=["GET", "HEAD"])
def resource(path: str) -> Any:
    """The page, or the RDF, of the resource ``https://w3id.org/scidip/id/{path}``."""
    path, suffix = _split_suffix(path)
    fmt = choose(request.headers.get("Accept"), suffix=suffix, format=request.args.get("format"))
    store = current_app.extensions["scidip"]["store"]
    iri = resource_iri(path)
    if fmt is None:
        description = resource_description(store, iri) if iri else None
        if description is None:
            return not_found_page(path)
        html = render_template(
            "resource.html",
            d=description,
            titles=SECTION_TITLES,
            jsonld=script_json(description.quads),
            path=path,
            categories=(
                categories(store, description.iri) if SCHEME_TYPE in description.type_iris else []
            ),
        )
        response = Response(html, content_type="text/html; charset=utf-8")
    else:
        quads = resource_quads(store, iri) if iri else []
        if not quads:
            raise NotFoundError(
                f"no resource {ID}{path} in the graph",
                hint="search by name at /search?q=...",
                detail={"iri": f"{ID}{path}"},
            )
        response = Response(serialize(quads, fmt), content_type=fmt.content_type)
    response.headers["Link"] = link_header(path, iri or "")
    response.headers["Vary"] = "Accept"
    return response


def not_found_page(path: str) -> Response:
    """The 404 page for browsers: what was asked, and resources whose names come close."""
    store = current_app.extensions["scidip"]["store"]
    words = path.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ")
    hits = search(store, words)
    if not hits:
        seen: dict[str, Any] = {}
        for word in sorted(words.split(), key=len, reverse=True)[:3]:
            if len(word) >= 3:
                for hit in search(store, word, limit=10):
                    seen.setdefault(hit.iri, hit)
        hits = list(seen.values())[:20]
    html = render_template("not_found.html", path=path, hits=hits, words=words)
    return Response(html, status=404, content_type="text/html; charset=utf-8")


def wants_json() -> bool:
    """Whether the client prefers a page's JSON twin to its HTML (``?format=json`` or Accept)."""
    if request.args.get("format", "").lower() == "json":
        return True
    offers = [HTML_MEDIA_TYPES[0], JSON]
    return preferred(request.headers.get("Accept"), offers) == JSON


def json_response(data: Any, status: int = 200) -> Response:
    """A JSON answer (the machine twin of an overview page)."""
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1),
        status=status,
        content_type=JSON,
    )
