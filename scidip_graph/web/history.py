"""``/changes``: every write, newest first, as HTML, JSON or an Atom feed; ``/changes/N``: one
change as a diff (HTML or JSON).

The format comes from a suffix (``/changes.json``, ``/changes.atom``, ``/changes.html``),
``format=``, or Accept. ``before=N`` pages (older changes), ``limit`` sizes a page (at most
200), ``about=IRI`` keeps the changes that touched one resource (its page links here). The
logic is :mod:`scidip_graph.curation.history`'s.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request

from scidip_graph.curation.history import (
    PAGE_SIZE,
    atom_feed,
    change_diff,
    change_json,
    changes_page,
    graph_label,
    title,
)
from scidip_graph.errors import UsageError
from scidip_graph.rdf.negotiation import HTML_MEDIA_TYPES, preferred
from scidip_graph.web.errors import JSON
from scidip_graph.web.linkeddata import json_response
from scidip_graph.web.links import absolute_root, link

bp = Blueprint("history", __name__)

ATOM = "application/atom+xml"
_SUFFIXES = {"html": HTML_MEDIA_TYPES[0], "json": JSON, "atom": ATOM}


@bp.app_template_global()
def change_title(change: Any) -> str:
    """A change in one line, for templates."""
    return title(change)


@bp.app_template_global()
def graph_name(graph: str) -> str:
    """A graph as the history names it, for templates."""
    return graph_label(graph)


def _chosen(suffix: str | None, offers: list[str]) -> str:
    if suffix is not None:
        if suffix not in _SUFFIXES or _SUFFIXES[suffix] not in offers:
            abort(404)
        return _SUFFIXES[suffix]
    wanted = request.args.get("format", "").lower()
    if wanted:
        if wanted not in _SUFFIXES or _SUFFIXES[wanted] not in offers:
            raise UsageError(
                f"format must be one of {', '.join(s for s, m in _SUFFIXES.items() if m in offers)}"
            )
        return _SUFFIXES[wanted]
    return preferred(request.headers.get("Accept"), offers) or offers[0]


def _int(name: str, default: int | None) -> int | None:
    value = request.args.get(name, "")
    if not value:
        return default
    if not value.isdigit():
        raise UsageError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _query(**params: Any) -> str:
    given = {k: v for k, v in params.items() if v is not None}
    return ("?" + urlencode(given)) if given else ""


@bp.get("/changes")
@bp.get("/changes.<suffix>")
def changes(suffix: str | None = None) -> Response:
    """Every write, newest first: who, when, which graphs, quads added and removed."""
    media = _chosen(suffix, [HTML_MEDIA_TYPES[0], JSON, ATOM])
    ext = current_app.extensions["scidip"]
    about = request.args.get("about") or None
    page = changes_page(
        ext["store"],
        before=_int("before", None),
        limit=_int("limit", PAGE_SIZE) or PAGE_SIZE,
        about=about,
    )
    older = f"/changes{_query(before=page.older, about=about)}" if page.older else None
    if media == ATOM:
        root = absolute_root(ext["settings"])
        body = atom_feed(
            page,
            feed_url=f"{root}/changes.atom{_query(about=about)}",
            change_url=f"{root}/changes/{{id}}",
        )
        return Response(body, content_type=f"{ATOM}; charset=utf-8")
    if media == JSON:
        return json_response(
            {
                "changes": [change_json(c, link=f"/changes/{c.id}") for c in page.changes],
                "older": older,
                "about": about,
            }
        )
    html = render_template(
        "changes.html",
        page=page,
        older=older,
        feed=link(ext["settings"], f"/changes.atom{_query(about=about)}"),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/changes/<int:change_id>")
@bp.get("/changes/<int:change_id>.<suffix>")
def change(change_id: int, suffix: str | None = None) -> Response:
    """One change: its triples added and removed, by graph."""
    media = _chosen(suffix, [HTML_MEDIA_TYPES[0], JSON])
    diff = change_diff(current_app.extensions["scidip"]["store"], change_id)
    if media == JSON:
        return json_response(
            {
                **change_json(diff.change, link=f"/changes/{change_id}"),
                "diff": [
                    {
                        "graph": g.graph,
                        "added": g.added,
                        "removed": g.removed,
                        "added_count": g.added_count,
                        "removed_count": g.removed_count,
                    }
                    for g in diff.graphs
                ],
            }
        )
    html = render_template("change.html", diff=diff)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
