"""The HTTP client of the remote store: SPARQL 1.1 Query, Update and the Graph Store Protocol.

Built on urllib3: a pool of keep-alive connections per process (one TCP handshake per worker,
not per request), timeouts on connecting and on reading, and a retry policy of its own that we
give to reads only. urllib3 rather than httpx: no dependency of its own (httpx brings six), the
same pooling, timeouts and retries, and its blocking API is all a worker's engine thread needs.

Every failure becomes a project error in the one error shape: no connection, an HTTP error or
a body that does not parse is a 502 (:class:`~scidip_graph.errors.UpstreamError`) quoting the
store's own message; a store that does not answer in time, or stopped the query at its own
limit (Virtuoso's "anytime" answers), is a 504 (:class:`~scidip_graph.errors.UpstreamTimeoutError`).

>>> client = SparqlClient(Endpoints("http://127.0.0.1:9/query"), timeout=1.0)
>>> client.endpoints.update_url, client.endpoints.display
('http://127.0.0.1:9/query', 'http://127.0.0.1:9/query')
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import urllib3
from urllib3.exceptions import HTTPError, MaxRetryError, ReadTimeoutError
from urllib3.util import Retry, Timeout, make_headers

from scidip_graph.errors import UpstreamError, UpstreamTimeoutError

CONNECT_SECONDS = 5.0
"""How long connecting to the store may take."""
MAX_MESSAGE = 1000
"""Characters of the store's own error message quoted in ours, at most."""
STORE_LIMIT = "timeout"
"""The query parameter of a store's own time limit per query, in milliseconds (Virtuoso)."""

READ_RETRIES = Retry(
    total=2,
    connect=2,
    read=0,  # a read that timed out would only time out again, twice as late
    status=2,
    status_forcelist=(502, 503, 504),
    allowed_methods=None,  # queries go by POST too: they are reads all the same
    backoff_factor=0.1,
    raise_on_status=False,
    redirect=0,
)
"""Reads (queries, graph downloads) are retried on a refused connection or a busy store."""
NO_RETRIES = Retry(total=0, connect=0, read=0, status=0, redirect=0, raise_on_status=False)
"""Writes are never retried: after a failure the caller asks the store what happened."""


@dataclass(frozen=True)
class Endpoints:
    """Where the store answers, and how to authenticate to it.

    Attributes:
        query_url: the SPARQL query endpoint.
        update_url: the SPARQL update endpoint (the query endpoint when empty).
        gsp_url: the Graph Store Protocol endpoint, or "".
        user, password: HTTP Basic credentials, or "".
        token: a bearer token, or "" (used when no user is given).
        query_parameters: extra URL parameters of every query (``timeout=30000``). A
            ``timeout`` among them is taken for the store's own time limit in milliseconds
            (Virtuoso's): a query with a shorter limit of its own sends that one instead.
    """

    query_url: str
    update_url: str = ""
    gsp_url: str = ""
    user: str = ""
    password: str = ""
    token: str = ""
    query_parameters: str = ""

    def __post_init__(self) -> None:
        if not self.update_url:
            object.__setattr__(self, "update_url", self.query_url)

    @property
    def display(self) -> str:
        """The query endpoint without credentials or query string: what logs and health show."""
        parts = urlsplit(self.query_url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass(frozen=True)
class Answer:
    """A successful answer: its body and media type (parameters stripped, lower case)."""

    body: bytes
    media_type: str


class SparqlClient:
    """Talks to one remote store over a pool of connections of this process.

    Args:
        endpoints: where the store answers.
        timeout: seconds a read may take (a query, an update, a graph download).
    """

    def __init__(self, endpoints: Endpoints, *, timeout: float) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self._headers: dict[str, str] = {"User-Agent": "scidip-graph"}
        if endpoints.user:
            self._headers.update(make_headers(basic_auth=f"{endpoints.user}:{endpoints.password}"))
        elif endpoints.token:
            self._headers["Authorization"] = f"Bearer {endpoints.token}"
        self._extra = parse_qsl(endpoints.query_parameters, keep_blank_values=True)
        self._store_limit = next(
            (int(v) for k, v in self._extra if k == STORE_LIMIT and v.isdigit()), None
        )
        self._pool: urllib3.PoolManager | None = None
        self._pid = -1

    @property
    def pool(self) -> urllib3.PoolManager:
        """This process's pool (a forked worker makes its own: sockets must not be shared)."""
        if self._pool is None or self._pid != os.getpid():
            self._pool = urllib3.PoolManager(num_pools=4, maxsize=8, block=False)
            self._pid = os.getpid()
        return self._pool

    def close(self) -> None:
        """Close this process's connections; the next request opens new ones."""
        if self._pool is not None and self._pid == os.getpid():
            self._pool.clear()
        self._pool = None

    def query(
        self,
        text: str,
        *,
        accept: str,
        dataset: Sequence[tuple[str, str]] = (),
        timeout: float | None = None,
        limit: float | None = None,
    ) -> Answer:
        """Run a query (POSTed as a form, so that long queries fit); retried where safe.

        Args:
            text: the query.
            accept: the Accept header.
            dataset: ``default-graph-uri`` / ``named-graph-uri`` parameters, as pairs.
            timeout: seconds to wait for the answer (the client's default when None).
            limit: the query's own time limit in seconds, sent as the store's ``timeout``
                parameter where the endpoint's parameters name one (never above it).
        """
        extra = self._extra
        if limit is not None and self._store_limit is not None:
            ms = str(max(1, min(self._store_limit, round(limit * 1000))))
            extra = [(k, ms if k == STORE_LIMIT else v) for k, v in extra]
        fields = [("query", text), *dataset, *extra]
        return self._send(
            self.endpoints.query_url,
            body=urlencode(fields).encode(),
            content_type="application/x-www-form-urlencoded",
            accept=accept,
            retries=READ_RETRIES,
            timeout=timeout,
        )

    def update(self, text: str) -> Answer:
        """Send one update request; never retried.

        Raises:
            UpstreamError, UpstreamTimeoutError: whether the store applied it is unknown;
                the caller asks it (its data version tells).
        """
        return self._send(
            self.endpoints.update_url,
            body=urlencode([("update", text)]).encode(),
            content_type="application/x-www-form-urlencoded",
            accept="*/*",
            retries=NO_RETRIES,
        )

    def graph(self, graph: str | None, *, accept: str) -> Answer:
        """GET one graph from the Graph Store Protocol endpoint (None: the default graph)."""
        return self._send(
            _with_graph(self.endpoints.gsp_url, graph),
            method="GET",
            accept=accept,
            retries=READ_RETRIES,
        )

    def post_graph(self, graph: str | None, body: bytes, *, content_type: str) -> Answer:
        """POST triples into one graph by the Graph Store Protocol (merged into it)."""
        return self._send(
            _with_graph(self.endpoints.gsp_url, graph),
            body=body,
            content_type=content_type,
            accept="*/*",
            retries=NO_RETRIES,
        )

    def _send(
        self,
        url: str,
        *,
        method: str = "POST",
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str,
        retries: Retry,
        timeout: float | None = None,
    ) -> Answer:
        headers = {**self._headers, "Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        seconds = self.timeout if timeout is None else timeout
        try:
            response = self.pool.request(
                method,
                url,
                body=body,
                headers=headers,
                retries=retries,
                timeout=Timeout(connect=CONNECT_SECONDS, read=seconds),
                redirect=False,
            )
        except MaxRetryError as err:
            raise _failure(err.reason or err, seconds) from None
        except HTTPError as err:
            raise _failure(err, seconds) from None
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if response.status >= 300:
            raise UpstreamError(
                f"the store answered {response.status}: {_message(response.data)}",
                hint="The store's own message is quoted; its log may say more.",
                detail={"store": self.endpoints.display, "status": response.status},
            )
        # Virtuoso answers a query stopped at its time limit with what it found so far and
        # says so only in headers: a partial answer must never pass for the whole one.
        if response.headers.get("X-SQL-State", "").upper() == "S1TAT":
            raise UpstreamTimeoutError(
                "the store stopped the query at its own time limit",
                hint="narrow the query or add a LIMIT; the whole dataset is also a dump",
                detail={"store": self.endpoints.display},
            )
        return Answer(response.data, media_type)


def _with_graph(url: str, graph: str | None) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.append(("graph", graph) if graph is not None else ("default", ""))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _failure(err: BaseException, seconds: float) -> UpstreamError:
    if isinstance(err, ReadTimeoutError | TimeoutError):
        return UpstreamTimeoutError(
            f"the store did not answer within {seconds:g} s",
            hint="narrow the query or add a LIMIT; or the store is overloaded",
            detail={"timeout": seconds},
        )
    return UpstreamError(
        f"the store cannot be reached: {_message(str(err).encode())}",
        hint="Check that the store runs and SCIDIP_STORE_QUERY_URL names it.",
    )


def _message(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + "..."
