"""``POST /validate``: the report a write would get, and nothing written.

The body is data to add (an RDF upload by Content-Type, its graph by ``?graph=IRI`` or
``?default``, as the Graph Store Protocol names it) or an update (form ``update=`` or
``application/sparql-update``, with ``using-graph-uri`` and ``using-named-graph-uri``).
The answer is 200 either way: ``{"conforms", "results"}`` in JSON, or ``sh:ValidationReport``
in Turtle by ``Accept``. Anonymous, like a query, and held to a query's limits: the body size,
the policy (``SERVICE``, outside ``LOAD``), and the time and memory limits of the runner.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, after_this_request, current_app, jsonify, request

from scidip_graph.errors import NotAcceptableError, PayloadTooLargeError, UsageError
from scidip_graph.ingest.validation import ValidationReport
from scidip_graph.rdf.formats import get_format
from scidip_graph.rdf.negotiation import preferred
from scidip_graph.sparql.dry_run import report_json, validate_update, validate_upload
from scidip_graph.sparql.protocol import FORM, SPARQL_UPDATE, ProtocolRequest
from scidip_graph.sparql.service import SparqlService

bp = Blueprint("dry_run", __name__)

JSON = "application/json"
TURTLE = get_format("turtle").media_type


@bp.post("/validate")
def validate() -> Response:
    """Validate data or an update against the store's data and the shapes; write nothing."""
    ext = current_app.extensions["scidip"]
    service: SparqlService = ext["service"]
    settings = service.settings
    answer = preferred(request.headers.get("Accept"), [JSON, TURTLE])
    if answer is None:
        raise NotAcceptableError(f"/validate answers {JSON} or {TURTLE}")
    limit = settings.max_upload_bytes
    if (request.content_length or 0) > limit:
        raise PayloadTooLargeError(
            f"the request body ({request.content_length} bytes) is larger than the limit of "
            f"{limit} bytes"
        )
    request.max_content_length = limit  # a body without Content-Length: 413 past the limit
    work, timeout = _work(service, request.mimetype, request.get_data(cache=False))
    try:
        report = service.runner.run(work, timeout=timeout)
    finally:
        on_doomed = ext.get("on_doomed")
        if service.runner.doomed and on_doomed is not None:
            # As on /sparql: the answer (the 503) goes out, then the worker stops, which is
            # what stops the work that overran.
            @after_this_request
            def stop_after(response: Response) -> Response:
                response.call_on_close(on_doomed)
                return response

    if answer == TURTLE:
        response = Response(report.to_turtle(), content_type=f"{TURTLE}; charset=utf-8")
    else:
        response = jsonify(report_json(report))
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "no-store"
    return response


def _work(
    service: SparqlService, media_type: str, body: bytes
) -> tuple[Callable[[], ValidationReport], float]:
    """What to run on the engine thread for this body, and its time limit."""
    timeout = service.settings.query_timeout
    if media_type in (FORM, SPARQL_UPDATE):
        req = ProtocolRequest("POST", request.args.to_dict(flat=False), media_type, body)
        op = service.operation(req)
        if op is None or op.kind != "update":
            raise UsageError("/validate takes data or an update, not a query: send it to /sparql")
        service.check(op, dry_run=True)
        timeout = min(op.timeout or timeout, timeout)
        return (
            lambda: validate_update(
                service.store,
                op.text,
                base_iri=service.base_iri,
                using_graphs=op.default_graphs,
                using_named_graphs=op.named_graphs,
            )
        ), timeout
    args = request.args
    return (
        lambda: validate_upload(
            service.store,
            body,
            media_type=media_type,
            graph=args.get("graph"),
            default="default" in args,
        )
    ), timeout
