"""``/reconcile``: the W3C Entity Reconciliation Service API, as OpenRefine 3.x speaks it.

- ``GET /reconcile``: the manifest (JSON, or JSONP with ``callback``);
- ``GET`` or ``POST`` (form) ``/reconcile`` with ``queries``: a batch of queries; with
  ``extend``: data extension; with ``query`` (version 0.1): one query;
- ``GET /reconcile/suggest/entity|type|property?prefix=``: autocomplete;
- ``GET /reconcile/preview?id=IRI``: a small HTML card, every value escaped;
- ``GET /reconcile/properties?type=IRI``: the properties worth fetching for a class.

The logic is :mod:`scidip_graph.curation`'s; the names are indexed once per data version (in
the app, per worker). Anonymous reads, with the CORS headers of any read (a batch by POST
too: ``web/http.py``'s ``POST_READ_ROUTES``). JSONP, which OpenRefine's browser side falls
back to where CORS fails, answers a ``GET`` whose ``callback`` is a plain JavaScript name.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request

from scidip_graph.curation.extend import PropertyCatalogue, extend
from scidip_graph.curation.index import IndexCache, NameIndex
from scidip_graph.curation.reconcile import (
    PREVIEW_SIZE,
    manifest,
    parse_queries,
    preview,
    propose_properties,
    reconcile_batch,
    suggest_entities,
    suggest_properties,
    suggest_types,
)
from scidip_graph.errors import NotFoundError, UsageError
from scidip_graph.web.errors import JSON
from scidip_graph.web.links import absolute_root

bp = Blueprint("reconcile", __name__)

_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
_MAX_IDS = 1000


def _ext() -> dict[str, Any]:
    return current_app.extensions["scidip"]  # type: ignore[no-any-return]


def _index() -> NameIndex:
    cache: IndexCache = _ext().setdefault("reconcile_index", IndexCache())
    return cache.get(_ext()["store"])


def _catalogue() -> PropertyCatalogue:
    return _ext().setdefault("reconcile_properties", PropertyCatalogue())  # type: ignore[no-any-return]


def _answer(data: Any) -> Response:
    """JSON, or JSONP for a GET with a ``callback``."""
    body = json.dumps(data, ensure_ascii=False)
    callback = request.args.get("callback") if request.method == "GET" else None
    if callback is None:
        return Response(body, content_type=JSON)
    if len(callback) > 100 or not _CALLBACK.fullmatch(callback):
        raise UsageError(
            "callback must be a JavaScript name (letters, digits, _, $ and dots)",
            detail={"parameter": "callback"},
        )
    response = Response(f"/**/{callback}({body});", content_type="application/javascript")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _limit(default: int = 10) -> int:
    value = request.args.get("limit", "")
    try:
        return int(value) if value else default
    except ValueError:
        raise UsageError(f"limit must be a whole number, not {value!r}") from None


@bp.route("/reconcile", methods=["GET", "POST"])
def service() -> Response:
    """The manifest, or the answer to ``queries``, ``extend`` or ``query``."""
    form = request.values
    store = _ext()["store"]
    if "queries" in form:
        return _answer(reconcile_batch(store, _index(), parse_queries(form["queries"])))
    if "extend" in form:
        ids, pids = _extension_request(form["extend"])
        return _answer(extend(store, _index(), ids, pids))
    if "query" in form:  # version 0.1: one query, a string or an object
        text = form["query"]
        try:
            value = json.loads(text) if text.lstrip().startswith("{") else text
        except ValueError:
            value = text  # a name that starts with a brace
        one = parse_queries(json.dumps({"q": value}))
        return _answer(reconcile_batch(store, _index(), one)["q"])
    return _answer(manifest(absolute_root(_ext()["settings"]) + "/reconcile"))


def _extension_request(text: str) -> tuple[list[str], list[str]]:
    """The ids and property ids of an ``extend`` request."""
    try:
        data = json.loads(text)
    except ValueError as err:
        raise UsageError(f"extend is not JSON: {err}") from None
    ids = data.get("ids") if isinstance(data, dict) else None
    props = data.get("properties") if isinstance(data, dict) else None
    if (
        not isinstance(ids, list)
        or not isinstance(props, list)
        or not all(isinstance(i, str) for i in ids)
        or not all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in props)
    ):
        raise UsageError('extend must be {"ids": [IRI, ...], "properties": [{"id": ...}, ...]}')
    if len(ids) > _MAX_IDS:
        raise UsageError(f"extend takes at most {_MAX_IDS} ids at once")
    return ids, [p["id"] for p in props]


@bp.get("/reconcile/suggest/entity")
def suggest_entity() -> Response:
    """Resources whose names start with ``prefix``, for autocomplete (``type`` narrows)."""
    types = request.args.getlist("type")
    found = suggest_entities(_index(), request.args.get("prefix", ""), types=types, limit=_limit())
    return _answer(found)


@bp.get("/reconcile/suggest/type")
def suggest_type() -> Response:
    """Classes whose names start with ``prefix``."""
    return _answer(suggest_types(_index(), request.args.get("prefix", ""), limit=_limit()))


@bp.get("/reconcile/suggest/property")
def suggest_property() -> Response:
    """Properties whose names start with ``prefix``."""
    store = _ext()["store"]
    prefix = request.args.get("prefix", "")
    return _answer(suggest_properties(store, _catalogue(), prefix, limit=_limit()))


@bp.get("/reconcile/properties")
def properties() -> Response:
    """The properties to propose for a class (``type``), for data extension."""
    store = _ext()["store"]
    type_id = request.args.get("type") or None
    return _answer(propose_properties(store, _catalogue(), type_id, limit=_limit(20)))


@bp.get("/reconcile/preview")
def preview_card() -> Response:
    """A small HTML card of one resource (``id``: its IRI), for OpenRefine's preview pane."""
    iri = request.args.get("id", "")
    card = preview(_ext()["store"], _index(), iri)
    if card is None:
        raise NotFoundError(f"no resource {iri!r} in the graph", detail={"id": iri})
    html = render_template("reconcile_preview.html", p=card, width=PREVIEW_SIZE[0])
    return Response(html, content_type="text/html; charset=utf-8")
