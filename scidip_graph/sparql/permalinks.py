"""Short, citable links to queries: the text and the data version it was shared against.

A link's id is a hash of the two (content-addressed), so sharing the same query on the same
data again costs nothing and gives the same link, and nobody can choose or guess another's id.
The links live in ``permalinks.sqlite`` in the data folder (they survive restarts, apart from
the change log so that neither touches the other's locks); a server without a data folder keeps
them in memory. Creation is anonymous and bounded: one text at most ``max_text`` characters, all
of them at most ``max_bytes`` bytes (:class:`~scidip_graph.errors.StorageFullError` beyond, and
the links already made keep working).

>>> links = Permalinks(None, max_bytes=1000, max_text=100)
>>> link, created = links.create("ASK {}", version="v1")
>>> created, links.create("ASK {}", version="v1") == (link, False), len(link.id)
(True, True, 12)
>>> links.get(link.id).text, links.get("aaaaaaaaaaaa") is None
('ASK {}', True)
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scidip_graph.errors import LimitError, StorageFullError, UsageError

__all__ = ["FILE", "Permalink", "Permalinks", "valid_id"]

FILE = "permalinks.sqlite"
"""The file in the data folder that keeps the links."""
ID_LENGTH = 12
"""Characters of an id: 60 bits of SHA-256 in lower-case base32."""
_ID = re.compile(rf"[a-z2-7]{{{ID_LENGTH}}}")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS permalink (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    version TEXT NOT NULL,
    created TEXT NOT NULL,
    bytes INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class Permalink:
    """A shared query: its id, text, the data version it was shared on, and when (UTC)."""

    id: str
    text: str
    version: str
    created: str


def valid_id(value: str) -> bool:
    """Whether ``value`` has the shape of an id (so lookups of junk never reach SQLite).

    >>> valid_id("abcdefgh2345"), valid_id("../etc/passwd")
    (True, False)
    """
    return _ID.fullmatch(value) is not None


def permalink_id(text: str, version: str) -> str:
    """The id of a text shared on a data version.

    >>> permalink_id("ASK {}", "v1") == permalink_id("ASK {}", "v1") != permalink_id("ASK {}", "v2")
    True
    """
    digest = hashlib.sha256(f"{version}\n{text}".encode()).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:ID_LENGTH]


class Permalinks:
    """The links of one server.

    Args:
        data_dir: the data folder (the links go in :data:`FILE`), or None to keep them in memory.
        max_bytes: the total size of all texts, in UTF-8 bytes.
        max_text: the longest text, in characters (the server's query length limit).
    """

    def __init__(self, data_dir: Path | None, *, max_bytes: int, max_text: int) -> None:
        self.path = None if data_dir is None else data_dir / FILE
        self.max_bytes = max_bytes
        self.max_text = max_text
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        """This process's connection (a forked worker opens its own on first use)."""
        if self._conn is None or self._pid != os.getpid():
            conn = sqlite3.connect(
                ":memory:" if self.path is None else self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=10,
            )
            if self.path is not None:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def create(self, text: str, *, version: str) -> tuple[Permalink, bool]:
        """The link of ``text`` on data ``version``, and whether it is new.

        Raises:
            UsageError: an empty text.
            LimitError: a text longer than ``max_text`` characters.
            StorageFullError: a new text that would take the texts past ``max_bytes``.
        """
        if not text.strip():
            raise UsageError("there is no query to make a link to")
        if len(text) > self.max_text:
            raise LimitError(
                f"the query is {len(text)} characters long; links are made for at most "
                f"{self.max_text}",
                detail={"length": len(text), "limit": self.max_text},
            )
        link_id = permalink_id(text, version)
        size = len(text.encode("utf-8"))
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                found = self._get(link_id)
                if found is None:
                    used = conn.execute("SELECT COALESCE(SUM(bytes), 0) FROM permalink")
                    if used.fetchone()[0] + size > self.max_bytes:
                        raise StorageFullError(
                            "the server keeps no more query links; existing links still work",
                            hint="share the query text itself, or ask the server's operator",
                            detail={"limit_bytes": self.max_bytes},
                        )
                    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                    conn.execute(
                        "INSERT INTO permalink (id, text, version, created, bytes) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (link_id, text, version, created, size),
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        if found is not None:
            if (found.text, found.version) != (text, version):  # 60 bits: never in practice
                raise RuntimeError(f"permalink id {link_id} collides")
            return found, False
        return Permalink(link_id, text, version, created), True

    def get(self, link_id: str) -> Permalink | None:
        """The link with that id, or None."""
        if not valid_id(link_id):
            return None
        with self._lock:
            return self._get(link_id)

    def _get(self, link_id: str) -> Permalink | None:
        row = self.conn.execute(
            "SELECT id, text, version, created FROM permalink WHERE id = ?", (link_id,)
        ).fetchone()
        return None if row is None else Permalink(*row)

    def close(self) -> None:
        """Close this process's connection (the next use opens a new one)."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn, self._pid = None, -1
