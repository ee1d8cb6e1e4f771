"""Project errors: what a user did wrong, said so they can fix it.

Two tiers (STYLE habit 7): a :class:`ScidipError` carries a user-facing message, an HTTP
status and an optional hint; anything else is a bug, logged and answered with 500.

>>> err = SparqlSyntaxError("Unexpected token", line=2, column=5)
>>> err.status, err.to_dict()["error"]["detail"]["line"]
(400, 2)
"""

from __future__ import annotations

import re
from typing import Any


class ScidipError(Exception):
    """Base of every error a user can cause.

    Args:
        message: what went wrong, in words a user understands.
        hint: what to do about it, if there is something to say.
        detail: machine-readable details (position, focus node, valid names...).
    """

    status: int = 400
    code: str = "bad_request"

    def __init__(
        self, message: str, *, hint: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.detail: dict[str, Any] = dict(detail or {})

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape: ``{"error": {"status", "code", "message", ...}}``."""
        return error_shape(self.status, self.code, self.message, hint=self.hint, detail=self.detail)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole (hint, detail and what a subclass adds), whatever its ``__init__``
        takes: errors raised in a forked child cross back to the worker this way."""
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[ScidipError], args: tuple[Any, ...], state: dict[str, Any]) -> ScidipError:
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


def error_shape(
    status: int,
    code: str,
    message: str,
    *,
    hint: str | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The one JSON error shape (STYLE habit 8), for project errors and HTTP errors alike.

    >>> error_shape(404, "not_found", "no such page")
    {'error': {'status': 404, 'code': 'not_found', 'message': 'no such page'}}
    """
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if hint:
        body["hint"] = hint
    if detail:
        body["detail"] = detail
    return {"error": body}


class UsageError(ScidipError):
    """A request or command that cannot be understood as given (unknown name, bad option)."""

    code = "usage"


class UnknownNameError(UsageError):
    """A name looked up in a registry (format, store backend...) that is not there."""

    code = "unknown_name"

    def __init__(self, kind: str, name: str, valid: list[str]) -> None:
        super().__init__(
            f"unknown {kind} {name!r}; valid names: {', '.join(valid)}",
            detail={"kind": kind, "name": name, "valid": valid},
        )


class DataSyntaxError(ScidipError):
    """An RDF document that does not parse; knows the file, line and column."""

    code = "syntax"

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.source, self.line, self.column = source, line, column
        where = ":".join(str(x) for x in (source, line, column) if x is not None)
        super().__init__(
            f"{where}: {message}" if where else message,
            detail={"source": source, "line": line, "column": column, "reason": message},
        )
        self.reason = message


class SparqlSyntaxError(ScidipError):
    """A SPARQL query or update the parser rejects; knows the line and column."""

    code = "sparql_syntax"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message, detail={"line": line, "column": column})
        self.line, self.column = line, column


class PolicyError(ScidipError):
    """A request the server's policy refuses (SERVICE, LOAD from outside, limits)."""

    status = 403
    code = "forbidden"


class LimitError(ScidipError):
    """A request past a configured limit (query length, nesting depth, upload size)."""

    code = "limit"


class NotConformingError(ScidipError):
    """Data that does not conform to the SHACL shapes; carries the validation report."""

    status = 422
    code = "not_conforming"

    def __init__(self, message: str, *, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class NotAcceptableError(ScidipError):
    """No representation matches the client's Accept header."""

    status = 406
    code = "not_acceptable"


class QueryTimeoutError(ScidipError):
    """A query stopped at its time limit."""

    status = 503
    code = "timeout"


class QueryMemoryError(ScidipError):
    """A query stopped at its memory budget."""

    status = 503
    code = "memory"


class BusyError(ScidipError):
    """Too many heavy queries at once: try again later (``detail["retry_after"]`` seconds)."""

    status = 503
    code = "busy"


class UnsupportedOperationError(ScidipError):
    """An operation the protocol defines but this server does not offer (yet): 501."""

    status = 501
    code = "not_implemented"


class QueryEvaluationError(ScidipError):
    """A query that parses but that the engine cannot evaluate (an unknown function...)."""

    code = "evaluation"


class EngineFaultError(ScidipError):
    """The query engine failed on a query it accepted (a fault of the engine, which the
    server ran apart so that it took nothing else down): 500."""

    status = 500
    code = "engine_fault"


class UpstreamError(ScidipError):
    """A ``SERVICE`` endpoint, or the remote store, that failed: no connection, an HTTP error,
    results that do not parse."""

    status = 502
    code = "upstream_error"


class UpstreamTimeoutError(UpstreamError):
    """The remote store (``SCIDIP_STORE=sparql``) did not answer in time, or stopped the query
    at its own time limit: 504."""

    status = 504
    code = "upstream_timeout"


class ConflictError(ScidipError):
    """A write computed on a state of the data that another writer changed meanwhile (the
    remote store's compare-and-set on its version): 409, nothing written."""

    status = 409
    code = "conflict"


# pyoxigraph 0.5 raises RuntimeError for every evaluation error of its own (the variants of
# spareval's QueryEvaluationError) and for a SERVICE failure that is not an I/O error. These
# are the ones a query causes; the two below are the engine's own faults.
_QUERY_CAUSED = re.compile(
    r"The custom function \S+ (?:is not supported|requires .+ arguments.*)"
    r"|The variable encoding the service name is unbound"
    r"|.+ is not a valid service name"
    r"|The service \S+ is not supported",
    re.DOTALL,
)
_ENGINE_FAULTS = (
    "The SPARQL dataset returned the default graph",
    "The storage provided a triple term",
)
_MAX_REASON = 1000


def engine_error(err: BaseException, *, calls_service: bool = True) -> ScidipError | None:
    """The user-facing error for an exception the engine raised while it evaluated a query.

    A failing ``SERVICE`` call is a 502 (:class:`UpstreamError`), an evaluation error the query
    caused a 400 (:class:`QueryEvaluationError`), both with the engine's message; anything else
    is None: a bug, to be logged and answered 500. pyoxigraph reports a ``SERVICE`` failure as
    an ``OSError`` (connection, HTTP status; no ``errno``, unlike the OS's own) or a
    ``RuntimeError`` (results that do not parse, a wrong content type).

    Args:
        err: what the engine raised, during ``Store.query`` or while results were read.
        calls_service: whether the query calls ``SERVICE``; when False no failure can be an
            endpoint's, and an unknown engine error stays a bug.

    >>> engine_error(ConnectionRefusedError("Connection refused (os error 111)")).status
    502
    >>> engine_error(RuntimeError("The custom function <http://x.org/f> is not supported")).status
    400
    >>> engine_error(RuntimeError("Parser error at line 1"), calls_service=False) is None
    True
    >>> engine_error(RecursionError("maximum recursion depth exceeded")) is None
    True
    """
    message = str(err)
    if type(err) is RuntimeError:
        if _QUERY_CAUSED.fullmatch(message):
            return QueryEvaluationError(
                f"the query cannot be evaluated: {message}",
                hint="Only SPARQL's own functions can be called, and SERVICE needs an IRI.",
            )
        if not calls_service or message.startswith(_ENGINE_FAULTS):
            return None
    elif not (isinstance(err, OSError) and err.errno is None and calls_service):
        return None
    reason = message if len(message) <= _MAX_REASON else message[:_MAX_REASON] + "..."
    return UpstreamError(
        f"a SERVICE endpoint failed: {reason}",
        hint="Try again later, or write SERVICE SILENT to go on without the endpoint's answer.",
    )


class NotFoundError(ScidipError):
    """A resource, graph or file that does not exist."""

    status = 404
    code = "not_found"


class PayloadTooLargeError(LimitError):
    """A query or upload larger than the configured maximum."""

    status = 413
    code = "too_large"


class UnsupportedMediaTypeError(ScidipError):
    """A request body in a media type the route does not take."""

    status = 415
    code = "unsupported_media_type"


class MethodNotAllowedError(ScidipError):
    """An HTTP method the route does not answer."""

    status = 405
    code = "method_not_allowed"


class UnauthorizedError(ScidipError):
    """A write refused whoever asks: the server is read-only, the token is not one of its
    tokens, or the graph is outside the token's graphs (403)."""

    status = 403
    code = "forbidden"


class UnauthenticatedError(ScidipError):
    """A write without a bearer token (no ``Authorization`` header, or another scheme): 401,
    answered with the ``WWW-Authenticate`` challenge below. HTTP calls 401 "Unauthorized";
    a token that is sent but refused is an :class:`UnauthorizedError` (403)."""

    status = 401
    code = "unauthenticated"
    challenge = 'Bearer realm="scidip-graph"'


class UnavailableError(ScidipError):
    """Something the server needs is unreadable (its tokens file after a bad edit): 503, the
    cause in the server's log, not in the answer."""

    status = 503
    code = "unavailable"


class StorageFullError(ScidipError):
    """A store of the server's own (the permalinks) past its configured size: 507."""

    status = 507
    code = "storage_full"


class RequestTimeoutError(ScidipError):
    """A client too slow sending its request body."""

    status = 408
    code = "request_timeout"
