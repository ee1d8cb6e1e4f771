"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (:mod:`scidip_graph.sparql.graph_store`).

``?graph=IRI`` or ``?default``; GET and HEAD anonymous, PUT, POST and DELETE with a bearer
token, through the same write core as SPARQL Update.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, current_app, request

from scidip_graph.sparql import graph_store
from scidip_graph.sparql.service import SparqlService, written
from scidip_graph.web.fastpath import read_body
from scidip_graph.web.http import preflight_headers
from scidip_graph.web.links import link

bp = Blueprint("graph_store", __name__)


@bp.route("/store", methods=graph_store.ALLOWED_METHODS.split(", "))
def store() -> Response:
    """Read or write one graph of the store."""
    service: SparqlService = current_app.extensions["scidip"]["service"]
    if request.method == "OPTIONS":  # a CORS preflight (the CORS headers: ops.after_request)
        return Response(status=204, headers=preflight_headers(graph_store.ALLOWED_METHODS))
    graph = graph_store.target_graph(
        request.method, request.args.get("graph"), default="default" in request.args
    )
    if request.method in ("GET", "HEAD"):
        assert graph is not None  # target_graph names one for a read
        fmt, body = graph_store.read_graph(
            service.store,
            graph,
            accept=request.headers.get("Accept"),
            format=request.args.get("format"),
        )
        response = Response(body, content_type=fmt.content_type)
        response.headers["Vary"] = "Accept"
        return response
    curator = service.writer(request.headers.get("Authorization"))
    if request.method == "DELETE":
        assert graph is not None
        done = graph_store.delete_graph(service.store, graph, curator=curator)
    else:
        done = graph_store.write_graph(
            service.store,
            request.method,
            graph,
            read_body(request.environ, service.settings.max_upload_bytes),
            media_type=request.mimetype or None,
            curator=curator,
        )
    headers = []
    if done.created:
        headers.append(
            ("Location", link(service.settings, f"/store?graph={quote(done.graph, safe='')}"))
        )
    answer = written(done.result, status=201 if done.created else 200, headers=headers)
    return Response(answer.body, status=answer.status, headers=answer.headers)
