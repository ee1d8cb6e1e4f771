"""Operations: health, metrics, the OpenAPI description, and per-request bookkeeping."""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, g, jsonify, request

from scidip_graph.sparql import egress
from scidip_graph.version import __version__
from scidip_graph.web.http import (
    POST_READ_ROUTES,
    READ_METHODS,
    WRITE_ROUTES,
    cors_headers,
    record,
)
from scidip_graph.web.links import link, public_url
from scidip_graph.web.openapi import openapi

bp = Blueprint("ops", __name__)


@bp.before_app_request
def _start_timer() -> None:
    g.started = time.perf_counter()


def after_request(response: Response) -> Response:
    """Metrics, access log, CORS and page ETags for the Flask routes (:mod:`.http` for both)."""
    ext = current_app.extensions["scidip"]
    location = urlsplit(response.headers.get("Location", ""))
    if location.netloc and location.netloc.lower() == request.host.lower():
        # Werkzeug writes its own redirects (/download -> /download/, a 308 caches may keep)
        # on the Host header, in Location and the body: redo them on the public URL, or
        # relative, without a body.
        target = location.path + (f"?{location.query}" if location.query else "")
        response = Response(
            status=response.status_code, headers={"Location": link(ext["settings"], target)}
        )
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    if request.method in READ_METHODS or route in WRITE_ROUTES or route in POST_READ_ROUTES:
        for name, value in cors_headers(ext["settings"].cors_origin):
            response.headers.setdefault(name, value)
    if (
        request.method in READ_METHODS
        and response.status_code == 200
        and not response.is_streamed
        and "ETag" not in response.headers
        and route not in _UNCACHED
    ):
        # Pages are answers about the data: an ETag of their bytes lets clients revalidate.
        response.add_etag()
        response.make_conditional(request)
    # Last, so that the log and the metrics see the status sent (a 304 of the lines above).
    record(
        ext["metrics"].observe,
        method=request.method,
        path=request.path,
        route=route,
        status=response.status_code,
        seconds=time.perf_counter() - g.get("started", time.perf_counter()),
    )
    return response


_UNCACHED = frozenset({"/-/health", "/-/metrics"})


@bp.get("/-/health")
def health() -> Any:
    """Whether the store answers, how big it is, and which data version it serves."""
    store = current_app.extensions["scidip"]["store"]
    started = time.perf_counter()
    quads = len(store)
    return jsonify(
        {
            "status": "ok",
            "version": __version__,
            "store": {
                "backend": store.name,
                **store.describe(),
                "quads": quads,
                "named_graphs": len(store.graph_names()),
                "data_version": store.version,
                "supports": {"write": store.writable, "dataset": store.supports_dataset},
                "limitations": store.limitations(),
                "seconds": round(time.perf_counter() - started, 6),
            },
            "worker": os.getpid(),
            "egress_barrier": {
                # Whether this worker's kernel refuses its outgoing TCP (Landlock); else the
                # query policy and the raw-text check are what stop SERVICE and LOAD.
                "active": egress.barrier_active(),
                "landlock_abi": egress.landlock_abi(),
            },
        }
    )


@bp.get("/-/metrics")
def metrics() -> Response:
    """Prometheus text: requests by route and status, latency, query events."""
    m = current_app.extensions["scidip"]["metrics"]
    return Response(m.render(), content_type=m.content_type)


@bp.get("/openapi.json")
def openapi_json() -> Any:
    """The OpenAPI 3.1 description of every route."""
    settings = current_app.extensions["scidip"]["settings"]
    # "/" (the default of OpenAPI) is relative to where this document was fetched.
    return jsonify(openapi(settings, server=public_url(settings) or "/"))
