"""Every name and identifier of the graph's resources, indexed once per data version.

What a resource may be found by (:data:`PREFERRED`, :data:`ALTERNATE`, :data:`LINKS`,
:data:`CODES`, :data:`IDENTIFIERS`): its names and labels in every language, its alternate
names and acronyms (the data writes acronyms as ``schema:alternateName``), its ISO 3166 codes,
its links to Wikidata, ROR and GeoNames (``schema:sameAs``, as ``data/identifiers.trig`` writes
them; ``skos:exactMatch`` too), its identifiers, and its own IRI. Only the graph's own
resources (IRIs under ``https://w3id.org/scidip/id/``) are candidates.

How a name scores (0-100; :func:`NameIndex.find`):

=====================================  =====
an identifier (IRI, QID, ROR, code)      100
a name or label, folded (:func:`.fold`)  100
an alternate name or acronym, folded      98
the same words in another order           95
similar (rapidfuzz's token sort ratio)   0.9 x ratio, at most 90
=====================================  =====

Similar names are only searched for when no identifier or name matches (every name of the
graph is scored then, in C++: that is most of a query's time).

A candidate *matches* (may be taken without a curator's look) when it is the only one at 95
or more: an identifier, or a name up to accents, case, punctuation and word order. Two
resources that share a name are ambiguous and neither matches.

The index is built from the store's live view in one pass per property (about a second at a
million triples), and kept by :class:`IndexCache` until the data version changes, so a batch
of queries never scans the store per query.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from scidip_graph.curation.names import (
    bag_of_folded,
    code_key,
    fold,
    identifier_keys,
    link_keys,
    sorted_words,
)
from scidip_graph.namespaces import ID, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SD, SKOS, TIME
from scidip_graph.pages.catalogue import KINDS
from scidip_graph.pages.readers import label_rank
from scidip_graph.store import Store

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""An RDF term in an object position."""

PREFERRED = (str(SCHEMA.name), str(SKOS.prefLabel), str(RDFS.label))
"""Properties of a resource's names, in the order its display name is chosen."""
ALTERNATE = (
    str(SCHEMA.alternateName),
    str(SCHEMA.legalName),
    str(SKOS.altLabel),
    str(SKOS.hiddenLabel),
)
"""Properties of other names: acronyms, former and official names."""
LINKS = (str(SCHEMA.sameAs), str(SKOS.exactMatch), str(OWL.sameAs))
"""Links to the same thing in another dataset (Wikidata, ROR, GeoNames)."""
CODES = (
    str(SD.iso3166Alpha2),
    str(SD.iso3166Alpha3),
    str(SD.iso3166Numeric),
    str(SD.userAssignedCode),
)
"""Country codes, matched as written (``CH``, ``CHE``, ``756``, ``XK``)."""
IDENTIFIERS = (str(SCHEMA.identifier), str(SCHEMA.legislationIdentifier))
"""Other identifiers, matched folded."""

HIDDEN = (str(PROV.Entity), str(ORG.Membership), str(TIME.Instant), str(TIME.Interval))
"""Classes whose instances are no candidates unless a query asks for one of them: source
documents (which often bear an organisation's name), memberships, times."""

IDENTIFIER, NAME, ALTERNATE_NAME, WORD_ORDER, SIMILAR_MAX = 100, 100, 98, 95, 90
MATCH_MIN = WORD_ORDER
"""The score from which a candidate may match: only when no other candidate reaches it."""
_SIMILAR_CUTOFF = 55.0
"""Least token sort ratio a similar name needs to be a candidate at all."""
_ID = str(ID)
_KIND = dict(KINDS)


@dataclass
class Entity:
    """A resource that can be found: its IRI, display name, classes and what it is called."""

    iri: str
    name: str = ""
    types: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    rank: tuple[int, str] = field(default=(99, ""), repr=False, compare=False)

    @property
    def kind(self) -> str:
        """What search calls it (an organisation, a country...), by its first known class."""
        return next((_KIND[t] for t in self.types if t in _KIND), "resource")


@dataclass(frozen=True)
class Candidate:
    """A resource a name may mean, with its score and whether it matches alone.

    Attributes:
        entity: the resource.
        score: 0-100.
        match: the only candidate at :data:`MATCH_MIN` or more.
        matched: the name or identifier it was found by.
        how: ``identifier``, ``name``, ``alternate name``, ``word order`` or ``similar``.
    """

    entity: Entity
    score: float
    match: bool
    matched: str
    how: str


@dataclass
class _Choices:
    """Folded names to search by similarity, and whose each is."""

    keys: list[str] = field(default_factory=list)  # words sorted (:func:`.sorted_words`)
    folded: list[str] = field(default_factory=list)  # as folded, for prefixes
    owners: list[tuple[str, str]] = field(default_factory=list)  # (iri, the name as written)


class NameIndex:
    """The names and identifiers of a store's resources, as one data version has them."""

    def __init__(self, version: str = "") -> None:
        self.version = version
        self.entities: dict[str, Entity] = {}
        self.exact: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        self.bags: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.ids: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.types: dict[str, int] = defaultdict(int)
        self._all = _Choices()
        self._by_types: dict[frozenset[str], _Choices] = {}
        self._lock = threading.Lock()

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, store: Store) -> NameIndex:
        """Read every name, link and code of the store's resources (one pass per property).

        >>> index = NameIndex.build(sample_store)
        >>> index.find("cern")[0].entity.iri
        'https://w3id.org/scidip/id/organization/cern'
        """
        index = cls(store.version)
        view = store.view()

        def objects(predicates: Iterable[str]) -> Iterable[tuple[str, str, Term]]:
            for p in predicates:
                seen: set[tuple[str, Term]] = set()
                for q in view.quads_for_pattern(None, ox.NamedNode(p), None, None):
                    s = q.subject
                    if (
                        isinstance(s, ox.NamedNode)
                        and s.value.startswith(_ID)
                        and (s.value, q.object) not in seen  # a fact stated in two graphs
                    ):
                        seen.add((s.value, q.object))
                        yield s.value, p, q.object

        for weight, predicates in ((NAME, PREFERRED), (ALTERNATE_NAME, ALTERNATE)):
            for iri, p, o in objects(predicates):
                if isinstance(o, ox.Literal):
                    index._add_name(iri, o, weight, preferred=p)
        for iri, _, o in objects(LINKS):
            if isinstance(o, ox.NamedNode):
                for key in link_keys(o.value):
                    index.ids[key].append((iri, o.value))
        for iri, _, o in objects(CODES):
            if isinstance(o, ox.Literal):
                index.ids[code_key(o.value)].append((iri, o.value))
        for iri, _, o in objects(IDENTIFIERS):
            if isinstance(o, ox.Literal):
                index.ids[f"code:{fold(o.value)}"].append((iri, o.value))
        for iri, _, o in objects([str(RDF.type)]):
            entity = index.entities.get(iri)
            if entity is not None and isinstance(o, ox.NamedNode):
                entity.types.append(o.value)
                index.types[o.value] += 1
        for iri, entity in index.entities.items():
            index.ids[f"iri:{iri}"].append((iri, iri))
            entity.types.sort(key=lambda t: (t not in _KIND, t))
        return index

    def _add_name(self, iri: str, literal: ox.Literal, weight: int, *, preferred: str) -> None:
        entity = self.entities.get(iri)
        if entity is None:
            entity = self.entities[iri] = Entity(iri)
        text = literal.value
        key = fold(text)
        if not key:
            return
        entity.names.append(text)
        rank = label_rank(preferred, literal) if weight == NAME else (99, text)
        if not entity.name or rank < entity.rank:
            entity.name, entity.rank = text, rank
        self.exact[key].append((iri, text, weight))
        self.bags[bag_of_folded(key)].append((iri, text))
        self._all.keys.append(sorted_words(key))
        self._all.folded.append(key)
        self._all.owners.append((iri, text))

    # -- finding ----------------------------------------------------------------------------

    def find(self, text: str, *, types: Sequence[str] = (), limit: int = 10) -> list[Candidate]:
        """The resources ``text`` may mean, best first (see the module's scores).

        Args:
            text: a cell: a name in any language, an acronym, a code or an identifier.
            types: class IRIs a candidate must have one of (none: any resource).
            limit: how many candidates at most.

        >>> index = NameIndex.build(sample_store)
        >>> [(c.entity.name, c.score, c.match, c.how) for c in index.find("SUISSE")]
        [('Switzerland', 100, True, 'name')]
        >>> [(c.entity.name, c.score, c.match) for c in index.find("Swizerland")]
        [('Switzerland', 85.7, False)]
        """
        wanted = frozenset(types)
        found: dict[str, tuple[float, str, str]] = {}

        def offer(iri: str, score: float, matched: str, how: str) -> None:
            entity = self.entities.get(iri)
            if entity is None or not _wanted(entity, wanted):
                return
            if iri not in found or found[iri][0] < score:
                found[iri] = (score, matched, how)

        for key in [*identifier_keys(text), f"code:{fold(text)}"]:
            for iri, written in self.ids.get(key, ()):
                offer(iri, IDENTIFIER, written, "identifier")
        key = fold(text)
        if key:
            for iri, written, weight in self.exact.get(key, ()):
                offer(iri, weight, written, "name" if weight == NAME else "alternate name")
            for iri, written in self.bags.get(bag_of_folded(key), ()):
                offer(iri, WORD_ORDER, written, "word order")
        if key and not any(score >= MATCH_MIN for score, _, _ in found.values()):
            choices = self._choices(wanted)
            for _, ratio, i in process.extract(
                sorted_words(key),
                choices.keys,
                scorer=fuzz.ratio,
                limit=max(limit * 4, 20),
                score_cutoff=_SIMILAR_CUTOFF,
            ):
                iri, written = choices.owners[i]
                offer(iri, round(min(SIMILAR_MAX, ratio * 0.9), 1), written, "similar")
        ranked = sorted(found.items(), key=lambda kv: (-kv[1][0], self.entities[kv[0]].name, kv[0]))
        sure = [iri for iri, (score, _, _) in ranked if score >= MATCH_MIN]
        return [
            Candidate(self.entities[iri], score, len(sure) == 1 and iri == sure[0], matched, how)
            for iri, (score, matched, how) in ranked[:limit]
        ]

    def prefix(self, text: str, *, types: Sequence[str] = (), limit: int = 10) -> list[Entity]:
        """Resources with a name (or a word of one) starting with ``text``, for autocomplete:
        the name itself first, then whole-name prefixes, then word prefixes, each by name.

        >>> [e.name for e in NameIndex.build(sample_store).prefix("sui")]
        ['Switzerland']
        """
        key = fold(text)
        if not key:
            return []
        wanted = frozenset(types)
        choices = self._choices(wanted)
        starts: dict[str, int] = {}
        for name, (iri, _) in zip(choices.folded, choices.owners, strict=True):
            rank = 0 if name == key else 1 if name.startswith(key) else 2
            if rank < 2 or f" {key}" in f" {name}":
                starts[iri] = min(rank, starts.get(iri, rank))
        ranked = sorted(starts, key=lambda i: (starts[i], self.entities[i].name.casefold(), i))
        return [self.entities[i] for i in ranked[:limit]]

    def _choices(self, wanted: frozenset[str]) -> _Choices:
        with self._lock:
            choices = self._by_types.get(wanted)
            if choices is None:
                choices = _Choices()
                every = self._all
                for i, owner in enumerate(every.owners):
                    if _wanted(self.entities[owner[0]], wanted):
                        choices.keys.append(every.keys[i])
                        choices.folded.append(every.folded[i])
                        choices.owners.append(owner)
                self._by_types[wanted] = choices
            return choices


def _wanted(entity: Entity, wanted: frozenset[str]) -> bool:
    """Whether a resource is a candidate for a query of these classes (none: any but
    :data:`HIDDEN`)."""
    if wanted:
        return not wanted.isdisjoint(entity.types)
    return not any(t in HIDDEN for t in entity.types)


class IndexCache:
    """The :class:`NameIndex` of a store's current data version, built once per version.

    >>> cache = IndexCache()
    >>> cache.get(sample_store) is cache.get(sample_store)
    True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: NameIndex | None = None

    def get(self, store: Store) -> NameIndex:
        """The index of the store as it is now."""
        version = store.version
        with self._lock:
            if self._index is None or self._index.version != version:
                self._index = NameIndex.build(store)
            return self._index
