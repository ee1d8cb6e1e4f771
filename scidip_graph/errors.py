"""Project errors: what a user did wrong, said so they can fix it.

Two tiers (STYLE habit 7): a :class:`ScidipError` carries a user-facing message, an HTTP
status and an optional hint; anything else is a bug, logged and answered with 500.

>>> err = SparqlSyntaxError("Unexpected token", line=2, column=5)
>>> err.status, err.to_dict()["error"]["detail"]["line"]
(400, 2)
"""

from __future__ import annotations

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
        body: dict[str, Any] = {"status": self.status, "code": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        if self.detail:
            body["detail"] = self.detail
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
    """A request the server's policy refuses (SERVICE, LOAD, FROM of outside IRIs, limits)."""

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
    """A write without a valid token: writes are closed unless a token is configured and sent."""

    status = 403
    code = "forbidden"


class RequestTimeoutError(ScidipError):
    """A client too slow sending its request body."""

    status = 408
    code = "request_timeout"
