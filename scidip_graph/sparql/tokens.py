"""Who may write: the bearer token of a request, the curator it belongs to, the graphs that
curator may write.

Tokens come from ``SCIDIP_WRITE_TOKEN`` (one token, the curator ``admin``, every graph) and
``SCIDIP_TOKENS_FILE`` (:mod:`scidip_graph.sparql.tokens_file`: curators, their graphs, the
SHA-256 of their tokens). The decision for a write (:meth:`Tokens.decide`):

- no ``Authorization: Bearer`` header: 401 (:class:`~scidip_graph.errors.UnauthenticatedError`,
  answered with a ``WWW-Authenticate: Bearer`` challenge);
- a token that is none of this server's: 403;
- a graph outside the token's graphs: 403 naming the graph;
- else the :class:`Curator`, whose name the change log records.

The presented token's SHA-256 is compared with every known hash by
:func:`hmac.compare_digest`, all of them, so the time taken says nothing about how close a
guess came. The file is read when the server starts (a broken one stops the start, naming the
file and line) and again whenever it changes, so a removed token stops working at once; a file
broken by an edit closes writes by its tokens (503, the cause in the log) until it is fixed.

A token never appears in a log line, an error message, a metric or an exception's text: the
errors here say what was wrong with the header, never what it held.

>>> tokens = Tokens(admin_token="s3cret")
>>> tokens.decide("Bearer s3cret", ["https://w3id.org/scidip/graph/editorial"]).name
'admin'
>>> tokens.decide("Basic czNjcmV0", [])
Traceback (most recent call last):
...
scidip_graph.errors.UnauthenticatedError: writes need a bearer token, and the ...
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scidip_graph.errors import (
    ScidipError,
    UnauthenticatedError,
    UnauthorizedError,
    UnavailableError,
)
from scidip_graph.settings import Settings
from scidip_graph.sparql.tokens_file import (
    ADMIN,
    EVERY_GRAPH,
    TokenEntry,
    graph_label,
    graph_list,
    read_tokens_file,
    token_digest,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Curator:
    """Someone who may write, and where.

    Attributes:
        name: who, as the change log records it.
        graphs: the graph IRIs the curator may write (``""`` the default graph, ``"*"``
            every graph).

    >>> alice = Curator("alice", frozenset({"https://w3id.org/scidip/graph/editorial"}))
    >>> alice.authorize(["https://w3id.org/scidip/graph/editorial"])
    >>> alice.authorize(["https://w3id.org/scidip/graph/cern-member-states"])
    Traceback (most recent call last):
    ...
    scidip_graph.errors.UnauthorizedError: curator alice may not write graph:cern-member-states
    """

    name: str
    graphs: frozenset[str]

    def may_write(self, graph: str) -> bool:
        """Whether the curator may write ``graph`` (an IRI, ``""`` for the default graph);
        a grant ending in ``*`` covers every graph whose IRI starts with the rest.

        >>> import_only = Curator("ada", frozenset({"https://w3id.org/scidip/graph/import-*"}))
        >>> import_only.may_write("https://w3id.org/scidip/graph/import-20261201-ab12cd34")
        True
        >>> import_only.may_write("https://w3id.org/scidip/graph/editorial")
        False
        """
        if EVERY_GRAPH in self.graphs or graph in self.graphs:
            return True
        return bool(graph) and any(
            g.endswith("*") and graph.startswith(g[:-1]) for g in self.graphs
        )

    def authorize(self, graphs: Iterable[str]) -> None:
        """Refuse a write that touches a graph outside the curator's.

        Args:
            graphs: every graph the write adds to or removes from (``""`` the default graph).

        Raises:
            UnauthorizedError: naming the first graph outside (in sorted order).
        """
        for graph in sorted(set(graphs)):
            if not self.may_write(graph):
                raise UnauthorizedError(
                    f"curator {self.name} may not write {graph_label(graph)}",
                    hint=f"This token may write {graph_list(self.graphs)}.",
                    detail={"curator": self.name, "graph": graph},
                )


ADMIN_CURATOR = Curator(ADMIN, frozenset({EVERY_GRAPH}))
"""The curator of ``SCIDIP_WRITE_TOKEN``."""


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header.

    Raises:
        UnauthenticatedError: no header, another scheme, or nothing after ``Bearer``. The
            message never quotes the header: its "scheme" may be a token sent without one.

    >>> bearer_token("bearer  abc ")
    'abc'
    """
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        where = "the Authorization header holds none" if scheme else "the request has none"
        raise UnauthenticatedError(
            f"writes need a bearer token, and {where}",
            hint="Send 'Authorization: Bearer <token>': the word Bearer, a space, the token.",
        )
    return credentials.strip()


class Tokens:
    """The tokens a server accepts.

    Args:
        admin_token: the token of ``admin``, who may write every graph ("" for none).
        path: the tokens file, if any: read now, and again whenever it changes.

    Raises:
        DataSyntaxError: the tokens file is malformed (file, line and column).
        UsageError: the tokens file cannot be read.
    """

    def __init__(self, *, admin_token: str = "", path: str | Path | None = None) -> None:
        self._admin = token_digest(admin_token) if admin_token else None
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._entries: tuple[TokenEntry, ...] = ()
        self._stamp: tuple[int, int, int] | None = None
        self._broken = False
        if self.path is not None:
            with contextlib.suppress(OSError):  # read_tokens_file says what is wrong
                self._stamp = _stamp(self.path)
            self._entries = read_tokens_file(self.path)

    @classmethod
    def from_settings(cls, settings: Settings) -> Tokens:
        """The tokens of ``SCIDIP_WRITE_TOKEN`` and ``SCIDIP_TOKENS_FILE``."""
        return cls(admin_token=settings.write_token, path=settings.tokens_file or None)

    @property
    def configured(self) -> bool:
        """Whether any token may write; if not, the server is read-only."""
        return self._admin is not None or self.path is not None

    def authenticate(self, authorization: str | None) -> Curator:
        """The curator whose token the ``Authorization`` header carries.

        Raises:
            UnauthenticatedError: no bearer token (401).
            UnauthorizedError: a token that is not one of this server's (403).
            UnavailableError: the tokens file changed and cannot be read (503; the cause is
                logged).
        """
        return self.authenticate_digest(token_digest(bearer_token(authorization)))

    def authenticate_digest(self, digest: bytes) -> Curator:
        """The curator of the token whose SHA-256 is ``digest`` (a signed-in session keeps
        that, never the token), decided as :meth:`authenticate` decides.

        Raises:
            UnauthorizedError: no token of this server has that digest (403).
            UnavailableError: the tokens file cannot be read (503).
        """
        if self._admin is not None and hmac.compare_digest(digest, self._admin):
            return ADMIN_CURATOR
        found: TokenEntry | None = None
        for entry in self._current():
            if hmac.compare_digest(bytes.fromhex(entry.sha256), digest):
                found = entry  # and on: every hash is compared, matched or not
        if found is None:
            raise UnauthorizedError(
                "the bearer token is not one of this server's write tokens",
                hint="Check the token; the server's operator makes them with "
                "'scidip-graph token add'.",
            )
        return Curator(found.curator, found.graphs)

    def decide(self, authorization: str | None, graphs: Iterable[str]) -> Curator:
        """Who is writing, if the ``Authorization`` header allows a write to ``graphs``.

        Args:
            authorization: the request's ``Authorization`` header, if any.
            graphs: every graph the write touches (``""`` the default graph).

        Raises:
            UnauthenticatedError: no bearer token (401).
            UnauthorizedError: an unknown token, or a graph outside the token's (403).
            UnavailableError: the tokens file cannot be read (503).
        """
        curator = self.authenticate(authorization)
        curator.authorize(graphs)
        return curator

    def _current(self) -> tuple[TokenEntry, ...]:
        if self.path is None:
            return ()
        with self._lock:
            try:
                stamp = _stamp(self.path)
                if stamp != self._stamp:
                    self._stamp, self._broken = stamp, True
                    self._entries = read_tokens_file(self.path)
                    self._broken = False
            except (ScidipError, OSError) as err:
                reason = err.message if isinstance(err, ScidipError) else str(err)
                log.error("writes by the tokens of %s are refused: %s", self.path, reason)
                self._broken = True
            if self._broken:
                raise UnavailableError(
                    "writes are closed: the server cannot read its tokens file",
                    hint="The server's log says why; its operator can fix the file.",
                )
            return self._entries


def _stamp(path: Path) -> tuple[int, int, int]:
    # A new inode (the command line replaces the file), a new time or size: read it again.
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size
