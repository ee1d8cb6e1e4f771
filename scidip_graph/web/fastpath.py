"""The SPARQL endpoint as plain WSGI, in front of the Flask app.

``/sparql`` and ``/query`` answer thousands of small queries a second, where every microsecond
of framework work shows (DESIGN section 6), so they bypass Flask's routing and request objects.
Everything else, and the HTML query page of a bare GET from a browser, goes to Flask.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from gunicorn.http.errors import NoMoreData, ParseException

from scidip_graph.errors import PayloadTooLargeError, RequestTimeoutError, ScidipError, UsageError
from scidip_graph.namespaces import SERVICE_PREFIXES
from scidip_graph.rdf.exporters import serialize_quads
from scidip_graph.rdf.formats import Format
from scidip_graph.rdf.negotiation import HTML_MEDIA_TYPES, negotiate, offered, preferred
from scidip_graph.settings import Settings
from scidip_graph.sparql.protocol import ALLOWED_METHODS, Operation, ProtocolRequest
from scidip_graph.sparql.service import Response, SparqlService
from scidip_graph.sparql.service_description import service_description
from scidip_graph.web.errors import internal_error, scidip_error
from scidip_graph.web.http import cors_headers, preflight_headers, record
from scidip_graph.web.links import rdf_base, relativize

log = logging.getLogger("scidip_graph.web")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ROUTES = ("/sparql", "/query", "/update")
_STATUS = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}


class SparqlEndpoint:
    """WSGI middleware answering the SPARQL routes itself.

    Args:
        app: the WSGI app for every other route.
        service: the protocol logic.
        before: called before each request (a durable store catches up with its log here; a
            remote store notes that its version may be behind, see Store.refresh_lazily).
        observe: called with (route, status, seconds) after each request (metrics).
        on_doomed: called after the response of a request whose query overran, once the body
            is sent (the pre-fork server stops the worker there).
    """

    def __init__(
        self,
        app: WSGIApp,
        service: SparqlService,
        *,
        before: Callable[[], Any] | None = None,
        observe: Callable[[str, int, float], None] | None = None,
        on_doomed: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.service = service
        self.before = before
        self.observe = observe
        self.on_doomed = on_doomed
        self.cors = service.settings.cors_origin
        self.log_chars = service.settings.log_query_chars
        self._description: tuple[str, bytes] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path not in ROUTES:
            return self.app(environ, start_response)
        started = time.perf_counter()
        method = environ["REQUEST_METHOD"]
        query_text = ""
        try:
            if self.before is not None:
                self.before()
            if method == "OPTIONS":
                response = Response(204, preflight_headers(ALLOWED_METHODS))
            else:
                req = ProtocolRequest(
                    method,
                    parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
                    environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower(),
                    read_body(environ, self.service.settings.max_upload_bytes),
                )
                op = self.service.operation(req)
                if op is None:
                    fmt = negotiate(
                        "graph",
                        environ.get("HTTP_ACCEPT"),
                        format=next(iter(req.args.get("format", [])), None),
                        html=True,
                    )
                    if fmt is None:  # the query page
                        return self.app(environ, start_response)
                    response = self.service_description(environ, req, fmt)
                elif _browser_navigation(method, op, environ.get("HTTP_ACCEPT")):
                    return self.app(environ, start_response)  # the editor, running the query
                else:
                    query_text = op.text
                    if path == "/update" and op.kind != "update":
                        raise UsageError("/update takes updates; send queries to /sparql")
                    response, _ = self.service.respond(
                        op,
                        method=method,
                        accept=environ.get("HTTP_ACCEPT"),
                        if_none_match=environ.get("HTTP_IF_NONE_MATCH"),
                        authorization=environ.get("HTTP_AUTHORIZATION"),
                    )
        except ScidipError as err:
            self.service.on_event(_event_of(err))
            response = Response(*scidip_error(err))
        except Exception:
            log.exception("error answering %s %s", method, path)
            response = Response(*internal_error())
        # Every SPARQL operation is a read a page on another origin may make (by POST too);
        # writes need the token anyway.
        response.headers.extend(cors_headers(self.cors))
        if self.service.runner.doomed and self.on_doomed is not None:
            response.on_close = self.on_doomed
        body = response.body
        if (
            isinstance(body, bytes)
            and response.status != 304
            and not any(name == "Content-Length" for name, _ in response.headers)
        ):
            response.headers.append(("Content-Length", str(len(body))))
        start_response(_STATUS.get(response.status, str(response.status)), response.headers)
        record(
            self.observe,
            method=method,
            path=path,
            route=path,
            status=response.status,
            seconds=time.perf_counter() - started,
            query=query_text,
            query_chars=self.log_chars,
        )
        if isinstance(body, bytes):
            body = [body]
        return _Body(body, response.on_close)

    def service_description(
        self, environ: dict[str, Any], req: ProtocolRequest, fmt: Format
    ) -> Response:
        """The service description in a format (negotiated like any RDF answer)."""
        settings = self.service.settings
        endpoint = _endpoint_url(environ, settings)
        version = self.service.store.confirm_version()  # it lists the graphs as they are
        key = f"{version} {endpoint} {fmt.name}"
        cached = self._description
        if cached is None or cached[0] != key:
            triples = service_description(self.service.store, settings, endpoint)
            quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
            data = serialize_quads(quads, fmt, prefixes=SERVICE_PREFIXES)
            cached = self._description = (key, relativize(data, fmt, settings))
        body = b"" if req.method == "HEAD" else cached[1]
        return Response(
            200,
            [
                ("Content-Type", fmt.content_type),
                ("Vary", "Accept"),
                ("Content-Length", str(len(cached[1]))),
            ],
            body,
        )


class _Body:
    """A WSGI response iterable whose close() runs the response's close hook."""

    def __init__(self, chunks: Iterable[bytes], on_close: Callable[[], None] | None) -> None:
        self._chunks = chunks
        self._on_close = on_close

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._chunks)

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()
        if self._on_close is not None:
            self._on_close()


def read_body(environ: dict[str, Any], limit: int) -> bytes:
    """The request body of a POST or PUT (b"" for other methods), at most ``limit`` bytes.

    Raises:
        PayloadTooLargeError: a longer body (413).
        RequestTimeoutError, UsageError: a body too slow, or cut short.
    """
    try:
        return _read_body(environ, limit)
    except TimeoutError:
        raise RequestTimeoutError("the request body arrived too slowly") from None
    except (ParseException, NoMoreData) as err:  # bad chunked framing, or a body cut short
        raise UsageError(
            f"the request body could not be read: {type(err).__name__} ({err})"
        ) from None


def _read_body(environ: dict[str, Any], limit: int) -> bytes:
    if environ["REQUEST_METHOD"] not in ("POST", "PUT"):
        return b""
    length = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if length:
        size = int(length)
        if size > limit:
            raise PayloadTooLargeError(
                f"the request body ({size} bytes) is larger than the limit of {limit} bytes"
            )
        return stream.read(size)  # type: ignore[no-any-return]
    data = stream.read(limit + 1)  # chunked or unknown length: read at most one past the limit
    if len(data) > limit:
        raise PayloadTooLargeError(f"the request body is larger than the limit of {limit} bytes")
    return data  # type: ignore[no-any-return]


def _browser_navigation(method: str, op: Operation, accept: str | None) -> bool:
    """Whether a query comes from a browser opening a link (``/sparql?query=...``): a GET
    whose Accept prefers HTML to every result format. It gets the editor with the query and its
    results, never a download; a client naming a result format at the same weight as HTML
    (or ``*/*``, or ``format=``) gets the results, as the protocol says.

    >>> op = Operation("query", "ASK {}")
    >>> chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    >>> _browser_navigation("GET", op, chrome), _browser_navigation("POST", op, chrome)
    (True, False)
    >>> [_browser_navigation("GET", op, accept) for accept in (None, "*/*")]
    [False, False]
    >>> _browser_navigation("GET", Operation("query", "ASK {}", format="csv"), chrome)
    False
    """
    if method not in ("GET", "HEAD") or op.kind != "query" or not accept or op.format:
        return False
    return preferred(accept, _BROWSER_OFFERS) in HTML_MEDIA_TYPES


_BROWSER_OFFERS = (*offered("results"), *offered("graph"), *HTML_MEDIA_TYPES)


def _endpoint_url(environ: dict[str, Any], settings: Settings) -> str:
    # Never the Host header (nor SERVER_NAME, which servers fill from it): the public URL, or
    # a base that relativize() turns into the root-relative </sparql> (see scidip_graph.web.links).
    # PATH_INFO is one of ROUTES here.
    return f"{rdf_base(settings)}{environ['PATH_INFO']}"


def _event_of(err: ScidipError) -> str:
    return {"timeout": "timeout", "busy": "busy", "memory": "memory"}.get(err.code, "rejected")
