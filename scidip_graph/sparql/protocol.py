"""SPARQL 1.1 Protocol requests: what the client asked for, checked before anything runs.

Plain Python, no web framework (STYLE habit 3): the WSGI fast path, the Flask blueprint, the
CLI and the tests all build a :class:`ProtocolRequest` and call :func:`parse_request`.

>>> op = parse_request(ProtocolRequest("GET", {"query": ["ASK {}"]}))
>>> op.kind, op.text
('query', 'ASK {}')
>>> parse_request(ProtocolRequest("GET", {})) is None   # a bare GET: the service description
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from scidip_graph.errors import (
    MethodNotAllowedError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    UsageError,
)
from scidip_graph.rdf.formats import get_format
from scidip_graph.settings import env_name
from scidip_graph.sparql.analysis import QueryInfo

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
DATASET_PARAMETERS = {
    "query": ("default-graph-uri", "named-graph-uri"),
    "update": ("using-graph-uri", "using-named-graph-uri"),
}
"""The parameters naming an operation's default graphs and named graphs, by its kind."""


@dataclass
class ProtocolRequest:
    """An HTTP request to the SPARQL endpoint, reduced to what the protocol needs.

    Attributes:
        method: the HTTP method, upper case.
        args: the URL's query parameters (each name to all its values).
        content_type: the body's media type, parameters stripped, lower case.
        body: the request body (already limited in size by the caller).
    """

    method: str
    args: dict[str, list[str]] = field(default_factory=dict)
    content_type: str = ""
    body: bytes = b""


@dataclass
class Operation:
    """A query or update, with the dataset the protocol asked for.

    Attributes:
        kind: ``query`` or ``update``.
        text: the SPARQL text.
        default_graphs: ``default-graph-uri`` (or ``using-graph-uri``) values; None if absent.
        named_graphs: ``named-graph-uri`` (or ``using-named-graph-uri``) values; None if absent.
        format: the ``format`` parameter, if any.
        timeout: the ``timeout`` parameter in seconds, if any.
    """

    kind: str
    text: str
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    format: str | None = None
    timeout: float | None = None


def parse_request(
    req: ProtocolRequest, *, max_body: int | None = None, min_timeout: float | None = None
) -> Operation | None:
    """Read the operation of a SPARQL Protocol request.

    Returns None for a request that carries no operation (a bare GET), which the endpoint
    answers with its service description. A ``timeout`` below ``min_timeout`` seconds is
    refused: a query that overruns its limit costs the pre-fork server a worker process, so
    a tiny limit would let any client make it fork all day.

    >>> req = ProtocolRequest("GET", {"query": ["ASK {}"], "timeout": ["0.001"]})
    >>> parse_request(req, min_timeout=0.5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    scidip_graph.errors.UsageError: timeout=0.001 is below the shortest time limit of 0.5 ...

    Raises:
        MethodNotAllowedError: for methods other than GET, HEAD and POST, or an update by GET.
        UnsupportedMediaTypeError: for a POST body that is not a form or SPARQL.
        PayloadTooLargeError: for a body past ``max_body`` bytes.
        UsageError: for a missing, repeated or contradictory parameter, a body not UTF-8, or a
            timeout below ``min_timeout``.
    """
    if max_body is not None and len(req.body) > max_body:
        raise PayloadTooLargeError(f"the request body is larger than {max_body} bytes")
    args = req.args
    if req.method in ("GET", "HEAD"):
        if "update" in args:
            raise MethodNotAllowedError(
                "updates must be sent by POST", detail={"allow": ALLOWED_METHODS}
            )
        if "query" not in args:
            return None
        return _operation("query", _single(args, "query"), args, args, min_timeout)
    if req.method != "POST":
        raise MethodNotAllowedError(
            f"{req.method} is not a SPARQL protocol method", detail={"allow": ALLOWED_METHODS}
        )
    if req.content_type == FORM:
        form = parse_qs(_text(req.body), keep_blank_values=True)
        if "query" in form and "update" in form:
            raise UsageError("send either query or update, not both")
        if "query" in form:
            return _operation("query", _single(form, "query"), form, args, min_timeout)
        if "update" in form:
            return _operation("update", _single(form, "update"), form, args, min_timeout)
        raise UsageError("the form has neither a query nor an update parameter")
    if req.content_type == SPARQL_QUERY:
        return _operation("query", _text(req.body), args, args, min_timeout)
    if req.content_type == SPARQL_UPDATE:
        return _operation("update", _text(req.body), args, args, min_timeout)
    raise UnsupportedMediaTypeError(
        f"a POST to the SPARQL endpoint takes {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}, "
        f"not {req.content_type or 'a body without Content-Type'}",
    )


def _operation(
    kind: str,
    text: str,
    params: dict[str, list[str]],
    url_args: dict[str, list[str]],
    min_timeout: float | None,
) -> Operation:
    default, named = DATASET_PARAMETERS[kind]
    merged = {**url_args, **params}
    timeout = None
    if "timeout" in merged:
        raw = _single(merged, "timeout")
        try:
            timeout = float(raw)
        except ValueError:
            raise UsageError(f"timeout={raw!r} is not a number of seconds") from None
        if not timeout > 0:
            raise UsageError("timeout must be a positive number of seconds")
        if min_timeout is not None and timeout < min_timeout:
            raise UsageError(
                f"timeout={timeout:g} is below the shortest time limit of {min_timeout:g} "
                f"seconds ({env_name('min_timeout')})",
                hint=f"ask for at least {min_timeout:g} seconds, or leave timeout out",
                detail={"timeout": timeout, "min_timeout": min_timeout},
            )
    return Operation(
        kind=kind,
        text=text,
        default_graphs=merged.get(default),
        named_graphs=merged.get(named),
        format=_format(merged),
        timeout=timeout,
    )


def dataset(op: Operation, info: QueryInfo) -> tuple[list[str] | None, list[str] | None]:
    """The dataset a query runs on: its default graphs and its named graphs.

    The protocol's ``default-graph-uri`` and ``named-graph-uri`` define it when either is given
    (the other is then empty), else the query's ``FROM`` and ``FROM NAMED`` (as the engine would
    read them; the other is then empty too), else it is the whole dataset: ``(None, None)``.
    An IRI that names no graph of the dataset is an empty graph.

    >>> from scidip_graph.sparql.analysis import analyse
    >>> dataset(Operation("query", "ASK {}", named_graphs=["http://x/g"]), analyse("ASK {}"))
    ([], ['http://x/g'])
    >>> text = "BASE <http://x/> ASK FROM <g> {}"
    >>> dataset(Operation("query", text), analyse(text))
    (['http://x/g'], [])
    """
    if op.default_graphs is not None or op.named_graphs is not None:
        return op.default_graphs or [], op.named_graphs or []
    if info.from_graphs or info.from_named_graphs:
        return [g.iri for g in info.from_graphs], [g.iri for g in info.from_named_graphs]
    return None, None


def _format(params: dict[str, list[str]]) -> str | None:
    # `output` is the name Fuseki and Virtuoso also accept. Clients send both, sometimes with
    # a media-type list in one of them (SPARQLWrapper does): the first value that names a known
    # format wins, else the first value (which negotiation will then refuse with 406).
    values = [*params.get("format", []), *params.get("output", [])]
    for value in values:
        for part in value.split(","):
            if _known_format(part):
                return part.strip()
    return values[0] if values else None


def _known_format(value: str) -> bool:
    try:
        get_format(value)
    except UsageError:
        return value.strip().lower() == "xml"
    return True


def _single(params: dict[str, list[str]], name: str) -> str:
    values = params[name]
    if len(set(values)) != 1:
        raise UsageError(f"the {name} parameter is given {len(values)} times; give it once")
    return values[0]


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UsageError(f"the request body is not UTF-8 (byte {err.start})") from None
