"""The site's overview pages: home, search, browse by class, and the ontology documentation.

Each HTML page has a machine twin (STYLE habit 11): ``/browse`` and ``/search`` answer JSON to
clients that prefer ``application/json`` (or ``?format=json``); ``/ontology`` answers the
ontology's Turtle (or another RDF format) by Accept, and at ``/ontology.ttl``; the home page
points at ``/void`` with a ``Link`` header.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.blueprints import BlueprintSetupState

from scidip_graph.errors import NotFoundError
from scidip_graph.namespaces import ID, RDF, SD, compact
from scidip_graph.pages.catalogue import (
    HOME_GROUPS,
    SCHEME,
    class_counts,
    class_iri,
    group_counts,
    instances,
)
from scidip_graph.pages.facets import BROWSABLE, FacetCache, FacetData, browse_view
from scidip_graph.pages.ontology_docs import ONTOLOGY_FILE, live_examples, ontology_doc
from scidip_graph.pages.presentation import local_path, term_label
from scidip_graph.pages.search import NameIndex, NameIndexCache, kind_filters
from scidip_graph.pages.void import citation as void_citation
from scidip_graph.rdf.formats import Format
from scidip_graph.rdf.negotiation import negotiate
from scidip_graph.version import __version__
from scidip_graph.web.linkeddata import (
    SUFFIXES,
    alternate_links,
    choose,
    json_response,
    serialize,
    wants_json,
)

bp = Blueprint("site", __name__)

SEARCH_SHOWN = 100
"""How many hits the search page and its JSON twin list (``total`` says how many there are)."""


@bp.record_once
def _template_terms(state: BlueprintSetupState) -> None:
    """IRIs the templates compare with, as Jinja globals (macros see globals, not the context)."""
    state.app.jinja_env.globals.update(RDF_TYPE=str(RDF.type), ID_BASE=str(ID))


@bp.app_template_global()
def page_path(iri: str) -> str:
    """Where a link to an IRI goes: the local page of a resource or of an ontology term, else
    the IRI itself.

    >>> page_path("https://w3id.org/scidip/id/country/CH"), page_path("https://ror.org/x")
    ('/id/country/CH', 'https://ror.org/x')
    """
    return local_path(iri) or iri


def _store() -> Any:
    return current_app.extensions["scidip"]["store"]


def name_index() -> NameIndex:
    """The names search reads, read once per data version (per app)."""
    ext = current_app.extensions["scidip"]
    cache = ext.setdefault("names", NameIndexCache())
    return cache.get(ext["store"])  # type: ignore[no-any-return]


def _facet_data(class_iri: str) -> FacetData | None:
    """The faceted data of a class, read once per data version (per app)."""
    ext = current_app.extensions["scidip"]
    cache = ext.setdefault("facets", FacetCache())
    return cache.get(ext["store"], class_iri)  # type: ignore[no-any-return]


@bp.get("/")
def home() -> Response:
    """What the graph is, live counts, the themes and the categories with their numbers of
    examples (each a link to the browse view), search."""
    store = _store()
    void = negotiate("graph", None)  # what /void answers without Accept
    data = _facet_data(str(SD.Example))
    examples = browse_view(data, []) if data else None
    facets = {f.key: f.values for f in examples.facets} if examples else {}
    primary = {v.key: v.count for v in facets.get("primary", [])}
    html = render_template(
        "home.html",
        void_media_type=void.media_type,
        counts=group_counts(store),
        themes=facets.get("theme", []),
        categories=[(v, primary.get(v.key, 0)) for v in facets.get("category", [])],
        primary_href={v.key: v.href for v in facets.get("primary", [])},
        scheme_path=local_path(SCHEME),
        citation=citation(store),
        version=__version__,
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = f'</void>; rel="describedby"; type="{void.media_type}"'
    return response


@bp.get("/search")
def search_page() -> Response:
    """Resources whose names (in any language) contain the words of ``q``: the first
    :data:`SEARCH_SHOWN`, best first, each with its kind, and how many there are; the kinds
    among them, each a filter (``kind=organisation``, repeated for several)."""
    q = request.args.get("q", "")
    chosen = list(dict.fromkeys(k for k in request.args.getlist("kind") if k))
    hits = name_index().search(q, limit=None)
    kinds = kind_filters(hits, q, chosen)
    if chosen:
        hits = [h for h in hits if h.kind in chosen]
    shown = hits[:SEARCH_SHOWN]
    if wants_json():
        return json_response(
            {
                "q": q,
                "kind": chosen,
                "total": len(hits),
                "kinds": [asdict(k) for k in kinds],
                "results": [asdict(h) for h in shown],
            }
        )
    twin = "/search?" + urlencode([("q", q), *(("kind", k) for k in chosen), ("format", "json")])
    html = render_template(
        "search.html", q=q, hits=shown, total=len(hits), kinds=kinds, json_href=twin
    )
    return Response(html, content_type="text/html; charset=utf-8")


@bp.get("/browse")
def browse() -> Response:
    """Every class used in the data, with its number of instances."""
    counts = class_counts(_store())
    if wants_json():
        return json_response({"classes": [asdict(c) for c in counts]})
    html = render_template("browse.html", counts=counts)
    return Response(html, content_type="text/html; charset=utf-8")


@bp.get("/browse/<name>")
def browse_class(name: str) -> Response:
    """The instances of one class (``/browse/schema:Country``), with their labels; the
    examples and the treaties with facets (``/browse/sd:Example?theme=health&decade=1960``)."""
    iri = class_iri(name)
    if iri in BROWSABLE:
        return _faceted(iri)
    hits = instances(_store(), iri) if iri else []
    if not hits:
        raise NotFoundError(
            f"no instances of {name} in the graph",
            hint="see /browse for the classes in use",
            detail={"class": name},
        )
    if wants_json():
        return json_response({"class": iri, "instances": [asdict(h) for h in hits]})
    label = term_label(iri or name)
    html = render_template("class.html", name=compact(iri or name), iri=iri, label=label, hits=hits)
    return Response(html, content_type="text/html; charset=utf-8")


def _faceted(iri: str) -> Response:
    data = _facet_data(iri)
    assert data is not None  # a class of BROWSABLE
    view = browse_view(data, request.args.items(multi=True))
    if wants_json():
        return json_response(
            {
                "class": view.class_iri,
                "total": view.total,
                "count": len(view.items),
                "filters": [asdict(f) for f in view.filters],
                "facets": [asdict(f) for f in view.facets],
                "instances": [asdict(i) for i in view.items],
            }
        )
    title = next((t for t, classes in HOME_GROUPS if classes[0] == iri), term_label(iri))
    html = render_template("facets.html", view=view, label=title)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = f'<{view.json_href}>; rel="alternate"; type="application/json"'
    return response


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
def ontology(ext: str | None = None) -> Response:
    """The ontology, documented from ``ontology/`` (HTML), or as RDF."""
    suffix = f".{ext}" if ext else None
    if suffix is not None and suffix not in SUFFIXES:
        abort(404)
    fmt = choose(request.headers.get("Accept"), suffix=suffix, format=request.args.get("format"))
    if fmt is None:
        doc = ontology_doc()
        html = render_template("ontology.html", doc=doc, examples=live_examples(_store(), doc))
        response = Response(html, content_type="text/html; charset=utf-8")
    else:
        response = Response(_ontology_rdf(fmt), content_type=fmt.content_type)
    response.headers["Link"] = alternate_links("/ontology")
    response.headers["Vary"] = "Accept"
    return response


def _ontology_rdf(fmt: Format) -> bytes:
    data = ONTOLOGY_FILE.read_bytes()
    if fmt.name == "turtle":
        return data  # the file itself, comments included
    quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    return serialize(quads, fmt)


def citation(store: Any = None) -> dict[str, str]:
    """The "cite this dataset" block, from :func:`scidip_graph.pages.void.citation`."""
    return {str(k): str(v) for k, v in asdict(void_citation(store)).items()}
