"""Short links to queries: ``POST /q`` makes one, ``GET /q/ID`` opens it.

A link keeps the query's text and the data version it was shared on
(:mod:`scidip_graph.sparql.permalinks`). Opened by a browser, it is the editor with the query,
saying whether the data changed since; asked for ``application/sparql-query`` (or
``text/plain``), it is the query's text; asked for JSON, what the link records.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, request, url_for

from scidip_graph.errors import NotFoundError, UnsupportedMediaTypeError, UsageError
from scidip_graph.rdf.negotiation import HTML_MEDIA_TYPES, preferred
from scidip_graph.sparql.permalinks import Permalink, Permalinks
from scidip_graph.sparql.protocol import FORM, SPARQL_QUERY
from scidip_graph.web.errors import JSON
from scidip_graph.web.linkeddata import json_response
from scidip_graph.web.links import link
from scidip_graph.web.query_page import QUERY_TEXT, editor_page

bp = Blueprint("permalinks", __name__)

_OFFERS = (SPARQL_QUERY, JSON, "text/plain", *HTML_MEDIA_TYPES)
"""What ``/q/ID`` answers in: the text first (``*/*``, curl), HTML where a browser prefers it."""


def permalinks() -> Permalinks:
    """The app's links, opened on first use (in the data folder when the store has one)."""
    ext = current_app.extensions["scidip"]
    found = ext.get("permalinks")
    if found is None:
        settings = ext["settings"]
        found = ext["permalinks"] = Permalinks(
            ext["store"].data_dir,
            max_bytes=settings.permalink_bytes,
            max_text=settings.max_query_length,
        )
    return found  # type: ignore[no-any-return]


def _version() -> str:
    return str(current_app.extensions["scidip"]["store"].version)


def describe(found: Permalink) -> dict[str, Any]:
    """What a link records, and whether the data changed since it was made."""
    settings = current_app.extensions["scidip"]["settings"]
    current = _version()
    return {
        "id": found.id,
        "url": link(settings, url_for("permalinks.open_link", link_id=found.id)),
        "query": found.text,
        "version": found.version,
        "created": found.created,
        "current_version": current,
        "changed": found.version != current,
    }


@bp.post("/q")
def create() -> Response:
    """Make the link of a query (a form's ``query``, or an ``application/sparql-query``
    body): 201 with its ``Location`` when new, 200 for a link that exists."""
    text = _posted_query()
    found, created = permalinks().create(text, version=_version())
    answer = describe(found)
    response = json_response(answer, status=201 if created else 200)
    response.headers["Location"] = answer["url"]
    return response


@bp.route("/q/<link_id>", methods=["GET", "HEAD"])
def open_link(link_id: str) -> Response:
    """A link: the editor with its query (browsers), its text, or JSON."""
    found = permalinks().get(link_id)
    if found is None:
        raise NotFoundError(
            f"no query link {link_id!r}",
            hint="links are made by POST /q, or with the editor's share button",
            detail={"id": link_id},
        )
    chosen = preferred(request.headers.get("Accept"), _OFFERS)
    if request.args.get("format") == "json":
        chosen = JSON
    if chosen in HTML_MEDIA_TYPES:
        return editor_page(
            query=found.text, name=f"Link {found.id}", run=True, permalink=describe(found)
        )
    if chosen == JSON:
        response = json_response(describe(found))
    else:
        response = Response(found.text, content_type=QUERY_TEXT)
    response.headers["Vary"] = "Accept"
    return response


def _posted_query() -> str:
    content_type = (request.mimetype or "").lower()
    body = request.get_data(cache=False)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UsageError(f"the request body is not UTF-8 (byte {err.start})") from None
    if content_type == SPARQL_QUERY:
        return text
    if content_type == FORM:
        values = parse_qs(text, keep_blank_values=True).get("query", [])
        if len(values) != 1:
            raise UsageError("the form needs exactly one query parameter")
        return values[0]
    raise UnsupportedMediaTypeError(
        f"POST /q takes {FORM} (with query=) or {SPARQL_QUERY}, "
        f"not {content_type or 'a body without Content-Type'}"
    )
