"""Search by name: every name of the graph's resources, read once per data version, ranked.

No Flask. :class:`NameIndex` holds each name, alternate name and label (any language) of the
resources under ``https://w3id.org/scidip/id/``, lower-cased in one string, with each resource's
display label and kind (:data:`~scidip_graph.pages.catalogue.KINDS`). A search finds the names
that contain every word of the text with ``str.find`` on that string, then ranks the hits
(:func:`rank`): no query reaches the store, so a search costs the same whatever the words.
Reading the index takes two queries over the names and the types (about a second at a million
triples); :class:`NameIndexCache` keeps it until the data version changes.

>>> [(h.label, h.kind) for h in search(sample_store, "cern")]
[('CERN', 'organisation')]
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox

from scidip_graph.namespaces import ID
from scidip_graph.pages.catalogue import KINDS, SEARCH_PROPERTIES, Hit
from scidip_graph.pages.presentation import local_path
from scidip_graph.pages.readers import LABEL_PROPERTIES, label_rank, values
from scidip_graph.store import Store

_KIND_RANK = {iri: i for i, (iri, _) in reversed(list(enumerate(KINDS)))}
_MAX_WORDS = 10
_MAX_TEXT = 200


class NameIndex:
    """The names of the graph's resources, ready to search (see the module docstring)."""

    def __init__(self, names: list[tuple[str, str]], labels: dict[str, str], kinds: dict[str, int]):
        """``names``: (IRI, name) pairs; ``labels``: each IRI's display label; ``kinds``: the
        rank in :data:`KINDS` of each IRI's kind."""
        names = sorted(set(names))
        self._iris = [iri for iri, _ in names]
        self._names = [name for _, name in names]
        lowered = [name.lower().replace("\n", " ") for name in self._names]
        self._starts = []
        at = 0
        for low in lowered:
            self._starts.append(at)
            at += len(low) + 1
        self._blob = "\n".join(lowered)
        self._labels = labels
        self._kinds = kinds

    @classmethod
    def read(cls, store: Store) -> NameIndex:
        """Read every name, label and type of the resources in the graph's URI space."""
        props = sorted(set(SEARCH_PROPERTIES) | set(LABEL_PROPERTIES))
        mine = f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {ox.Literal(str(ID))}))"
        query = f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {values(props)} }} ?s ?p ?l {mine} }}"
        names: list[tuple[str, str]] = []
        best: dict[str, tuple[int, str]] = {}
        searched, labelled = set(SEARCH_PROPERTIES), set(LABEL_PROPERTIES)
        for s, p, literal in store.select(query):  # by position: rows() builds a dict a row
            if not isinstance(literal, ox.Literal):
                continue
            iri, prop = s.value, p.value
            if prop in searched:
                names.append((iri, literal.value))
            if prop in labelled:
                ranked = label_rank(prop, literal)
                if iri not in best or ranked < best[iri]:
                    best[iri] = ranked
        kinds: dict[str, int] = {}
        classes = values(_KIND_RANK)
        query = f"SELECT ?s ?t WHERE {{ VALUES ?t {{ {classes} }} ?s a ?t {mine} }}"
        for s, t in store.select(query):
            rank = _KIND_RANK[t.value]
            iri = s.value
            kinds[iri] = min(kinds.get(iri, rank), rank)
        return cls(names, {iri: label for iri, (_, label) in best.items()}, kinds)

    def __len__(self) -> int:
        return len(self._names)

    def search(self, text: str, *, limit: int | None = 50) -> list[Hit]:
        """Resources whose name, alternate name or preferred label (any language) contains
        every word of ``text``, with the kind of each (:data:`KINDS`).

        Case-insensitive. Exact matches first, then names that start with the text, then names
        with a word that starts with it, then the rest (:func:`rank`); among those alike,
        examples, treaties, organisations and people before the rest (the order of
        :data:`KINDS`), then by label. ``limit=None``: every hit.
        """
        text = " ".join(text.split())[:_MAX_TEXT]
        words = sorted(dict.fromkeys(text.lower().split()), key=len, reverse=True)[:_MAX_WORDS]
        if not words:
            return []
        first, rest = words[0], words[1:]
        matched: dict[str, str] = {}
        seen: set[int] = set()
        at = self._blob.find(first)
        while at >= 0:
            i = bisect_right(self._starts, at) - 1
            if i not in seen:
                seen.add(i)
                end = self._starts[i + 1] - 1 if i + 1 < len(self._starts) else len(self._blob)
                low = self._blob[self._starts[i] : end]
                if all(w in low for w in rest):
                    iri, name = self._iris[i], self._names[i]
                    if iri not in matched or rank(name, text) < rank(matched[iri], text):
                        matched[iri] = name
            at = self._blob.find(first, at + 1)
        none = len(KINDS)
        hits = [
            Hit(
                iri,
                self._labels.get(iri, name),
                local_path(iri) or iri,
                name,
                kind_name(self._kinds.get(iri)),
            )
            for iri, name in matched.items()
        ]
        hits.sort(
            key=lambda h: (
                rank(h.matched, text),
                self._kinds.get(h.iri, none),
                h.label.lower(),
                h.iri,
            )
        )
        return hits if limit is None else hits[:limit]


class NameIndexCache:
    """The :class:`NameIndex` of a store, read once per data version.

    >>> cache = NameIndexCache()
    >>> cache.get(sample_store) is cache.get(sample_store)
    True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = ""
        self._index: NameIndex | None = None

    def get(self, store: Store) -> NameIndex:
        """The index of the store's current version."""
        version = store.version
        with self._lock:
            if self._index is None or version != self._version:
                self._version, self._index = version, NameIndex.read(store)
            return self._index


def search(store: Store, text: str, *, limit: int | None = 50) -> list[Hit]:
    """:meth:`NameIndex.search` on an index read for this one search (a page that searches
    often keeps one in a :class:`NameIndexCache`)."""
    return NameIndex.read(store).search(text, limit=limit)


@dataclass
class KindCount:
    """A kind among the hits of a search, how many, and the link that adds or removes it as a
    filter (the other filters and the text kept)."""

    kind: str
    count: int
    href: str
    selected: bool = False


def kind_filters(hits: list[Hit], text: str, chosen: list[str]) -> list[KindCount]:
    """The kinds of ``hits`` (all of them, before any kind filter), in the order of
    :data:`KINDS`, with links for the search page; ``chosen``: the kinds it filters on.

    >>> hits = [Hit("a", "A", "/id/a", kind="person"), Hit("b", "B", "/id/b", kind="example")]
    >>> [(k.kind, k.count, k.href) for k in kind_filters(hits, "x", [])]
    [('example', 1, '/search?q=x&kind=example'), ('person', 1, '/search?q=x&kind=person')]
    """
    order = [*dict.fromkeys(name for _, name in KINDS), "resource"]
    counts: dict[str, int] = {}
    for h in hits:
        counts[h.kind] = counts.get(h.kind, 0) + 1
    for kind in chosen:
        counts.setdefault(kind, 0)
    result = []
    for kind in sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k)):
        picked = [k for k in chosen if k != kind] if kind in chosen else [*chosen, kind]
        href = "/search?" + urlencode([("q", text), *(("kind", k) for k in picked)])
        result.append(KindCount(kind, counts[kind], href, kind in chosen))
    return result


def kind_name(rank: int | None) -> str:
    """The kind of a resource from the rank of its kind in :data:`KINDS`, else ``resource``."""
    return KINDS[rank][1] if rank is not None and rank < len(KINDS) else "resource"


def rank(label: str, text: str) -> int:
    """0 the whole name, 1 its start, 2 the start of a word in it, 3 elsewhere.

    >>> [rank(n, "ctbt") for n in ("CTBT", "CTBTO", "The CTBTO", "Comprehensive (CTBT)", "xctbt")]
    [0, 1, 2, 2, 3]
    """
    low, needle = label.lower(), text.lower()
    if low == needle:
        return 0
    if low.startswith(needle):
        return 1
    return 2 if re.search(r"(?<![^\W_])" + re.escape(needle), low) else 3
