"""What every HTTP answer gets, whichever of the two stacks answers it.

The SPARQL routes are answered by a plain-WSGI fast path (:mod:`scidip_graph.web.fastpath`),
every other route by Flask (whose bookkeeping is :func:`scidip_graph.web.ops.after_request`).
Both call the functions here, so the CORS headers, the access-log line and the metrics are
written once; the JSON error shape is :mod:`scidip_graph.web.errors`', also called by both.
ETag matching is Werkzeug's on both stacks: ``parse_etags(...).contains_weak`` in the SPARQL
service and the downloads, ``make_conditional`` for the pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

access_log = logging.getLogger("scidip_graph.access")

EXPOSED_HEADERS = "ETag, X-Result-Rows, X-Result-Capped"
"""Response headers a script on another origin may read (beyond the CORS-safelisted ones)."""

READ_METHODS = frozenset({"GET", "HEAD"})
"""The methods of anonymous reads on the Flask routes (the SPARQL routes also read by POST)."""

WRITE_ROUTES = frozenset({"/store"})
"""The Flask routes that take writes from another origin too (with a bearer token, no cookie):
every answer gets the CORS headers, and a preflight (``OPTIONS``) is answered. The SPARQL
routes, ``/update`` among them, are the fast path's, which does the same."""

POST_READ_ROUTES = frozenset({"/reconcile"})
"""The Flask routes that also read by POST (a batch of reconciliation queries in a form): their
answers get the CORS headers of a read, whatever the method."""

ALLOWED_HEADERS = "Accept, Authorization, Content-Type, If-None-Match"
"""Request headers a script on another origin may send: ``Authorization`` carries a write's
bearer token (as Fuseki allows by default; Oxigraph echoes whatever the preflight asks)."""


def cors_headers(origin: str) -> list[tuple[str, str]]:
    """The CORS headers of an anonymous read; none when no origin is configured.

    >>> cors_headers("*")[0]
    ('Access-Control-Allow-Origin', '*')
    >>> cors_headers("")
    []
    """
    if not origin:
        return []
    return [
        ("Access-Control-Allow-Origin", origin),
        ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
    ]


def preflight_headers(methods: str) -> list[tuple[str, str]]:
    """The headers of an answer to a CORS preflight (``OPTIONS``) for a route taking ``methods``.

    >>> dict(preflight_headers("GET, PUT"))["Access-Control-Allow-Headers"]
    'Accept, Authorization, Content-Type, If-None-Match'
    """
    return [
        ("Access-Control-Allow-Methods", methods),
        ("Access-Control-Allow-Headers", ALLOWED_HEADERS),
        ("Access-Control-Max-Age", "86400"),
        ("Allow", methods),
    ]


def record(
    observe: Callable[[str, int, float], None] | None,
    *,
    method: str,
    path: str,
    route: str,
    status: int,
    seconds: float,
    query: str = "",
    query_chars: int = 0,
) -> None:
    """Count one answered request in the metrics and write its access-log line.

    The line is ``METHOD PATH STATUS TIMEms q="QUERY"``, the query shortened to
    ``query_chars`` characters (empty for routes that take none). Never a token, never more
    of a query than configured.

    Args:
        observe: the metrics' ``observe(route, status, seconds)``, if any.
        method: the request's method.
        path: the path asked for.
        route: the route that answered (its rule, ``/id/<path:path>``), for the metrics.
        status: the response status.
        seconds: how long the answer took.
        query: the SPARQL text of the request, if any.
        query_chars: how much of it the log may show.
    """
    if observe is not None:
        observe(route, status, seconds)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info(
            '%s %s %d %.1fms q="%s"',
            method,
            path,
            status,
            seconds * 1000,
            shorten(query, query_chars),
        )


def shorten(text: str, limit: int) -> str:
    """A query's text for one log line: whitespace collapsed, cut at ``limit``, no ``"``.

    >>> shorten('SELECT  *\\n WHERE { ?s ?p "x" }', 40)
    "SELECT * WHERE { ?s ?p 'x' }"
    >>> shorten("SELECT * WHERE { ?s ?p ?o }", 8)
    'SELECT *...'
    """
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit] + "..."
    return text.replace('"', "'")
