"""One JSON error shape for every error the server returns (STYLE habit 8).

``{"error": {"status": 400, "code": "...", "message": "...", "hint": "...", "detail": {...}}}``
"""

from __future__ import annotations

import json
import logging
from typing import Any

from scidip_graph.errors import ScidipError, UnauthenticatedError, error_shape

log = logging.getLogger("scidip_graph.web")

JSON = "application/json"


def error_body(status: int, code: str, message: str, **extra: Any) -> bytes:
    """The JSON bytes of an error (``extra``: ``hint``, ``detail``).

    >>> error_body(404, "not_found", "no such page")
    b'{"error": {"status": 404, "code": "not_found", "message": "no such page"}}'
    """
    return _json(error_shape(status, code, message, **extra))


def scidip_error(err: ScidipError) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for a project error."""
    headers = [("Content-Type", JSON)]
    if err.status == 405 and "allow" in err.detail:
        headers.append(("Allow", str(err.detail["allow"])))
    if "retry_after" in err.detail:
        headers.append(("Retry-After", str(err.detail["retry_after"])))
    if isinstance(err, UnauthenticatedError):
        headers.append(("WWW-Authenticate", err.challenge))
    return err.status, headers, _json(err.to_dict())


def internal_error() -> tuple[int, list[tuple[str, str]], bytes]:
    """The answer to a bug: logged by the caller, never shown to the client."""
    body = error_body(500, "internal", "internal server error; the server log has the details")
    return 500, [("Content-Type", JSON)], body


def register_error_handlers(app: Any) -> None:
    """Every error of the Flask routes in the one JSON shape."""
    from flask import Response as FlaskResponse
    from werkzeug.exceptions import HTTPException, MethodNotAllowed

    def project(err: ScidipError) -> FlaskResponse:
        status, headers, body = scidip_error(err)
        return FlaskResponse(body, status=status, headers=headers)

    def http(err: HTTPException) -> FlaskResponse:
        if (err.code or 500) >= 500:
            return bug(getattr(err, "original_exception", None) or err)
        code = (err.name or "error").lower().replace(" ", "_")
        body = error_body(err.code or 500, code, err.description or err.name)
        response = FlaskResponse(body, status=err.code, content_type=JSON)
        if isinstance(err, MethodNotAllowed) and err.valid_methods:
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    def bug(err: Exception) -> FlaskResponse:
        log.exception("unhandled error", exc_info=err)
        status, headers, body = internal_error()
        return FlaskResponse(body, status=status, headers=headers)

    app.register_error_handler(ScidipError, project)
    app.register_error_handler(HTTPException, http)
    app.register_error_handler(Exception, bug)


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()
