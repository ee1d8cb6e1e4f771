"""The SPARQL endpoint's logic: request -> operation -> policy -> run -> negotiated response.

No web framework here (STYLE habit 3). :class:`SparqlService` turns a
:class:`~scidip_graph.sparql.protocol.ProtocolRequest` plus a few headers into a :class:`Response`;
the WSGI layer only copies it onto the wire.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO

import pyoxigraph as ox
from werkzeug.http import parse_etags, quote_etag

from scidip_graph.errors import (
    ScidipError,
    SparqlSyntaxError,
    UnsupportedOperationError,
    engine_error,
)
from scidip_graph.rdf.formats import Format
from scidip_graph.rdf.negotiation import negotiate
from scidip_graph.settings import Settings
from scidip_graph.sparql import egress
from scidip_graph.sparql.cache import ResultCache
from scidip_graph.sparql.isolation import Helper
from scidip_graph.sparql.native import write_solutions_natively
from scidip_graph.sparql.policy import Policy, QueryInfo, check, check_dataset_iris
from scidip_graph.sparql.protocol import (
    DATASET_PARAMETERS,
    Operation,
    ProtocolRequest,
    dataset,
    parse_request,
)
from scidip_graph.sparql.runner import Runner
from scidip_graph.sparql.syntax import explain_syntax_error
from scidip_graph.sparql.tokens import Curator, Tokens
from scidip_graph.sparql.update import UpdateResult, apply_update
from scidip_graph.sparql.writers import write_result
from scidip_graph.store import QueryResult, Store

CHUNK = 64 * 1024
SPOOL_BYTES = 16 * 1024 * 1024
_KIND_OF_FORM = {"SELECT": "results", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


@dataclass
class Response:
    """What to send back.

    Attributes:
        status: the HTTP status.
        headers: header name/value pairs.
        body: the body, as bytes or an iterable of chunks.
        on_close: called once the body has been sent (the server may stop a doomed worker).
    """

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Iterable[bytes] = b""
    on_close: Callable[[], None] | None = None


def written(
    result: UpdateResult, *, status: int = 200, headers: Iterable[tuple[str, str]] = ()
) -> Response:
    """The success answer of a write (SPARQL Update, the Graph Store Protocol): JSON."""
    return Response(
        status,
        [("Content-Type", "application/json"), ("Cache-Control", "no-store"), *headers],
        json.dumps(result.to_json()).encode(),
    )


@dataclass
class Outcome:
    """What running a query produced, for logs and metrics."""

    rows: int = 0
    capped_by: str | None = None  # "rows" or "bytes"
    cached: bool = False
    seconds: float = 0.0


class SparqlService:
    """Answers SPARQL Protocol requests on a store.

    Args:
        store: the store to query.
        settings: limits, allowlists, the write tokens.
        runner: runs queries under the time limit (a fresh :class:`Runner` by default).
        cache: the shared result cache, if any.
        on_event: called with an event name (``timeout``, ``rejected``, ``cache_hit``,
            ``capped``) for metrics.
        base_iri: what relative IRIs in queries resolve against (the endpoint's own IRI, as
            the protocol allows); None: none, and a relative IRI is a syntax error.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        runner: Runner | None = None,
        cache: ResultCache | None = None,
        on_event: Callable[[str], None] | None = None,
        base_iri: str | None = None,
    ) -> None:
        self.store = store
        self.base_iri = base_iri
        self.settings = settings
        self.runner = runner or Runner()
        # ORDER BY runs in a child of its own, forked once and kept: the engine can abort the
        # process on some sorts (sparql/isolation.py).
        self._sorter = Helper(self._sorted, current=self._version, what="the query's ORDER BY")
        self.cache = cache
        self.on_event = on_event or (lambda name: None)
        self.policy = Policy(
            service_allowlist=settings.service_allowlist,
            graph_allowlist=settings.graph_allowlist,
            max_query_length=settings.max_query_length,
            max_depth=settings.max_depth,
            max_chain=settings.max_chain,
        )
        self.tokens = Tokens.from_settings(settings)  # a broken tokens file stops the start

    # -- requests -------------------------------------------------------------------------

    def operation(self, req: ProtocolRequest) -> Operation | None:
        """The request's operation (None for a bare GET), checked for size, shape, timeout."""
        return parse_request(
            req,
            max_body=self.settings.max_upload_bytes,
            min_timeout=self.settings.min_timeout,
        )

    def check(
        self, op: Operation, *, curator: Curator | None = None, dry_run: bool = False
    ) -> QueryInfo:
        """Apply the policy: writes need a token; SERVICE and outside LOAD refused.

        An update needs the ``curator`` its token names (:meth:`respond` authenticates the
        token once, before the update is even parsed). A ``dry_run`` update (``POST
        /validate``) writes nothing, so it needs none; the rest of the policy applies to it
        all the same.

        Raises:
            UnauthorizedError, PolicyError, LimitError, PayloadTooLargeError,
            SparqlSyntaxError: as :func:`scidip_graph.sparql.policy.check` decides (an update
            without a curator: 403).
            UnsupportedOperationError: the request chooses its dataset and the store cannot.
        """
        policy = self.policy
        if op.kind == "update" and (dry_run or curator is not None):
            policy = Policy(**{**policy.__dict__, "allow_updates": True})
        info = check(op.text, policy, base=self.base_iri)  # the engine's base: see _evaluate
        if not policy.service_allowlist and not egress.barrier_active():
            egress.check_raw_text(op.text)  # the second barrier where the kernel gives none
        if op.kind == "query" and info.kind != "query":
            raise ScidipError("the query parameter holds an update; send it as update=")
        if op.kind == "update" and info.kind != "update":
            raise ScidipError("the update parameter holds a query; send it as query=")
        for name, iris in zip(
            DATASET_PARAMETERS[op.kind], (op.default_graphs, op.named_graphs), strict=True
        ):
            if iris:
                check_dataset_iris(iris, parameter=name)
        chosen = op.default_graphs or op.named_graphs or info.from_graphs or info.from_named_graphs
        if chosen and not self.store.supports_dataset:
            raise UnsupportedOperationError(
                f"the {self.store.name} store answers over its whole dataset only",
                hint="leave out default-graph-uri, named-graph-uri and FROM; use GRAPH instead",
            )
        return info

    def respond(
        self,
        op: Operation,
        *,
        method: str = "GET",
        accept: str | None = None,
        if_none_match: str | None = None,
        authorization: str | None = None,
    ) -> tuple[Response, Outcome]:
        """Answer an operation (from :meth:`operation`).

        Raises:
            ScidipError: for every refusal; the caller turns it into the JSON error shape.
                An update without a bearer token is 401, with a token the server does not
                know 403, while the tokens file cannot be read 503
                (:class:`~scidip_graph.sparql.tokens.Tokens`).
        """
        curator = None
        if op.kind == "update" and self.tokens.configured:
            # Once, and before the update is even parsed. The write path asks the curator to
            # authorize() the graphs its change touches, once it is computed: known then,
            # never guessed from the update's text.
            curator = self.tokens.authenticate(authorization)
        info = self.check(op, curator=curator)
        if op.kind == "update":
            assert curator is not None  # check() refuses an update without one
            return self.update(op, curator=curator), Outcome()
        return self.query(
            op,
            info,
            accept=accept,
            if_none_match=if_none_match,
            conditional=method in ("GET", "HEAD"),
            head=method == "HEAD",
        )

    def update(self, op: Operation, *, curator: Curator) -> Response:
        """Apply a checked update by an authenticated curator, whole or not at all
        (:func:`~.update.apply_update`).

        Raises:
            UnsupportedOperationError: the store cannot be written (501).
            UnauthorizedError, NotConformingError, ScidipError: as ``apply_update`` does;
                nothing is written then.
        """
        self._require_writable()
        result = apply_update(
            self.store,
            op.text,
            curator=curator,
            base_iri=self.base_iri,
            using_graphs=op.default_graphs,
            using_named_graphs=op.named_graphs,
        )
        return written(result)

    def writer(self, authorization: str | None) -> Curator:
        """The curator a write request's ``Authorization`` header names, if writes work here.

        Raises:
            UnsupportedOperationError: the server is read-only (no tokens, or a store that
                cannot be written; 501).
            UnauthenticatedError, UnauthorizedError, UnavailableError: as
                :meth:`~.tokens.Tokens.authenticate` does.
        """
        self._require_writable()
        return self.tokens.authenticate(authorization)

    def _require_writable(self) -> None:
        if not self.tokens.configured or not self.store.writable:
            raise UnsupportedOperationError(
                f"this server is read-only: its {self.store.name} store cannot be written"
                if self.tokens.configured
                else "this server is read-only: it has no write tokens",
                hint="Serve a data folder (SCIDIP_DATA_DIR) with write tokens "
                "(SCIDIP_WRITE_TOKEN or SCIDIP_TOKENS_FILE).",
            )

    def query(
        self,
        op: Operation,
        info: QueryInfo,
        *,
        accept: str | None,
        if_none_match: str | None,
        conditional: bool,
        head: bool = False,
    ) -> tuple[Response, Outcome]:
        """Run a checked query and build its response (ETag, cache, time limit, row cap)."""
        kind = _KIND_OF_FORM.get(info.form or "SELECT", "results")
        fmt = negotiate(kind, accept, format=op.format)
        revalidating = conditional and bool(if_none_match)
        if revalidating:  # a 304 says the data is still what it was: the version must be current
            self.store.confirm_version()
        version = self.store.version
        key = _request_key(version, op, fmt, self.base_iri)
        # Weak comparison, as RFC 9110 asks of If-None-Match: Werkzeug's, as for the pages.
        if revalidating and parse_etags(if_none_match).contains_weak(key[:32]):
            return Response(304, self._validators(key)), Outcome(cached=True)  # no cache read
        cached = self.cache.get(key) if self.cache else None
        # A cached answer was computed at the version this worker last read: served only if
        # the store still holds that version.
        if (
            cached is not None
            and not self.store.version_confirmed
            and self.store.confirm_version() != version
        ):
            key = _request_key(self.store.version, op, fmt, self.base_iri)
            cached = self.cache.get(key) if self.cache else None
        headers = self._validators(key)
        outcome = Outcome()
        if cached is not None:
            body, meta = cached
            outcome.rows, outcome.capped_by, outcome.cached = meta["rows"], meta["capped"], True
            self.on_event("cache_hit")
            return self._ok(fmt, headers, body, outcome, head), outcome
        timeout = min(op.timeout or self.settings.query_timeout, self.settings.query_timeout)
        started = time.perf_counter()
        try:
            spool = self.runner.run(
                lambda: self._evaluate(op, info, fmt, outcome, timeout),
                timeout=timeout,
                # What the heavy slots remember the query by: its cache key (the query, its
                # dataset and format, the data version), already computed.
                fingerprint=int(key[:15], 16) or 1,
            )
        except SparqlSyntaxError as err:  # the engine's parser: point it at the cause
            raise explain_syntax_error(err, op.text, base=self.base_iri) from None
        except Exception as err:
            mapped = engine_error(err, calls_service=bool(info.services))
            if mapped is None:
                raise
            raise mapped from err
        outcome.seconds = time.perf_counter() - started
        if outcome.capped_by:
            self.on_event("capped")
        if (
            self.cache is not None
            and outcome.seconds >= self.settings.cache_min_seconds
            and spool.size <= self.cache.max_entry_bytes  # never read a body it will not keep
        ):
            meta = {"rows": outcome.rows, "capped": outcome.capped_by}
            self.cache.put(key, spool.getvalue(), meta)
        return self._ok(fmt, headers, spool, outcome, head), outcome

    def _validators(self, key: str) -> list[tuple[str, str]]:
        """The headers that let clients and caches keep an answer labelled by ``key``. An
        unconfirmed version labels answers read after it, never before: it may be older than
        the answer (see Store.version_confirmed), so the tag is weak there."""
        return [
            ("ETag", quote_etag(key[:32], weak=not self.store.version_confirmed)),
            ("Vary", "Accept"),
            ("Cache-Control", "public, max-age=60"),
        ]

    def _evaluate(
        self, op: Operation, info: QueryInfo, fmt: Format, outcome: Outcome, timeout: float
    ) -> Spool:
        """The answer's body: evaluated here, or in the sorting helper (a forked child that
        the engine's crash on some sorts takes down alone) when the query sorts."""
        if not (info.orders and self.store.evaluates_in_process and hasattr(os, "fork")):
            return self._evaluate_here(op, info, fmt, outcome, timeout)

        spool = Spool(SPOOL_BYTES)
        try:
            # The query's prefixes (a read-only mapping, which does not pickle) are not needed
            # to evaluate it.
            request = (op, replace(info, prefixes={}), fmt, timeout)
            outcome.rows, outcome.capped_by = self._sorter.run(
                request, version=self.store.version, sink=spool.write
            )
        except BaseException:
            spool.close()
            raise
        return spool

    def _sorted(
        self, request: tuple[Operation, QueryInfo, Format, float], write: Callable[[bytes], None]
    ) -> tuple[int, str | None]:
        """In the sorting helper (see :meth:`_evaluate`): evaluate, write the body."""
        op, info, fmt, timeout = request
        mine = Outcome()
        body = self._evaluate_here(op, info, fmt, mine, timeout)
        for chunk in body.chunks():
            write(chunk)
        return mine.rows, mine.capped_by

    def _version(self) -> str:
        """In the sorting helper: the data version of its copy of the store. It does not catch
        up by itself (it could pass the version its worker asks for): after a change, the
        worker forks a new helper, which has the worker's data exactly."""
        return self.store.version

    def _evaluate_here(
        self, op: Operation, info: QueryInfo, fmt: Format, outcome: Outcome, timeout: float
    ) -> Spool:
        default_graphs, named_graphs = dataset(op, info)
        # A store that can stop a query itself is told the limit, so that a query the runner
        # gives up on does not go on running there.
        limit = timeout if self.store.supports_timeout else None

        def run() -> QueryResult:
            return self.store.query(
                op.text,
                default_graph=default_graphs,
                named_graphs=named_graphs,
                base_iri=self.base_iri,
                timeout=limit,
            )

        result: QueryResult | None = run()
        if isinstance(result, ox.QuerySolutions) and fmt.kind == "results":
            # pyoxigraph's serialiser is several times faster than ours; ours is only needed
            # when the result is over the row cap, which is rare: then the query runs again.
            spool = Spool(SPOOL_BYTES)
            try:
                rows = write_solutions_natively(
                    result,
                    fmt,
                    spool,
                    max_rows=self.settings.max_rows,
                    max_bytes=self.settings.max_result_bytes,
                )
            finally:
                result = None  # dropped on this thread (see below)
            if rows is not None:
                outcome.rows = rows
                return spool
            spool.close()
            result = run()
        spool = Spool(SPOOL_BYTES)
        try:
            assert result is not None
            report = write_result(
                result,
                fmt,
                spool,  # type: ignore[arg-type]
                max_rows=self.settings.max_rows,
                max_bytes=self.settings.max_result_bytes,
            )
        finally:
            # pyoxigraph results must be dropped on the thread that made them, not later by a
            # traceback on the request thread.
            result = None
        outcome.rows, outcome.capped_by = report.rows, report.capped_by
        return spool

    def _ok(
        self,
        fmt: Format,
        headers: list[tuple[str, str]],
        body: bytes | Spool,
        outcome: Outcome,
        head: bool,
    ) -> Response:
        headers = [
            ("Content-Type", fmt.content_type),
            *headers,
            ("X-Result-Rows", str(outcome.rows)),
        ]
        if outcome.capped_by == "bytes":
            headers.append(("X-Result-Capped", f"true; max-bytes={self.settings.max_result_bytes}"))
        elif outcome.capped_by:
            headers.append(("X-Result-Capped", f"true; max-rows={self.settings.max_rows}"))
        if isinstance(body, bytes):
            headers.append(("Content-Length", str(len(body))))
            return Response(200, headers, b"" if head else body)
        headers.append(("Content-Length", str(body.size)))
        if head:
            body.close()
            return Response(200, headers, b"")
        return Response(200, headers, body.chunks())


class Spool:
    """A response body: kept in memory, moved to a temporary file past ``limit`` bytes.

    Lighter than :class:`tempfile.SpooledTemporaryFile` for the many small results (one list
    append per write), and bounded in memory for the few large ones.

    >>> spool = Spool(limit=4)
    >>> _ = spool.write(b"abc"); _ = spool.write(b"def")
    >>> spool.size, spool.getvalue(), list(spool.chunks())
    (6, b'abcdef', [b'abcdef'])
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._parts: list[bytes] = []
        self._file: BinaryIO | None = None

    def write(self, data: bytes) -> int:
        """Append bytes (the file-like interface writers and pyoxigraph use)."""
        if self._file is not None:
            self._file.write(data)
        else:
            self._parts.append(bytes(data))
            if self.size + len(data) > self.limit:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
                self._file.write(b"".join(self._parts))
                self._parts = []
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush (writers call it)."""

    def getvalue(self) -> bytes:
        """The whole body."""
        if self._file is None:
            return b"".join(self._parts)
        self._file.seek(0)
        return self._file.read()

    def chunks(self) -> Iterator[bytes]:
        """The body in chunks, then closed (for a streaming response)."""
        try:
            if self._file is None:
                yield b"".join(self._parts)
            else:
                self._file.seek(0)
                while chunk := self._file.read(CHUNK):
                    yield chunk
        finally:
            self.close()

    def close(self) -> None:
        """Free the memory or the temporary file."""
        self._parts = []
        if self._file is not None:
            self._file.close()
            self._file = None


def _request_key(version: str, op: Operation, fmt: Format, base: str | None) -> str:
    parts: list[Any] = [version, op.text, op.default_graphs, op.named_graphs, fmt.name, base]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
