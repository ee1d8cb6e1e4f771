"""The overview pages' data: counts per class, instances of a class, kinds of resources, the
scheme (search by name is :mod:`scidip_graph.pages.search`).

No Flask. User text reaches a query only as a SPARQL string literal written by pyoxigraph
(``str(Literal(text))`` escapes quotes, backslashes and newlines); IRIs only as checked
:class:`pyoxigraph.NamedNode` values.

>>> store = sample_store  # tests/data/sample.trig, given to the examples by conftest.py
>>> [hit.label for hit in instances(store, "http://schema.org/Organization")][:1]
['CERN']
"""

from __future__ import annotations

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
