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
from scidip_graph.pages.catalogue import categories
from scidip_graph.pages.presentation import SECTION_TITLES
from scidip_graph.pages.resource import (
    last_change,
    resource_description,
    resource_iri,
    resource_quads,
)
from scidip_graph.pages.search import NameIndexCache
from scidip_graph.rdf.exporters import serialize_quads
from scidip_graph.rdf.formats import (
    GRAPHS_PROFILE,
    Format,
    by_extension,
    formats_for,
    get_format,
)
from scidip_graph.rdf.negotiation import HTML_MEDIA_TYPES, negotiate, preferred, profile
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


def serialize(quads: list[ox.Quad], fmt: Format, *, union: bool = False) -> bytes:
    """Quads in a format: dataset formats keep the graphs (unless ``union``), others get the
    union."""
    return serialize_quads(quads, fmt, union=union)


def per_source(fmt: Format) -> bool:
    """Whether a resource's RDF keeps one named graph per source: always in TriG and N-Quads;
    in JSON-LD only when asked for (``?graphs``, or Accept with the profile
    :data:`~scidip_graph.rdf.formats.GRAPHS_PROFILE`), for a client that reads JSON-LD into a
    graph sees only the default graph of a dataset; never in the formats without graphs."""
    if fmt.name != "jsonld":
        return fmt.keeps_graphs
    if "graphs" in request.args:
        return True
    return profile("graph", request.headers.get("Accept"), html=True) == GRAPHS_PROFILE


def script_json(quads: list[ox.Quad]) -> str:
    """JSON-LD safe to embed in a ``<script>`` element (no ``<``, ``>``, ``&``): the
    resource's description as one graph, as its ``.jsonld``."""
    text = serialize(quads, by_extension(".jsonld"), union=True).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def link_header(path: str, iri: str) -> str:
    """``Link`` header value: every representation of ``/id/{path}`` (the JSON-LD with one
    graph per source too) and the canonical IRI."""
    base = link(current_app.extensions["scidip"]["settings"], "/id/" + path)
    graphs = (
        f'<{base}.jsonld?graphs>; rel="alternate"; type="{media_type("jsonld")}"; '
        f'profile="{GRAPHS_PROFILE}"'
    )
    return ", ".join([f'<{iri}>; rel="canonical"', alternate_links("/id/" + path), graphs])


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
            last_change=last_change(store, description.iri),
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
        keep = per_source(fmt)
        response = Response(
            serialize(quads, fmt, union=not keep),
            content_type=(
                f'{fmt.content_type}; profile="{GRAPHS_PROFILE}"'
                if keep and fmt.name == "jsonld"
                else fmt.content_type
            ),
        )
    response.headers["Link"] = link_header(path, iri or "")
    response.headers["Vary"] = "Accept"
    return response


def not_found_page(path: str) -> Response:
    """The 404 page for browsers: what was asked, and resources whose names come close."""
    ext = current_app.extensions["scidip"]
    index = ext.setdefault("names", NameIndexCache()).get(ext["store"])
    words = path.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ")
    hits = index.search(words)
    if not hits:
        seen: dict[str, Any] = {}
        for word in sorted(words.split(), key=len, reverse=True)[:3]:
            if len(word) >= 3:
                for hit in index.search(word, limit=10):
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
