"""The overview pages' data: counts per class, instances of a class, label search, the scheme.

No Flask. User text reaches a query only as a SPARQL string literal written by pyoxigraph
(``str(Literal(text))`` escapes quotes, backslashes and newlines); IRIs only as checked
:class:`pyoxigraph.NamedNode` values.

>>> store = sample_store  # tests/data/sample.trig, given to the examples by conftest.py
>>> [hit.label for hit in search(store, "cern")]
['CERN']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from scidip_graph.namespaces import ID, PREFIXES, compact, expand
from scidip_graph.pages.presentation import local_path, term_label
from scidip_graph.pages.readers import label_map, rows, values
from scidip_graph.store import Store

SCHEME = str(ID["scheme/science-diplomacy"])
"""The concept scheme of science diplomacy and its three categories."""

_S = PREFIXES["schema"]
_SD = PREFIXES["sd"]
HOME_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Examples of science diplomacy", (_SD + "Example",)),
    ("Treaties and agreements", (_SD + "Treaty",)),
    ("Organisations", (_S + "Organization",)),
    ("Countries", (_S + "Country",)),
    ("Regions and groupings", (_SD + "Region",)),
    ("People", (_S + "Person",)),
    ("Places", (_S + "Place", _S + "City", _S + "Mountain", _S + "Park")),
    ("Events", (_S + "Event",)),
    ("Memberships", (PREFIXES["org"] + "Membership",)),
    ("Concepts", (PREFIXES["skos"] + "Concept",)),
    (
        "Programmes, projects and courses",
        (
            _S + "EducationalOccupationalProgram",
            _S + "Project",
            _S + "ResearchProject",
            _S + "FundingScheme",
            _S + "Course",
            _S + "CourseInstance",
        ),
    ),
    (
        "Publications",
        (
            _S + "Report",
            _S + "Periodical",
            _S + "Article",
            _S + "CreativeWork",
            _S + "Legislation",
        ),
    ),
    ("Source documents", (PREFIXES["prov"] + "Entity",)),
    ("Documentary graphs (facts as sources state them)", (_SD + "DocumentaryGraph",)),
    ("Editorial graphs (judgements of the curators)", (_SD + "EditorialGraph",)),
)
"""The groups of classes the home page counts: (title, classes); a resource counts once. The
first class of a group is the one its link browses. Web pages are left out of the
publications: nearly all are the source documents of the case graphs, counted as sources."""

SEARCH_PROPERTIES = (
    _S + "name",
    _S + "alternateName",
    _S + "legalName",
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["skos"] + "altLabel",
)


KINDS: tuple[tuple[str, str], ...] = (
    (_SD + "Example", "example"),
    (_SD + "Treaty", "treaty"),
    (_S + "Organization", "organisation"),
    (_S + "Person", "person"),
    (_S + "Country", "country"),
    (_SD + "Region", "region"),
    (_S + "Project", "programme"),
    (_S + "ResearchProject", "programme"),
    (_S + "FundingScheme", "programme"),
    (_S + "EducationalOccupationalProgram", "programme"),
    (_S + "Event", "event"),
    (_S + "City", "city"),
    (_S + "Place", "place"),
    (_S + "Course", "course"),
    (_S + "CourseInstance", "course edition"),
    (PREFIXES["skos"] + "ConceptScheme", "concept scheme"),
    (PREFIXES["skos"] + "Concept", "concept"),
    (_S + "Taxon", "species"),
    (PREFIXES["prov"] + "Entity", "source document"),
    (_S + "Legislation", "legislation"),
    (_S + "Report", "publication"),
    (_S + "Article", "publication"),
    (_S + "Periodical", "publication"),
    (_S + "CreativeWork", "publication"),
    (PREFIXES["org"] + "Membership", "membership"),
)
"""What search calls a resource, by its classes: the first of its classes in this table (so a
source document that is also a web page is a source document); search lists the kinds in this
order among hits that match alike."""
_KIND_RANK = {iri: i for i, (iri, _) in reversed(list(enumerate(KINDS)))}


@dataclass
class ClassCount:
    """A class (or group of classes) and how many resources it has."""

    title: str
    classes: list[str]
    count: int
    href: str


@dataclass
class Hit:
    """A resource found by search or listed on a class page."""

    iri: str
    label: str
    href: str
    matched: str = ""
    kind: str = ""


@dataclass
class Category:
    """A concept of the scheme, its definition, the article's example and the examples in it."""

    iri: str
    label: str
    definition: str
    example_text: str
    examples: list[Hit] = field(default_factory=list)


def group_counts(store: Store) -> list[ClassCount]:
    """Resources per :data:`HOME_GROUPS` group, in one query."""
    pairs = " ".join(
        f"({ox.Literal(str(i))} {values([c])})"
        for i, (_, classes) in enumerate(HOME_GROUPS)
        for c in classes
    )
    query = (
        f"SELECT ?i (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES (?i ?c) {{ {pairs} }} ?s a ?c }} "
        "GROUP BY ?i"
    )
    counts = {int(r["i"].value): int(r["n"].value) for r in rows(store, query)}
    return [
        ClassCount(title, list(classes), counts.get(i, 0), "/browse/" + compact(classes[0]))
        for i, (title, classes) in enumerate(HOME_GROUPS)
    ]


def class_counts(store: Store) -> list[ClassCount]:
    """Every class used in the data with its number of instances, largest first."""
    query = (
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"
    )
    return [
        ClassCount(
            term_label(r["c"].value),
            [r["c"].value],
            int(r["n"].value),
            "/browse/" + compact(r["c"].value),
        )
        for r in rows(store, query)
        if isinstance(r["c"], ox.NamedNode)
    ]


def instances(store: Store, class_iri: str) -> list[Hit]:
    """The instances of a class, with their labels, sorted by label."""
    query = f"SELECT DISTINCT ?s WHERE {{ ?s a {values([class_iri])} }}"
    found = [r["s"].value for r in rows(store, query) if isinstance(r["s"], ox.NamedNode)]
    labels = label_map(store, found)
    hits = [Hit(i, labels.get(i, i), local_path(i) or i) for i in found]
    return sorted(hits, key=lambda h: (h.label.lower(), h.iri))


def search(store: Store, text: str, *, limit: int | None = 50) -> list[Hit]:
    """Resources whose name, alternate name or preferred label (any language) contains every
    word of ``text``, with the kind of each (:data:`KINDS`).

    Case-insensitive. Exact matches first, then names that start with the text, then names
    with a word that starts with it, then the rest; among those alike, examples, treaties,
    organisations and people before the rest (the order of :data:`KINDS`), then by label.
    ``limit=None``: every hit.

    >>> [(h.label, h.kind) for h in search(sample_store, "CERN")][:1]
    [('CERN', 'organisation')]
    """
    text = " ".join(text.split())[:200]
    words = list(dict.fromkeys(text.lower().split()))[:10]
    if not words:
        return []
    contains = " && ".join(f"CONTAINS(LCASE(STR(?l)), {ox.Literal(w)})" for w in words)
    query = f"""
SELECT ?s ?l ?t WHERE {{
  VALUES ?p {{ {values(SEARCH_PROPERTIES)} }}
  ?s ?p ?l .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), {ox.Literal(str(ID))}))
  FILTER({contains})
  OPTIONAL {{ ?s a ?t }}
}}"""
    matched: dict[str, str] = {}
    kinds: dict[str, int] = {}
    for r in rows(store, query):
        iri, label = r["s"].value, r["l"].value
        if iri not in matched or _rank(label, text) < _rank(matched[iri], text):
            matched[iri] = label
        if r["t"] is not None:
            kinds[iri] = min(kinds.get(iri, len(KINDS)), _KIND_RANK.get(r["t"].value, len(KINDS)))
    labels = label_map(store, matched)
    hits = [
        Hit(i, labels.get(i, m), local_path(i) or i, m, _kind_name(kinds.get(i)))
        for i, m in matched.items()
    ]
    hits.sort(
        key=lambda h: (
            _rank(h.matched, text),
            kinds.get(h.iri, len(KINDS)),
            h.label.lower(),
            h.iri,
        )
    )
    return hits if limit is None else hits[:limit]


def _kind_name(rank: int | None) -> str:
    return KINDS[rank][1] if rank is not None and rank < len(KINDS) else "resource"


def _rank(label: str, text: str) -> int:
    """0 the whole name, 1 its start, 2 the start of a word in it, 3 elsewhere.

    >>> [_rank(n, "ctbt") for n in ("CTBT", "CTBTO", "The CTBTO", "Comprehensive (CTBT)", "xctbt")]
    [0, 1, 2, 2, 3]
    """
    low, needle = label.lower(), text.lower()
    if low == needle:
        return 0
    if low.startswith(needle):
        return 1
    return 2 if re.search(r"(?<![^\W_])" + re.escape(needle), low) else 3


def categories(store: Store, scheme: str = SCHEME) -> list[Category]:
    """The categories of a scheme (concepts with a broader concept in it) and their examples."""
    skos = PREFIXES["skos"]
    query = f"""
SELECT ?c ?def ?ex ?e WHERE {{
  ?c <{skos}inScheme> {values([scheme])} ; <{skos}broader> ?top .
  OPTIONAL {{ ?c <{skos}definition> ?def }}
  OPTIONAL {{ ?c <{skos}example> ?ex }}
  OPTIONAL {{ ?e <{PREFIXES["sd"]}category> ?c }}
}}"""
    found = rows(store, query)
    labels = label_map(store, {r[k].value for r in found for k in ("c", "e") if r[k] is not None})
    result: dict[str, Category] = {}
    for r in found:
        iri = r["c"].value
        cat = result.setdefault(
            iri,
            Category(
                iri,
                labels.get(iri, iri),
                r["def"].value if r["def"] else "",
                r["ex"].value if r["ex"] else "",
            ),
        )
        if r["e"] is not None and all(h.iri != r["e"].value for h in cat.examples):
            e = r["e"].value
            cat.examples.append(Hit(e, labels.get(e, e), local_path(e) or e))
    for cat in result.values():
        cat.examples.sort(key=lambda h: h.label.lower())
    return sorted(result.values(), key=lambda c: c.label)


def class_iri(name: str) -> str | None:
    """The class IRI a browse path names: a CURIE (``schema:Country``) or a full IRI.

    >>> class_iri("schema:Country"), class_iri("nope:X")
    ('http://schema.org/Country', None)
    """
    if ":" not in name:
        return None
    prefix, local = name.split(":", 1)
    if prefix in PREFIXES and local and "/" not in local:
        iri = expand(name)
    elif name.startswith(("http://", "https://")):
        iri = name
    else:
        return None
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return iri
