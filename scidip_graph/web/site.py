"""The site's overview pages: home, search, browse by class, and the ontology documentation.

Each HTML page has a machine twin (STYLE habit 11): ``/browse`` and ``/search`` answer JSON to
clients that prefer ``application/json`` (or ``?format=json``); ``/ontology`` answers the
ontology's Turtle (or another RDF format) by Accept, and at ``/ontology.ttl``; the home page
points at ``/void`` with a ``Link`` header.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.blueprints import BlueprintSetupState

from scidip_graph.errors import NotFoundError
from scidip_graph.namespaces import ID, RDF, compact
from scidip_graph.pages.catalogue import (
    SCHEME,
    categories,
    class_counts,
    class_iri,
    group_counts,
    instances,
    search,
)
from scidip_graph.pages.ontology_docs import ONTOLOGY_FILE, live_examples, ontology_doc
from scidip_graph.pages.presentation import local_path, term_label
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


@bp.get("/")
def home() -> Response:
    """What the graph is, live counts, the three categories with their examples, search."""
    store = _store()
    void = negotiate("graph", None)  # what /void answers without Accept
    html = render_template(
        "home.html",
        void_media_type=void.media_type,
        counts=group_counts(store),
        categories=categories(store),
        scheme_path=local_path(SCHEME),
        citation=citation(store),
        version=__version__,
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = f'</void>; rel="describedby"; type="{void.media_type}"'
    return response


@bp.get("/search")
def search_page() -> Response:
    """Resources whose names (in any language) contain the words of ``q``."""
    q = request.args.get("q", "")
    hits = search(_store(), q)
    if wants_json():
        return json_response({"q": q, "results": [asdict(h) for h in hits]})
    html = render_template("search.html", q=q, hits=hits)
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
    """The instances of one class (``/browse/schema:Country``), with their labels."""
    iri = class_iri(name)
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
