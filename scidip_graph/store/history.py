"""The change log read as history: what each changeset touched, indexed when it is committed.

Each changeset's quads are kept as N-Quads text (:mod:`.durable`); reading a listing from that
text would parse every change on the page, a bulk load's million quads included. So the
commit also records, in the same SQLite transaction, per changeset:

- ``change_graphs``: each graph it changed, with the quads added and removed there;
- ``change_resources``: each resource it touched (an IRI subject, or an object under
  ``https://w3id.org/scidip/id/``: an incoming link shows on that resource's page).

A log written before these tables existed is indexed on first read (:func:`backfill`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from scidip_graph.namespaces import ID

HISTORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS change_graphs (
    changeset INTEGER NOT NULL,
    graph TEXT NOT NULL,        -- '' the default graph
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    PRIMARY KEY (changeset, graph)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS change_resources (
    resource TEXT NOT NULL,
    changeset INTEGER NOT NULL,
    PRIMARY KEY (resource, changeset)
) WITHOUT ROWID;
"""

MESSAGE_CHARS = 2000
"""Characters of a change's message (an update's text) a listing carries."""
_ID = str(ID)


@dataclass(frozen=True)
class ChangeSummary:
    """One committed change, without its quads.

    Attributes:
        id: the changeset's number in the log.
        at: when it was committed (ISO 8601, UTC).
        author: the curator who wrote it.
        message: the update's text or the upload's description (cut at
            :data:`MESSAGE_CHARS`).
        graphs: each graph changed (``""`` the default graph) -> (quads added, removed).
    """

    id: int
    at: str
    author: str
    message: str
    graphs: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def added(self) -> int:
        """Quads added in every graph."""
        return sum(a for a, _ in self.graphs.values())

    @property
    def removed(self) -> int:
        """Quads removed in every graph."""
        return sum(r for _, r in self.graphs.values())


def index_change(
    conn: sqlite3.Connection, changeset: int, added: Iterable[ox.Quad], removed: Iterable[ox.Quad]
) -> None:
    """Record what a changeset touched (inside the transaction that commits it)."""
    counts: dict[str, list[int]] = {}
    resources: set[str] = set()
    for side, quads in ((0, added), (1, removed)):
        for q in quads:
            graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            counts.setdefault(graph, [0, 0])[side] += 1
            if isinstance(q.subject, ox.NamedNode):
                resources.add(q.subject.value)
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(_ID):
                resources.add(q.object.value)
    conn.executemany(
        "INSERT OR REPLACE INTO change_graphs (changeset, graph, added, removed) "
        "VALUES (?, ?, ?, ?)",
        [(changeset, g, a, r) for g, (a, r) in counts.items()],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO change_resources (resource, changeset) VALUES (?, ?)",
        [(r, changeset) for r in resources],
    )


def unindexed(conn: sqlite3.Connection) -> list[int]:
    """Changesets that have quads but no record in ``change_graphs`` (an older log)."""
    rows = conn.execute(
        "SELECT id FROM changesets WHERE (added != '' OR removed != '') AND id NOT IN "
        "(SELECT changeset FROM change_graphs)"
    ).fetchall()
    return [int(r[0]) for r in rows]


def summaries(
    conn: sqlite3.Connection,
    *,
    before: int | None = None,
    after: int = 0,
    limit: int = 50,
    about: str | None = None,
) -> list[ChangeSummary]:
    """Changesets newest first: ids below ``before`` (None: all) and above ``after``, at most
    ``limit``, only those that touched the resource ``about`` when given."""
    where, params = ["id > ?"], [after]
    if before is not None:
        where.append("id < ?")
        params.append(before)
    if about is not None:
        where.append("id IN (SELECT changeset FROM change_resources WHERE resource = ?)")
        params.append(about)  # type: ignore[arg-type]
    rows = conn.execute(
        f"SELECT id, at, author, substr(message, 1, {MESSAGE_CHARS}) FROM changesets "
        f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    found = [ChangeSummary(r[0], r[1], r[2], r[3], {}) for r in rows]
    if found:
        ids = [c.id for c in found]
        marks = ",".join("?" * len(ids))
        by_id = {c.id: c for c in found}
        for changeset, graph, added, removed in conn.execute(
            f"SELECT changeset, graph, added, removed FROM change_graphs "
            f"WHERE changeset IN ({marks}) ORDER BY graph",
            ids,
        ):
            by_id[changeset].graphs[graph] = (added, removed)
    return found
