"""One JSON error shape for every error the server returns (STYLE habit 8).

``{"error": {"status": 400, "code": "...", "message": "...", "hint": "...", "detail": {...}}}``
"""

from __future__ import annotations

import json
import logging
from typing import Any

from scidip_graph.errors import ScidipError, UnauthenticatedError, error_shape
from scidip_graph.rdf.negotiation import HTML_MEDIA_TYPES, preferred

log = logging.getLogger("scidip_graph.web")

JSON = "application/json"
ERROR_OFFERS = (JSON, HTML_MEDIA_TYPES[0])
"""What an error is offered as: JSON, unless the client prefers HTML (browsers get a page for a
404 everywhere; machines and clients with no preference get the one JSON shape)."""


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
    from flask import render_template, request
    from werkzeug.exceptions import HTTPException, MethodNotAllowed

    def wants_html() -> bool:
        """A browser: it prefers the HTML page to the JSON error (no Accept: JSON)."""
        return preferred(request.headers.get("Accept"), ERROR_OFFERS) == HTML_MEDIA_TYPES[0]

    def not_found_html(message: str, hint: str | None) -> FlaskResponse:
        html = render_template("error.html", status=404, message=message, hint=hint)
        return FlaskResponse(html, status=404, content_type="text/html; charset=utf-8")

    def project(err: ScidipError) -> FlaskResponse:
        if err.status == 404 and wants_html():
            return not_found_html(err.message, err.hint)
        status, headers, body = scidip_error(err)
        return FlaskResponse(body, status=status, headers=headers)

    def http(err: HTTPException) -> FlaskResponse:
        if (err.code or 500) >= 500:
            return bug(getattr(err, "original_exception", None) or err)
        if err.code == 404 and wants_html():
            return not_found_html(f"there is no page at {request.path}", None)
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
