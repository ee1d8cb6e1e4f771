"""The researcher's workbench: the query editor a browser gets at ``/sparql`` and ``/query``,
and the curated research questions of ``queries/`` as examples.

The editor is YASGUI (``@zazuko/yasgui``), served from ``static/vendor/`` with no network:
prefixes from :mod:`scidip_graph.namespaces`, the endpoint preset, completion from our own
vocabulary, the result views of ``static/workbench.js`` (table, graph, map, timeline, chart).
The fast path sends a browser here for a bare GET and for a query link (``/sparql?query=...``,
which then runs in the page); every other client gets the protocol's answers.

``/queries`` lists the examples: JSON for the editor's panel, RDF (``sh:SPARQLExecutable``) by
Accept, the editor with the panel open for a browser; ``/queries/NAME`` is one query's text.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for

from scidip_graph.errors import NotFoundError
from scidip_graph.namespaces import ID, PREFIXES, prefix_declarations, prefix_table
from scidip_graph.rdf.formats import Format, formats_for
from scidip_graph.rdf.negotiation import HTML_MEDIA_TYPES, negotiate, preferred
from scidip_graph.sparql.examples import example_triples, examples, get_example
from scidip_graph.sparql.protocol import SPARQL_QUERY
from scidip_graph.web.linkeddata import json_response, serialize, wants_json
from scidip_graph.web.links import rdf_base, relativize

bp = Blueprint("query_page", __name__)

ENDPOINT = "/sparql"
"""The endpoint the editor sends queries to (``/query`` is the same)."""
FORMAT_KINDS = ("results", "graph")
"""The answers the editor offers downloads of: SELECT results, and CONSTRUCT/DESCRIBE graphs."""
QUERY_TEXT = f"{SPARQL_QUERY}; charset=utf-8"
"""The Content-Type of a query's text (``/queries/NAME``, a permalink's raw text)."""


def starter_query() -> str:
    """The query a new editor shows: every example of science diplomacy by name."""
    return (
        prefix_declarations(prefix_table("schema", "sd"), sparql=True)
        + "\nSELECT ?example ?name WHERE {\n"
        "  ?example a sd:Example ; schema:name ?name .\n"
        "  FILTER(lang(?name) = 'en')\n"
        "}\nORDER BY ?name"
    )


def editor_page(
    *,
    query: str | None = None,
    name: str = "Query",
    run: bool = False,
    panel: bool = False,
    permalink: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    """The editor, holding ``query`` in a tab called ``name`` (else what the browser kept,
    else the starter query), running it at once when ``run``; with the examples panel open
    when ``panel``; with what a permalink says about itself."""
    settings = current_app.extensions["scidip"]["settings"]
    config = {
        "endpoint": ENDPOINT,
        "prefixes": PREFIXES,
        "query": query,
        "name": name,
        "run": run,
        "starter": starter_query(),
        "examples": url_for("query_page.query_examples", format="json"),
        "panel": panel,
        "permalinks": url_for("permalinks.create"),
        "permalink": permalink,
        "idBase": str(ID),
        "atlas": url_for("static", filename="vendor/world-atlas/countries-50m.json"),
        "formats": {kind: [_format_json(f) for f in formats_for(kind)] for kind in FORMAT_KINDS},
    }
    html = render_template(
        "query.html",
        config=config,
        query=query if query is not None else starter_query(),
        settings=settings,
        permalink=permalink,
        panel=panel,
        endpoint=ENDPOINT,
        examples=examples(),
        formats=[f for kind in FORMAT_KINDS for f in formats_for(kind)],
    )
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def _format_json(fmt: Format) -> dict[str, str]:
    return {"name": fmt.name, "media_type": fmt.media_type, "extension": fmt.extension}


@bp.get("/sparql")
@bp.get("/query")
def query_page() -> Response:
    """The editor; a query in the URL (``?query=``) is loaded and run."""
    query = request.args.get("query")
    return editor_page(query=query, run=query is not None)


@bp.get("/queries")
def query_examples() -> Response:
    """The examples: JSON (``?format=json`` or Accept), RDF by Accept, the editor for a browser."""
    if wants_json():
        return json_response({"examples": [e.as_json() for e in examples()]})
    fmt = negotiate(
        "graph", request.headers.get("Accept"), format=request.args.get("format"), html=True
    )
    if fmt is None:
        return editor_page(panel=True)
    settings = current_app.extensions["scidip"]["settings"]
    root = rdf_base(settings) + "/"
    triples = example_triples(root, service=root + "sparql")
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    response = Response(
        relativize(serialize(quads, fmt), fmt, settings), content_type=fmt.content_type
    )
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/queries/<name>")
def query_example(name: str) -> Response:
    """One example's text (``/queries/NAME`` or ``NAME.rq``); the editor running it, for a
    browser that prefers HTML."""
    stem = name.removesuffix(".rq")
    example = get_example(stem)
    if example is None:
        raise NotFoundError(
            f"no query named {stem!r}",
            hint="the examples are listed at /queries",
            detail={"name": stem},
        )
    offers = [SPARQL_QUERY, "text/plain", *HTML_MEDIA_TYPES]
    if stem == name and preferred(request.headers.get("Accept"), offers) in HTML_MEDIA_TYPES:
        return editor_page(query=example.text, name=example.name, run=True)
    response = Response(example.text, content_type=QUERY_TEXT)
    response.headers["Vary"] = "Accept"
    return response
