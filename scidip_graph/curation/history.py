"""The history of writes: the change log as a listing, one change as a diff, an Atom feed, and
the revert of one change through the same gate and write core as every write.

No Flask. The listing reads the log's history index (:mod:`scidip_graph.store.history`), never
the changes' quads; a diff parses the one change it shows.

**Revert.** ``revert(store, N)`` writes the inverse of change N (its added quads removed, its
removed quads added back) through :func:`~scidip_graph.sparql.update.commit_change`: the
curator's graphs, the SHACL gate, the change log, where the revert is a change of its own. It
refuses (409) when a later change added or removed any of the quads change N added or removed:
undoing N would then undo part of that later change too, or fail to. Each graph's
``dct:modified`` stamp goes back to what it was before N when N's stamp is still the graph's
(so a revert of the last change restores the dataset exactly, byte for byte in its dumps);
a graph a later change stamped again is stamped with the revert's time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

import pyoxigraph as ox

from scidip_graph.errors import NotFoundError, ScidipError
from scidip_graph.ingest.views import QuadSource
from scidip_graph.namespaces import compact
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.update import (
    MODIFIED,
    Gate,
    UpdateResult,
    commit_change,
    gate,
    graph_key,
    modified_stamps,
)
from scidip_graph.store import Store
from scidip_graph.store.durable import Changeset
from scidip_graph.store.history import ChangeSummary

PAGE_SIZE = 50
MAX_PAGE = 200
DIFF_SHOWN = 2000
"""Quads a diff lists per side at most (its counts are always whole)."""
ATOM = "http://www.w3.org/2005/Atom"


class ConflictError(ScidipError):
    """A revert that a later change stands in the way of."""

    status = 409
    code = "conflict"


@dataclass(frozen=True)
class ChangesPage:
    """One page of the history, newest first, and where the next (older) page starts."""

    changes: list[ChangeSummary]
    older: int | None
    about: str | None = None


@dataclass
class GraphDiff:
    """What one change did in one graph: its quads written as N-Triples lines, sorted."""

    graph: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    added_count: int = 0
    removed_count: int = 0


@dataclass(frozen=True)
class ChangeDiff:
    """One change: its summary, and its triples added and removed, by graph."""

    change: ChangeSummary
    graphs: list[GraphDiff]


def changes_page(
    store: Store, *, before: int | None = None, limit: int = PAGE_SIZE, about: str | None = None
) -> ChangesPage:
    """A page of the history, newest first (``before``: the id the page starts below).

    >>> changes_page(sample_store).changes
    []
    """
    limit = max(1, min(limit, MAX_PAGE))
    found = store.changes(before=before, limit=limit + 1, about=about)
    older = found[limit - 1].id if len(found) > limit else None
    return ChangesPage(found[:limit], older, about)


def change_diff(store: Store, change_id: int) -> ChangeDiff:
    """One change as a diff, by graph (the default graph ``""`` first).

    Raises:
        NotFoundError: the log has no such change.
    """
    change = store.changeset(change_id)
    summary = next(iter(store.changes(before=change_id + 1, after=change_id - 1, limit=1)), None)
    if change is None or summary is None:
        raise NotFoundError(f"no change {change_id} in the change log", detail={"id": change_id})
    graphs: dict[str, GraphDiff] = {}
    for side, quads in (("added", change.added), ("removed", change.removed)):
        for q in sorted(quads, key=str):
            diff = graphs.setdefault(graph_key(q.graph_name), GraphDiff(graph_key(q.graph_name)))
            count = f"{side}_count"
            setattr(diff, count, getattr(diff, count) + 1)
            lines = getattr(diff, side)
            if len(lines) < DIFF_SHOWN:
                lines.append(str(ox.Triple(q.subject, q.predicate, q.object)) + " .")
    return ChangeDiff(summary, [graphs[g] for g in sorted(graphs)])


def change_json(change: ChangeSummary, *, link: str) -> dict[str, object]:
    """One change as the JSON listing writes it (``link``: its diff page)."""
    return {
        "id": change.id,
        "at": change.at,
        "author": change.author,
        "message": change.message,
        "added": change.added,
        "removed": change.removed,
        "graphs": [{"graph": g, "added": a, "removed": r} for g, (a, r) in change.graphs.items()],
        "href": link,
    }


def atom_feed(
    page: ChangesPage, *, feed_url: str, change_url: str, updated: str | None = None
) -> bytes:
    """The page as an Atom feed (RFC 4287): one entry per change, newest first.

    Args:
        page: the changes.
        feed_url: the feed's own absolute URL (its id and ``self`` link).
        change_url: the absolute URL of a change's diff with ``{id}`` for its number.
        updated: when the feed last changed (default: its newest entry, else now).

    >>> feed = atom_feed(ChangesPage([ChangeSummary(1, "2026-01-01T00:00:00+00:00", "ada",
    ...     "INSERT DATA {}", {"": (1, 0)})], None), feed_url="https://x.org/changes.atom",
    ...     change_url="https://x.org/changes/{id}")
    >>> ET.fromstring(feed).find(f"{{{ATOM}}}entry/{{{ATOM}}}title").text
    'Change 1 by ada: 1 added, 0 removed (default graph)'
    """
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", feed_url)
    sub(feed, "title", "scidip-graph: changes" + (f" to {page.about}" if page.about else ""))
    newest = page.changes[0].at if page.changes else None
    sub(feed, "updated", updated or newest or _now())
    sub(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    sub(feed, "generator", "scidip-graph")
    for change in page.changes:
        href = change_url.replace("{id}", str(change.id))
        entry = sub(feed, "entry")
        sub(entry, "id", href)
        sub(entry, "title", title(change))
        sub(entry, "updated", change.at)
        sub(sub(entry, "author"), "name", change.author)
        sub(entry, "link", rel="alternate", href=href, type="text/html")
        sub(entry, "summary", change.message or title(change))
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def title(change: ChangeSummary) -> str:
    """A change in one line: who, how much, where.

    >>> title(ChangeSummary(3, "", "alice", "", {"https://w3id.org/scidip/graph/x": (2, 1)}))
    'Change 3 by alice: 2 added, 1 removed (graph:x)'
    """
    where = ", ".join(graph_label(g) for g in change.graphs) or "nothing"
    counts = f"{change.added} added, {change.removed} removed"
    return f"Change {change.id} by {change.author}: {counts} ({where})"


def graph_label(graph: str) -> str:
    """A graph as a line names it: ``graph:NAME`` for the dataset's, else its IRI."""
    return compact(graph) if graph else "default graph"


def revert(
    store: Store, change_id: int, *, curator: Curator, validate: Gate = gate
) -> UpdateResult:
    """Undo one change through the write core, as a change of its own (see the module).

    Raises:
        NotFoundError: no such change.
        ConflictError: a later change touched the quads this one added or removed (409).
        UnauthorizedError: a graph outside the curator's (403).
        NotConformingError: the state it would restore breaks a shape (422).
    """
    with store.writing():
        store.refresh()
        change = store.changeset(change_id)
        if change is None:
            raise NotFoundError(
                f"no change {change_id} in the change log", detail={"id": change_id}
            )
        added = [q for q in change.added if not _stamp(q)]
        removed = [q for q in change.removed if not _stamp(q)]
        touched = set(added) | set(removed)
        for later in _later(store, change_id):
            found = store.changeset(later)
            clash = touched & {*found.added, *found.removed} if found else set()
            if clash:
                raise ConflictError(
                    f"change {later} changed {len(clash)} of the triples change {change_id} "
                    f"wrote, so it cannot be undone alone; nothing was written",
                    hint=f"Revert change {later} first (and any later one that clashes), or "
                    "write the correction as an update.",
                    detail={"id": change_id, "later": later, "example": str(min(clash, key=str))},
                )
        before = store.view()
        stamps = _restored_stamps(before, change, [graph_key(q.graph_name) for q in touched])
        return commit_change(
            store,
            before,
            removed,
            added,
            curator=curator,
            message=f"revert of change {change_id}",
            what="revert",
            validate=validate,
            stamps=stamps,
        )


def _later(store: Store, change_id: int) -> list[int]:
    """The ids of every change after ``change_id``, oldest first."""
    ids: list[int] = []
    before = None
    while True:
        page = store.changes(before=before, after=change_id, limit=MAX_PAGE)
        ids.extend(c.id for c in page)
        if len(page) < MAX_PAGE:
            return sorted(ids)
        before = page[-1].id


def _stamp(quad: ox.Quad) -> bool:
    return quad.predicate == MODIFIED and isinstance(quad.graph_name, ox.DefaultGraph)


def _restored_stamps(
    before: QuadSource, change: Changeset, graphs: Sequence[str]
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The stamps of a revert: each graph's stamp from before the change where the change's
    own stamp is still there, else a new stamp of now."""
    added: list[ox.Quad] = []
    removed: list[ox.Quad] = []
    fresh: list[str] = []
    for graph in sorted({g for g in graphs if g}):
        node = ox.NamedNode(graph)
        now = list(before.quads_for_pattern(node, MODIFIED, None, ox.DefaultGraph()))
        ours = [q for q in change.added if _stamp(q) and q.subject == node]
        # Compared by the store, not by the terms: the store keeps a date-time in its canonical
        # form ("Z"), the log as it was written ("+00:00").
        if ours and len(now) == len(ours) and all(_holds(before, q) for q in ours):
            removed.extend(ours)
            added.extend(q for q in change.removed if _stamp(q) and q.subject == node)
        else:
            fresh.append(graph)
    more_added, more_removed = modified_stamps(before, fresh, _now())
    return [*added, *more_added], [*removed, *more_removed]


def _holds(data: QuadSource, quad: ox.Quad) -> bool:
    pattern = data.quads_for_pattern(quad.subject, quad.predicate, quad.object, quad.graph_name)
    return any(True for _ in pattern)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
