"""Everything a page needs about one resource, computed from the store (no Flask).

:func:`resource_description` answers with a :class:`Description`: labels by language, types, the
facts grouped by meaning (:mod:`scidip_graph.pages.presentation` says which section each property
belongs to), memberships with roles and dates from ``org:Membership``, the examples a resource takes
part in grouped by category, incoming links, external identifiers, and for every fact the named
graphs that state it, each with its source documents. A handful of SPARQL queries per resource; IRIs
are checked before they go into a query (:func:`resource_iri`), never spliced raw.

The RDF of a resource (:func:`resource_quads`, the pages' machine twin) is:

- its outgoing triples, with the blank nodes they lead to closed over (membership periods and
  their instants, contact points, addresses), three levels deep;
- the incoming links: every triple whose object is the resource (the memberships naming it, the
  examples involving it...), without those subjects' own descriptions (they have their pages);

each fact in every named graph that states it (a fact of the dataset's own default graph, such
as a source document's description, has the default graph).

>>> store = sample_store  # tests/data/sample.trig, given to the examples by conftest.py
>>> d = resource_description(store, "https://w3id.org/scidip/id/organization/cern")
>>> d.label
'CERN'
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from scidip_graph.namespaces import ID, ORG, SCHEMA, SD, SKOS, TIME, XSD, compact
from scidip_graph.pages.ontology_docs import term_labels
from scidip_graph.pages.page_model import (
    Description,
    ExampleLink,
    Fact,
    Membership,
    Row,
    Section,
    Value,
)
from scidip_graph.pages.presentation import (
    RDF_TYPE,
    SECTION_TITLES,
    external_link,
    incoming_label,
    local_path,
    section_of,
    section_order,
    term_label,
)
from scidip_graph.pages.readers import graph_sources, label_map, rows, treaty_party_labels
from scidip_graph.store import Store
from scidip_graph.store.history import ChangeSummary

_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*(/[A-Za-z0-9][A-Za-z0-9._~-]*)*$")
DEFAULT_GRAPH = ""
"""How a fact of the dataset's own default graph (descriptions of the sources) is marked."""

EXAMPLE = str(SD.Example)
CATEGORY = str(SD.category)
INVOLVES = tuple(
    SD + p
    for p in (
        "involves",
        "involvesOrganization",
        "involvesCountry",
        "involvesPerson",
        "involvesPlace",
        "hostCountry",
        "participantCountry",
        "formerParticipantCountry",
        "hostOrganization",
        "participantOrganization",
        "aboutTaxon",
    )
)
SPECIFIC_INVOLVES = INVOLVES[5:10]
"""Host and participant links: each comes with a general one (sd:involvesCountry...)."""
PERSON = str(SCHEMA.Person)
MEMBERSHIP = str(ORG.Membership)
MEMBERSHIP_LINKS = (str(ORG.member), str(ORG.organization))
_NAMES = (str(SCHEMA.name), str(SKOS.prefLabel))


def resource_iri(path: str) -> str | None:
    """The IRI of the resource at local path ``/id/{path}``, or None when it cannot be one.

    >>> resource_iri("organization/cern")
    'https://w3id.org/scidip/id/organization/cern'
    >>> resource_iri("x> <y") is None, resource_iri("../etc") is None
    (True, True)
    """
    if not _PATH.match(path) or ".." in path:
        return None
    return ID + path


def resource_description(store: Store, iri: str) -> Description | None:
    """Describe a resource for its page; None when the store knows nothing about it.

    Args:
        store: the store to read.
        iri: the resource's IRI; it must be a valid IRI (see :func:`resource_iri`).
    """
    node = ox.NamedNode(iri)
    out = _closure(store, node)
    inc = _incoming(store, node)
    if not out and not inc:
        return None
    labels = label_map(store, _iris(out, inc))
    labels.update(treaty_party_labels(store, _iris(out, inc) - set(labels)))
    graphs = {g for r in out + inc for g in r["graphs"]}
    types = [_value(r["o"], labels) for r in out if r["s"] == node and r["p"].value == RDF_TYPE]
    type_iris = [t.iri for t in types if t.iri]
    facts = _facts(node, out, labels)
    names: dict[str, list[str]] = {}
    for f in facts:
        if f.predicate in _NAMES:
            names.setdefault(f.value.lang or "", []).append(f.value.text)
    own = term_labels()
    labels.update({k: v for k, v in own.items() if k not in labels})
    is_membership = MEMBERSHIP in type_iris
    memberships = (
        _memberships(store, node, labels) if is_membership or _has_memberships(inc) else []
    )
    label = labels.get(iri)
    if is_membership and memberships and not label:
        m = memberships[0]
        role = m.role.text if m.role else "member"
        label = f"{m.member.text}: {role} of {m.organization.text}"
    lead = next(
        (
            f
            for f in facts
            if section_of(f.predicate) == "about"
            and f.predicate.endswith(("description", "definition"))
            and f.value.lang in ("en", None)
        ),
        None,
    )
    sections = _sections([f for f in facts if f is not lead], type_iris, own)
    graphs |= {g for m in memberships for g in m.graphs}
    name = label or iri.rsplit("/", 1)[-1]
    examples, people, incoming = _group_incoming(inc, labels, own, name)
    sources = sorted(graph_sources(store, graphs), key=lambda s: s.number)
    return Description(
        iri=iri,
        label=name,
        labels=names,
        types=types,
        description=lead.value.text if lead else None,
        description_graphs=lead.graphs if lead else [],
        sections=sections,
        memberships=memberships,
        examples=examples,
        people=people,
        incoming=incoming,
        identifiers=[f.value for f in facts if f.value.external],
        sources=sources,
        quads=_quads(out, inc),
    )


def resource_quads(store: Store, iri: str) -> list[ox.Quad]:
    """The RDF of a resource (see the module docstring), one quad per graph stating a fact.

    >>> store = sample_store  # tests/data/sample.trig, given to the examples by conftest.py
    >>> len(resource_quads(store, "https://w3id.org/scidip/id/organization/cern")) > 0
    True
    """
    node = ox.NamedNode(iri)
    return _quads(_closure(store, node), _incoming(store, node))


# -- queries ------------------------------------------------------------------------------


def _closure(store: Store, node: ox.NamedNode) -> list[dict[str, Any]]:
    s = str(node)
    blank = "FILTER(isBlank(?x1))"
    query = f"""
SELECT ?s ?p ?o ?g WHERE {{
  {{ BIND({s} AS ?s) }}
  UNION {{ {s} ?p1 ?s . FILTER(isBlank(?s)) }}
  UNION {{ {s} ?p1 ?x1 . {blank} ?x1 ?p2 ?s . FILTER(isBlank(?s)) }}
  UNION {{ {s} ?p1 ?x1 . {blank} ?x1 ?p2 ?x2 . FILTER(isBlank(?x2))
           ?x2 ?p3 ?s . FILTER(isBlank(?s)) }}
  ?s ?p ?o .
  OPTIONAL {{ GRAPH ?g {{ ?s ?p ?o }} }}
}}"""
    return _merge_graphs(rows(store, query), ("s", "p", "o"))


def _incoming(store: Store, node: ox.NamedNode) -> list[dict[str, Any]]:
    o = str(node)
    query = f"""
SELECT ?s ?p ?g ?type ?cat WHERE {{
  ?s ?p {o} .
  OPTIONAL {{ GRAPH ?g {{ ?s ?p {o} }} }}
  OPTIONAL {{ ?s a ?type }}
  OPTIONAL {{ ?s <{CATEGORY}> ?cat }}
}}"""
    found: dict[tuple[Any, Any], dict[str, Any]] = {}
    for r in rows(store, query):
        entry = found.setdefault(
            (r["s"], r["p"]),
            {"s": r["s"], "p": r["p"], "o": node, "graphs": [], "types": [], "cats": []},
        )
        for key, value in (("graphs", _graph(r["g"])), ("types", r["type"]), ("cats", r["cat"])):
            if value is not None and value not in entry[key]:
                entry[key].append(value)
    return list(found.values())


def _memberships(store: Store, node: ox.NamedNode, labels: dict[str, str]) -> list[Membership]:
    x = str(node)
    date = f"(<{TIME.inXSDDate}>|<{TIME.inXSDgYear}>)"
    during = f"<{ORG.memberDuring}>/<{TIME}"
    query = f"""
SELECT ?m ?org ?member ?role ?start ?end ?inside ?g WHERE {{
  {{ ?m <{ORG}organization> {x} }} UNION {{ ?m <{ORG}member> {x} }} UNION {{ BIND({x} AS ?m) }}
  ?m a <{ORG}Membership> ; <{ORG}organization> ?org ; <{ORG}member> ?member .
  OPTIONAL {{ ?m <{ORG}role> ?role }}
  OPTIONAL {{ ?m {during}hasBeginning>/{date} ?start }}
  OPTIONAL {{ ?m {during}hasEnd>/{date} ?end }}
  OPTIONAL {{ ?m {during}inside>/{date} ?inside }}
  OPTIONAL {{ GRAPH ?g {{ ?m <{ORG}member> ?member }} }}
}}"""
    found = rows(store, query)
    labels.update(
        label_map(
            store,
            {
                r[k].value
                for r in found
                for k in ("org", "member", "role")
                if isinstance(r[k], ox.NamedNode)
            },
        )
    )
    result: dict[str, Membership] = {}
    for r in found:
        m = result.get(r["m"].value)
        if m is None:
            m = result[r["m"].value] = Membership(
                iri=r["m"].value,
                organization=_value(r["org"], labels),
                member=_value(r["member"], labels),
                role=_value(r["role"], labels) if r["role"] is not None else None,
                start=r["start"].value if r["start"] is not None else None,
                end=r["end"].value if r["end"] is not None else None,
                attested=r["inside"].value if r["inside"] is not None else None,
                graphs=[],
            )
        graph = _graph(r["g"])
        if graph not in m.graphs:
            m.graphs.append(graph)
    return sorted(
        result.values(),
        key=lambda m: (
            m.organization.text,
            m.role.text if m.role else "",
            m.start or m.attested or "",
            m.member.text,
        ),
    )


# -- building the page model ----------------------------------------------------------------


def _merge_graphs(found: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in found:
        entry = merged.setdefault(
            tuple(r[k] for k in keys), {k: r[k] for k in keys} | {"graphs": []}
        )
        graph = _graph(r["g"])
        if graph not in entry["graphs"]:
            entry["graphs"].append(graph)
    return list(merged.values())


def _graph(term: Any) -> str:
    return DEFAULT_GRAPH if term is None else str(term.value)


def _iris(out: list[dict[str, Any]], inc: list[dict[str, Any]]) -> set[str]:
    found = {r["o"].value for r in out if isinstance(r["o"], ox.NamedNode)}
    found |= {r["s"].value for r in out if isinstance(r["s"], ox.NamedNode)}
    for r in inc:
        found.add(r["s"].value)
        found.update(c.value for c in r["cats"])
    return found


def _value(term: Any, labels: dict[str, str]) -> Value:
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        shown = None
        if not term.language and not datatype.startswith(str(XSD)):
            shown = compact(datatype)
        return Value(term.value, lang=term.language, datatype=shown)
    if isinstance(term, ox.BlankNode):
        return Value("(details)")
    iri = term.value
    ext = external_link(iri)
    text = labels.get(iri) or (f"{ext[0]} {ext[1]}" if ext else None)
    if text is None:
        vocabulary = compact(iri) != iri and not iri.startswith(ID)
        text = term_label(iri) if vocabulary else iri
    return Value(text, iri=iri, href=local_path(iri) or iri, external=ext)


def _facts(node: ox.NamedNode, out: list[dict[str, Any]], labels: dict[str, str]) -> list[Fact]:
    by_subject: dict[Any, list[dict[str, Any]]] = {}
    for r in out:
        by_subject.setdefault(r["s"], []).append(r)

    def build(subject: Any, depth: int) -> list[Fact]:
        facts = []
        for r in sorted(by_subject.get(subject, []), key=lambda r: (r["p"].value, str(r["o"]))):
            if r["p"].value == RDF_TYPE and depth == 0:
                continue
            details = (
                build(r["o"], depth + 1) if isinstance(r["o"], ox.BlankNode) and depth < 3 else []
            )
            facts.append(Fact(r["p"].value, _value(r["o"], labels), r["graphs"], details))
        return facts

    return build(node, 0)


def _rows_of(facts: list[Fact], own: dict[str, str]) -> list[Row]:
    grouped: dict[str, list[Fact]] = {}
    for f in facts:
        grouped.setdefault(f.predicate, []).append(f)
    return [Row(p, term_label(p, own), fs) for p, fs in grouped.items()]


def _sections(facts: list[Fact], types: list[str], own: dict[str, str]) -> list[Section]:
    by_key: dict[str, list[Fact]] = {}
    for f in facts:
        by_key.setdefault(section_of(f.predicate), []).append(f)
    return [
        Section(key, SECTION_TITLES[key], _rows_of(by_key[key], own))
        for key in section_order(types)
        if key in by_key
    ]


def _has_memberships(inc: list[dict[str, Any]]) -> bool:
    return any(r["p"].value in MEMBERSHIP_LINKS for r in inc)


def _group_incoming(
    inc: list[dict[str, Any]], labels: dict[str, str], own: dict[str, str], name: str
) -> tuple[dict[str, list[ExampleLink]], list[Fact], list[Row]]:
    examples: dict[str, list[ExampleLink]] = {}
    people: list[Fact] = []
    other: list[Fact] = []
    # A graph stating "host country" also states "involves country": show the general link only
    # for the graphs that say no more (the article's involvement, beside the curators' role).
    specific = {(r["s"], g) for r in inc if r["p"].value in SPECIFIC_INVOLVES for g in r["graphs"]}
    for r in sorted(inc, key=lambda r: (labels.get(r["s"].value, r["s"].value), r["p"].value)):
        p, types = r["p"].value, [t.value for t in r["types"]]
        value = _value(r["s"], labels)
        if p in MEMBERSHIP_LINKS:
            continue  # shown in the memberships table
        if EXAMPLE in types and p in INVOLVES:
            graphs = r["graphs"]
            if p not in SPECIFIC_INVOLVES:
                graphs = [g for g in graphs if (r["s"], g) not in specific]
                if not graphs:
                    continue
            cats = sorted(labels.get(c.value, c.value) for c in r["cats"]) or ["(no category)"]
            for cat in cats:
                examples.setdefault(cat, []).append(ExampleLink(value, term_label(p, own), graphs))
        elif PERSON in types:
            people.append(Fact(p, value, r["graphs"]))
        else:
            other.append(Fact(p, value, r["graphs"]))
    rows = [
        Row(r.predicate, incoming_label(r.predicate, name, own), r.facts)
        for r in _rows_of(other, own)
    ]
    return dict(sorted(examples.items())), people, rows


def _quads(out: list[dict[str, Any]], inc: list[dict[str, Any]]) -> list[ox.Quad]:
    quads = []
    for r in out + inc:
        for g in r["graphs"]:
            graph = ox.DefaultGraph() if g == DEFAULT_GRAPH else ox.NamedNode(g)
            quads.append(ox.Quad(r["s"], r["p"], r["o"], graph))
    return quads


def last_change(store: Store, iri: str) -> ChangeSummary | None:
    """The latest write that touched the resource (its page says when, and links to its
    history); None when none has since the data was loaded.

    >>> last_change(sample_store, "https://w3id.org/scidip/id/organization/cern") is None
    True
    """
    found = store.changes(about=iri, limit=1)
    return found[0] if found else None
