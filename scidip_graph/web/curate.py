"""The curators' writing tools: ``POST /import`` (a spreadsheet) and ``/curate`` (a form).

``POST /import`` takes a bearer token and a sheet (multipart ``file``, or the raw body with a
Content-Type of CSV or XLSX; ``?name=`` names it then) and answers its preview
(:class:`~scidip_graph.curation.importer.ImportPlan` as JSON) with a ``confirmation`` id;
``POST /import?confirm=ID`` with the same token writes it, or refuses with 409 when the data
changed since the preview or the preview was not clean.

``/curate`` is for a browser: a sign-in by token (a form), after which a session cookie
(``HttpOnly``, ``SameSite=Strict``, ``Secure`` when served over TLS or ``SCIDIP_PUBLIC_URL``
is https; signed with the data folder's session key) holds the token's SHA-256, never the
token, and the token is checked again on every request, so a removed token signs out at once.
Every form carries a per-session CSRF token, checked on every POST, and a POST whose
``Origin`` is not this site, or that the browser says is cross-site (``Sec-Fetch-Site``), is
refused (403) before anything else is read. The form adds an example (or edits one of the
curator's own import graphs); its country, institution and person fields complete through the
reconciliation service's ``/reconcile/suggest/entity``; *Check* shows the SHACL report of the
would-be state (nothing written), *Save* writes through the same gate.
"""

from __future__ import annotations

import hmac
import json
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
)
from flask.sessions import SecureCookieSessionInterface

from scidip_graph.curation.forms import FIELDS, example_form, own_graph, plan_form
from scidip_graph.curation.importer import ImportPlan, plan_sheet
from scidip_graph.curation.pending import PendingImports, commit_plan
from scidip_graph.curation.sheet import CSV, XLSX, read_sheet
from scidip_graph.errors import (
    PayloadTooLargeError,
    ScidipError,
    UnauthenticatedError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
    UsageError,
)
from scidip_graph.sparql.service import SparqlService, written
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.tokens_file import token_digest
from scidip_graph.web.errors import JSON
from scidip_graph.web.reconcile import _index as name_index

bp = Blueprint("curate", __name__)

SESSION_HOURS = 8
"""How long a sign-in lasts."""
KEY_FILE = "session.key"
HTML = "text/html; charset=utf-8"
_SHEET_TYPES = (CSV, XLSX, "application/csv", "text/plain")


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, ``Secure`` whenever the site is reached over TLS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        settings = app.extensions["scidip"]["settings"]
        return request.is_secure or settings.public_url.startswith("https:")


@bp.record_once
def _setup(state: Any) -> None:
    """The session's key and cookie flags (only ``/curate`` uses a session)."""
    app: Flask = state.app
    ext = app.extensions["scidip"]
    app.secret_key = _session_key(ext["store"].data_dir)
    app.session_interface = _SessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME="scidip_curator",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PATH="/curate",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
    )
    ext["pending_imports"] = PendingImports.of(ext["store"])


def _session_key(data_dir: Path | None) -> bytes:
    """The data folder's session key (made on first use, readable by its owner only), which
    every worker and every restart shares; a store without a folder gets one per process."""
    if data_dir is None:
        return secrets.token_bytes(32)
    path = data_dir / KEY_FILE
    try:
        return path.read_bytes()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(key)
        tmp.chmod(0o600)
        tmp.replace(path)
        return path.read_bytes()  # a worker that raced this one wins for both


def _service() -> SparqlService:
    return current_app.extensions["scidip"]["service"]  # type: ignore[no-any-return]


def _pending() -> PendingImports:
    return current_app.extensions["scidip"]["pending_imports"]  # type: ignore[no-any-return]


# -- POST /import -----------------------------------------------------------------------------


@bp.post("/import")
def import_sheet() -> Response:
    """Preview a sheet (the answer has a confirmation id), or write a confirmed preview."""
    service = _service()
    curator = service.writer(request.headers.get("Authorization"))
    confirmation = request.args.get("confirm") or request.form.get("confirm")
    if confirmation:
        plan, result = _confirm(confirmation, curator)
        answer = written(result, status=201)
        body = {**result.to_json(), "graph": plan.graph, "rows": len(plan.rows)}
        return _json(body, status=answer.status)
    name, data = _upload(request, service.settings.max_upload_bytes)
    plan = plan_sheet(service.store, name_index(), read_sheet(data, name=name), curator=curator)
    body = {**plan.to_json(), "confirmation": _pending().add(plan, data, name=name)}
    return _json(body)


def _confirm(confirmation: str, curator: Curator) -> tuple[ImportPlan, Any]:
    service = _service()
    pending = _pending().take(confirmation, curator=curator)
    sheet = read_sheet(pending.data, name=pending.name)
    plan = plan_sheet(service.store, name_index(), sheet, curator=curator, at=pending.at)
    plan.version = pending.version  # commit_plan refuses it if the data changed since
    message = f"import {sheet.name} (sha256 {sheet.digest}): {len(plan.rows)} examples"
    result = commit_plan(service.store, plan, curator=curator, message=message)
    _pending().forget(confirmation)
    return plan, result


def _upload(req: Request, limit: int) -> tuple[str, bytes]:
    """The sheet of a request: a multipart ``file``, or the body; its name."""
    if (req.content_length or 0) > limit:
        raise PayloadTooLargeError(
            f"the request body ({req.content_length:,} bytes) is larger than the limit of "
            f"{limit:,} bytes",
            hint="Import the sheet in parts, or ask the operator to raise SCIDIP_MAX_UPLOAD_BYTES.",
        )
    req.max_content_length = limit  # a body without Content-Length: 413 past the limit
    if req.mimetype == "multipart/form-data":
        upload = req.files.get("file")
        if upload is None:
            raise UsageError("the form has no file: send the sheet as the field 'file'")
        return upload.filename or "upload", upload.read()
    if req.mimetype not in _SHEET_TYPES:
        raise UnsupportedMediaTypeError(
            f"/import reads CSV ({CSV}) or XLSX ({XLSX}), not "
            f"{req.mimetype or 'a body without Content-Type'}",
            hint="Send the sheet as multipart/form-data (field 'file') or as the body with its "
            "Content-Type.",
        )
    return req.args.get("name") or "upload", req.get_data(cache=False)


def _json(body: dict[str, Any], *, status: int = 200) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status, content_type=JSON)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- /curate ----------------------------------------------------------------------------------


def _csrf() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


@bp.before_request
def _refuse_cross_site() -> None:
    """Every POST of a form: same site, with the session's CSRF token (403 otherwise)."""
    if request.method != "POST" or not request.path.startswith("/curate"):
        return
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    own = {request.host_url.rstrip("/"), _service().settings.public_url.rstrip("/")}
    if (fetch_site and fetch_site not in ("same-origin", "none")) or (origin and origin not in own):
        raise UnauthorizedError(
            "cross-site form posts are refused",
            hint="Use the form on this site's /curate page.",
        )
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, str(session.get("csrf", ""))):
        raise UnauthorizedError(
            "the form's CSRF token is missing or not this session's",
            hint="Reload /curate and send the form again.",
        )


def _signed_in() -> Curator | None:
    """The curator of the session, checked against the tokens as they are now."""
    digest = session.get("token")
    if not digest:
        return None
    try:
        return _service().tokens.authenticate_digest(bytes.fromhex(str(digest)))
    except (ScidipError, ValueError):
        session.pop("token", None)
        return None


def _page(template: str, status: int = 200, **values: Any) -> Response:
    html = render_template(template, csrf=_csrf(), fields=FIELDS, **values)
    response = Response(html, status=status, content_type=HTML)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"  # no clickjacking of the forms
    return response


@bp.get("/curate")
def curate() -> Response:
    """The sign-in form, or the example form (``?edit=IRI``: an example of one's imports)."""
    curator = _signed_in()
    if curator is None:
        return _page("curate.html", curator=None)
    editing = request.args.get("edit", "")
    form: dict[str, str] = {}
    if editing:
        store = _service().store
        graph = own_graph(store, editing, curator=curator)
        form = example_form(store, name_index(), editing, graph)
    return _page("curate.html", curator=curator, form=form, editing=editing)


@bp.post("/curate/sign-in")
def sign_in() -> Response:
    """Sign in with a write token (the form's ``token``)."""
    token = request.form.get("token", "").strip()
    if not token:
        raise UnauthenticatedError("sign in with your write token", hint="Fill in the token.")
    service = _service()
    service.writer(f"Bearer {token}")  # 401, 403 or 501, as for any write
    session.clear()
    session.permanent = True
    session["token"] = token_digest(token).hex()
    _csrf()  # a new session, a new CSRF token
    return redirect("/curate", code=303)  # type: ignore[return-value]


@bp.post("/curate/sign-out")
def sign_out() -> Response:
    """Forget the session."""
    session.clear()
    return redirect("/curate", code=303)  # type: ignore[return-value]


@bp.post("/curate")
def save() -> Response:
    """Check the form (``action=check``: the SHACL report, nothing written) or save it."""
    curator = _signed_in()
    if curator is None:
        raise UnauthenticatedError("sign in at /curate first", hint="Your session has ended.")
    form = {f: request.form.get(f, "") for f in FIELDS.values()}
    editing = request.form.get("editing", "")
    store = _service().store
    plan = plan_form(store, name_index(), form, curator=curator, editing=editing or None)
    result = None
    if request.form.get("action") == "save" and plan.clean:
        what = f"edit {editing}" if editing else f"add {plan.rows[0].example}"
        result = commit_plan(store, plan, curator=curator, message=f"/curate: {what}")
    status = 201 if result is not None and not editing else 200
    if request.form.get("action") == "save" and not plan.clean:
        status = 422
    return _page(
        "curate.html",
        status=status,
        curator=curator,
        form=form,
        editing=editing,
        plan=plan,
        result=result,
    )
