"""The SHACL gate: an incremental check gives exactly what a full pyshacl validation gives.

The property test draws random changes to the bundled data (triples removed, triples moved to
other nodes, wrong datatypes, wrong or missing classes, dangling links, removed names, bad
country codes, new examples with and without mistakes, blank-node structures cut short) and
checks, on each change and on its reverse:

- the gate's results are the full validation's results about the nodes in scope;
- every result about a node out of scope is the same before and after the change.

Results are compared as (focus, path, value, severity, shape, message, constraint) with the
terms as they are (blank nodes by their labels), read from the report graphs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import NamespaceManager

from scidip_graph.ingest.gate import BULK, BULK_SHARE, change_scope, check_change
from scidip_graph.ingest.loading import load_sources, parse_bytes, quads_to_rdflib, to_rdflib
from scidip_graph.ingest.validation import ValidationReport, validate
from scidip_graph.namespaces import (
    GRAPH,
    ID,
    ORG,
    PREFIXES,
    RDF,
    SCHEMA,
    SD,
    SH,
    SHAPE_PREFIXES,
    XSD,
    prefix_declarations,
)
from scidip_graph.rdf.notation import render_path
from scidip_graph.resources import DATA_DIR

Key = tuple[str, str, str, str, str, str, str]

N = ox.NamedNode
EDITORIAL = N(str(GRAPH.editorial))
TYPE = N(str(RDF.type))
XSD_NS = str(XSD)

NEW_EXAMPLE = (
    prefix_declarations(PREFIXES)
    + """
id:example\\/new a sd:Example ;
    schema:name "A new joint observatory"@en , "Un nouvel observatoire commun"@fr ;
    schema:description "CERN and SESAME scientists build a joint observatory in Jordan."@en ;
    sd:outcome "A shared instrument."@en ;
    sd:primaryCategory id:concept\\/science-for-diplomacy ;
    sd:category id:concept\\/science-for-diplomacy , id:concept\\/diplomacy-for-science ;
    sd:involvesOrganization id:organization\\/cern , id:organization\\/sesame ;
    sd:involvesCountry id:country\\/CH , id:country\\/JO , id:country\\/CY ;
    sd:involvesPlace id:place\\/geneva ;
    schema:startDate "2024"^^xsd:gYear ;
    dct:source id:source\\/twas-article .

id:membership\\/new-jo-cern a org:Membership ;
    org:member id:country\\/JO ;
    org:organization id:organization\\/cern ;
    org:role id:role\\/observer ;
    org:memberDuring [ a time:Interval ;
        time:hasBeginning [ a time:Instant ; time:inXSDDate "2024-01-01"^^xsd:date ] ] .
"""
)


@cache
def bundled() -> list[ox.Quad]:
    """The bundled data the gate is tested on: without the case files (data/cases/), and with
    the generated countries and regions cut down to the countries the other graphs name.

    The property test validates it whole, twice an example: that stays a few seconds as the
    data grows (the gate's own cost does not depend on it; bench/bench_gate.py measures it on
    big data). The countries left out are nodes no other graph reaches.
    """
    quads = load_sources(sorted(DATA_DIR.glob("*.trig"))).quads
    generated = {N(str(GRAPH.iso3166)), N(str(GRAPH.regions))}
    country = str(ID["country/"])
    named = {
        term
        for q in quads
        if q.graph_name not in generated
        for term in (q.subject, q.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(country)
    }
    member = N(str(ORG.member))
    unnamed = {
        q.subject.value
        for q in quads
        if q.graph_name in generated and q.predicate == member and q.object not in named
    }

    def kept(q: ox.Quad) -> bool:
        if q.graph_name not in generated:
            return True
        terms = (q.subject, q.object)
        if any(
            isinstance(t, ox.NamedNode) and t.value.startswith(country) and t not in named
            for t in terms
        ):
            return False
        return q.subject.value.split("/period")[0].split("/beginning")[0] not in unnamed

    return [q for q in quads if kept(q)]


@cache
def bundled_results() -> frozenset[Key]:
    return frozenset(keys(validate(quads_to_rdflib(bundled()))))


def new_example() -> list[ox.Quad]:
    triples = parse_bytes(NEW_EXAMPLE.encode(), format="turtle", bnode_prefix="gate-new")
    return [ox.Quad(q.subject, q.predicate, q.object, EDITORIAL) for q in triples]


def store_of(quads: Iterable[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


@cache
def _names() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in SHAPE_PREFIXES.items():
        names.bind(prefix, iri)
    return names


def keys(report: ValidationReport) -> set[Key]:
    """Each result of the report graph, its terms as they are."""
    g = report.graph
    out = set()
    for r in g.subjects(RDF.type, SH.ValidationResult):
        path = g.value(r, SH.resultPath)
        value = g.value(r, SH.value)
        out.add(
            (
                g.value(r, SH.focusNode).n3(),  # type: ignore[union-attr]
                render_path(g, path, _names()) if path is not None else "",
                value.n3() if value is not None else "",
                str(g.value(r, SH.resultSeverity)),
                str(g.value(r, SH.sourceShape)),
                " ".join(sorted(str(m) for m in g.objects(r, SH.resultMessage))),
                str(g.value(r, SH.sourceConstraintComponent)),
            )
        )
    return out


def apply(before: list[ox.Quad], added: list, removed: list) -> list[ox.Quad]:
    """The quads after a change: a removed triple leaves every graph."""
    triples = {(t.subject, t.predicate, t.object) for t in removed if isinstance(t, ox.Triple)}
    quads = {q for q in removed if isinstance(q, ox.Quad)}
    kept = [
        q for q in before if q not in quads and (q.subject, q.predicate, q.object) not in triples
    ]
    return list(dict.fromkeys(kept + added))


def assert_gate_agrees(
    before: list[ox.Quad], added: list, removed: list, full_before: frozenset[Key]
) -> frozenset[Key]:
    """Check the gate on a change; returns the full results after it."""
    after = apply(before, added, removed)
    full_after = keys(validate(quads_to_rdflib(after)))
    store = store_of(before)
    scope = change_scope(store, added=added, removed=removed)
    gate = keys(check_change(store, added=added, removed=removed))
    if scope.focus_nodes is None:
        assert gate == full_after, scope.reason
        return frozenset(full_after)
    inside = {n.n3() for n in scope.focus_nodes}
    assert gate == {k for k in full_after if k[0] in inside}
    assert {k for k in full_after if k[0] not in inside} == {
        k for k in full_before if k[0] not in inside
    }
    return frozenset(full_after)


# -- the changes the property test draws -------------------------------------------------------


def _literal(value: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=N(XSD_NS + datatype)) if datatype else ox.Literal(value)


@st.composite
def edits(draw: st.DrawFn) -> tuple[list, list]:
    """One plausible edit, or mistake: (added, removed)."""
    data = bundled()
    pick = lambda xs: draw(st.sampled_from(xs))  # noqa: E731
    kind = draw(st.integers(0, 10))
    if kind == 0:  # triples removed, from one graph or from all
        q = pick(data)
        return [], [q if draw(st.booleans()) else ox.Triple(q.subject, q.predicate, q.object)]
    if kind == 1:  # a triple of the data given to another node
        q, other = pick(data), pick(data)
        return [ox.Quad(other.subject, q.predicate, q.object, EDITORIAL)], []
    if kind == 2:  # a literal with the wrong datatype or language
        q = pick([q for q in data if isinstance(q.object, ox.Literal)])
        wrong = pick(
            [
                _literal(q.object.value),
                _literal(q.object.value, "integer"),
                _literal(q.object.value, "gYear"),
                _literal(q.object.value, "date"),
                _literal(q.object.value, language="fr"),
                _literal("-3", "integer"),
                _literal("12x", "integer"),
            ]
        )
        return [ox.Quad(q.subject, q.predicate, wrong, q.graph_name)], [q]
    if kind == 3:  # a class added or taken away
        typed = [q for q in data if q.predicate == TYPE]
        q = pick(typed)
        if draw(st.booleans()):
            return [], [q]
        cls = pick(sorted({t.object for t in typed}, key=str))
        return [ox.Quad(pick(data).subject, TYPE, cls, EDITORIAL)], []
    if kind == 4:  # a dangling link
        q = pick([q for q in data if isinstance(q.object, ox.NamedNode) and q.predicate != TYPE])
        ghost = N(str(ID[f"organization/ghost-{draw(st.integers(0, 3))}"]))
        return [ox.Quad(q.subject, q.predicate, ghost, EDITORIAL)], []
    if kind == 5:  # a name or label removed
        names = {str(SCHEMA.name), "http://www.w3.org/2004/02/skos/core#prefLabel"}
        q = pick([q for q in data if q.predicate.value in names])
        return [], [ox.Triple(q.subject, q.predicate, q.object)]
    if kind == 6:  # a country code changed, or a new country
        codes = [q for q in data if q.predicate.value.startswith(str(SD.iso3166))]
        q = pick(codes)
        code = pick(["XX", "ch", "CHE", "1", q.object.value.lower(), "FR"])
        if draw(st.booleans()):
            return [ox.Quad(q.subject, q.predicate, ox.Literal(code), q.graph_name)], [q]
        country = N(str(ID[f"country/{pick(['ZZ', 'FR', 'fr', 'CSHH', 'XYZ'])}"]))
        quads = [ox.Quad(country, TYPE, N(str(SCHEMA.Country)), EDITORIAL)]
        if draw(st.booleans()):
            quads.append(ox.Quad(country, N(str(SD.iso3166Alpha2)), ox.Literal(code), EDITORIAL))
        return quads, []
    if kind == 7:  # a new example, whole or with some of its triples left out
        quads = new_example()
        left_out = draw(st.sets(st.integers(0, len(quads) - 1), max_size=4))
        return [q for i, q in enumerate(quads) if i not in left_out], []
    if kind == 8:  # a blank node's triple removed: intervals, instants
        q = pick([q for q in data if isinstance(q.subject, ox.BlankNode)])
        return [], [q]
    if kind == 9:  # a link added between two existing nodes
        q = pick([q for q in data if isinstance(q.object, ox.NamedNode) and q.predicate != TYPE])
        target = pick([q.subject for q in data if isinstance(q.subject, ox.NamedNode)])
        return [ox.Quad(pick(data).subject, q.predicate, target, q.graph_name)], []
    # a node's triples all removed
    subject = pick(data).subject
    return [], [q for q in data if q.subject == subject]


@st.composite
def changes(draw: st.DrawFn) -> tuple[list, list]:
    added: list = []
    removed: list = []
    for a, r in draw(st.lists(edits(), min_size=1, max_size=4)):
        added += a
        removed += r
    return added, removed


@settings(
    max_examples=int(os.environ.get("SCIDIP_GATE_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(changes())
def test_the_gate_agrees_with_a_full_validation(change: tuple[list, list]) -> None:
    added, removed = change
    before = bundled()
    full_after = assert_gate_agrees(before, added, removed, bundled_results())
    # The way back, from the state after the change, costs no second full validation.
    after = apply(before, added, removed)
    back_added = sorted(set(before) - set(after), key=str)
    back_removed = sorted(set(after) - set(before), key=str)
    back = apply(after, back_added, back_removed)
    assert set(back) == set(before)
    store = store_of(after)
    scope = change_scope(store, added=back_added, removed=back_removed)
    gate = keys(check_change(store, added=back_added, removed=back_removed))
    if scope.focus_nodes is None:
        assert gate == bundled_results()
    else:
        inside = {n.n3() for n in scope.focus_nodes}
        assert gate == {k for k in bundled_results() if k[0] in inside}
        assert {k for k in bundled_results() if k[0] not in inside} == {
            k for k in full_after if k[0] not in inside
        }


# -- targeted cases ----------------------------------------------------------------------------


def test_a_valid_new_example_passes_and_is_all_that_is_checked() -> None:
    store = store_of(bundled())
    added = new_example()
    report = check_change(store, added=added)
    assert report.conforms, report.text()
    assert report.results == []
    scope = change_scope(store, added=added)
    assert scope.focus_nodes is not None
    iris = {str(n) for n in scope.focus_nodes if not isinstance(n, BNode)}
    # The example and the membership, and the categories and source it points at (still
    # targets, unchanged); never CERN, SESAME or the countries it merely links to.
    assert str(ID["example/new"]) in iris and str(ID["membership/new-jo-cern"]) in iris
    assert not iris & {str(ID["organization/cern"]), str(ID["country/CH"])}
    assert len(scope.focus_nodes) <= 10


def test_an_invalid_example_gives_exactly_its_violations() -> None:
    example = N(str(ID["example/new"]))
    drop = {str(SD.category), str(SCHEMA.description)}
    added = [q for q in new_example() if not (q.subject == example and q.predicate.value in drop)]
    added += [
        ox.Quad(example, N(str(SCHEMA.startDate)), _literal("2024-03", "dateTime"), EDITORIAL),
        ox.Quad(example, N(str(SD.involvesCountry)), N(str(ID["country/ZZ"])), EDITORIAL),
    ]
    report = check_change(store_of(bundled()), added=added)
    assert not report.conforms
    found = {(r.focus_node, r.source_shape, r.value) for r in report.results}
    eid = str(ID["example/new"])
    assert found == {
        (eid, "shape:Example-category", None),
        (eid, "shape:Example-description", None),
        (eid, "shape:StartDate", '"2024-03"^^xsd:dateTime'),
        (eid, "shape:StartDate", None),  # two start dates now: sh:maxCount 1
        (eid, "shape:Example-involvesCountry", f"<{ID['country/ZZ']}>"),
    }
    assert all(r.severity == "Violation" for r in report.results)
    assert keys(report) == {
        k for k in keys(validate(quads_to_rdflib(bundled() + added))) if k[0] == f"<{eid}>"
    }


def test_warnings_are_reported_but_do_not_block() -> None:
    org = N(str(ID["organization/new-academy"]))
    added = [
        ox.Quad(org, TYPE, N(str(SCHEMA.Organization)), EDITORIAL),
        ox.Quad(org, N(str(SCHEMA.name)), _literal("New Academy", language="en"), EDITORIAL),
    ]
    report = check_change(store_of(bundled()), added=added)
    assert report.conforms
    assert [(r.severity, r.source_shape) for r in report.results] == [
        ("Warning", "shape:Organization-wikidata")
    ]


def test_a_removal_that_breaks_a_membership_two_steps_up() -> None:
    # The date of a membership's beginning: the membership is in scope, via its interval.
    data = bundled()
    date = next(
        q
        for q in data
        if q.predicate.value.endswith("#inXSDDate")
        and q.graph_name == N(str(GRAPH["cern-member-states"]))
    )
    report = check_change(store_of(data), removed=[date])
    shapes = {r.source_shape for r in report.violations()}
    assert {"shape:MembershipStartShape", "shape:InstantShape"} <= shapes
    assert any(r.focus_node.startswith(str(ID["membership/"])) for r in report.results)


def test_a_triple_another_graph_still_states_stays() -> None:
    cern = N(str(ID["organization/cern"]))
    name = next(q for q in bundled() if q.subject == cern and q.predicate.value == str(SCHEMA.name))
    copy = ox.Quad(name.subject, name.predicate, name.object, EDITORIAL)
    store = store_of([*bundled(), copy])
    report = check_change(store, removed=[name])
    assert report.results == []
    assert change_scope(store, removed=[name]).focus_nodes == frozenset()
    # Removed as a triple, it leaves every graph.
    report = check_change(store, removed=[ox.Triple(name.subject, name.predicate, name.object)])
    assert [r.source_shape for r in report.violations()] == ["shape:EnglishName"]


def test_rdflib_data_and_triples_work_as_well() -> None:
    ds = quads_to_rdflib(bundled())
    added = [tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object)) for q in new_example()]
    assert check_change(ds, added=added).conforms
    person = to_rdflib(N(str(ID["person/nobody"])))
    report = check_change(ds, added=[(person, RDF.type, SCHEMA.Person)])
    assert [r.source_shape for r in report.violations()] == ["shape:EnglishName"]


def test_a_change_to_the_class_hierarchy_validates_everything() -> None:
    from scidip_graph.namespaces import RDFS

    city, org = N(str(SCHEMA.City)), N(str(SCHEMA.Organization))
    added = [ox.Quad(city, N(str(RDFS.subClassOf)), org, EDITORIAL)]
    scope = change_scope(store_of(bundled()), added=added)
    assert scope.focus_nodes is None and "class hierarchy" in scope.reason
    full = keys(validate(quads_to_rdflib(bundled() + added)))
    assert keys(check_change(store_of(bundled()), added=added)) == full


def test_a_change_of_most_of_the_data_validates_everything() -> None:
    store = store_of(bundled())
    generated = (N(str(GRAPH.iso3166)), N(str(GRAPH.regions)))
    countries = [q for q in bundled() if q.graph_name in generated]
    assert len(countries) > BULK and len(countries) > BULK_SHARE * len(bundled())
    scope = change_scope(store, removed=countries)
    assert scope.focus_nodes is None and "triples" in scope.reason
    assert change_scope(store, removed=countries[:BULK]).focus_nodes is not None


def test_the_bundled_data_starts_with_warnings_only() -> None:
    # What the property test compares with: warnings to keep, no violation.
    assert {k[3].rsplit("#", 1)[1] for k in bundled_results()} == {"Warning"}


# -- shapes beyond the project's: other paths, and what the gate cannot follow ---------------

PATH_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path [ sh:zeroOrMorePath ex:part ] ; sh:class ex:Part ;
                  sh:message "every part, all the way down, is a Part" ] ,
        [ sh:path ( [ sh:inversePath ex:owns ] ex:name ) ; sh:minCount 1 ;
          sh:message "its owner has a name" ] ,
        [ sh:path [ sh:oneOrMorePath [ sh:alternativePath ( ex:next ex:skip ) ] ] ;
          sh:maxCount 2 ; sh:message "at most two steps ahead" ] .
"""
PATH_DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing , ex:Part ; ex:part ex:b ; ex:next ex:n1 .
ex:b a ex:Part ; ex:part ex:c .
ex:c a ex:Part .
ex:o ex:owns ex:a ; ex:name "owner" .
ex:n1 ex:skip ex:n2 .
"""


def _path_case(added: list, removed: list) -> None:
    shapes = Graph().parse(data=PATH_SHAPES, format="turtle")
    before = Graph().parse(data=PATH_DATA, format="turtle")
    after = Graph()
    for t in before:
        if t not in removed:
            after.add(t)
    for t in added:
        after.add(t)
    full_before = keys(validate(before, shapes=shapes))
    full_after = keys(validate(after, shapes=shapes))
    scope = change_scope(before, added=added, removed=removed, shapes=shapes)
    assert scope.focus_nodes is not None
    inside = {n.n3() for n in scope.focus_nodes}
    gate = keys(check_change(before, added=added, removed=removed, shapes=shapes))
    assert gate == {k for k in full_after if k[0] in inside}
    assert {k for k in full_after if k[0] not in inside} == {
        k for k in full_before if k[0] not in inside
    }
    assert "<http://example.org/a>" in inside


@pytest.mark.parametrize(
    "change",
    [
        "remove c a Part",  # two ex:part steps down from a
        "remove o name",  # the owner, one step back then forward
        "add n2 next n3",  # a third step ahead
        "remove o owns a",
    ],
)
def test_other_paths_put_the_right_nodes_in_scope(change: str) -> None:
    ex = Namespace("http://example.org/")
    triples = {
        "remove c a Part": ([], [(ex.c, RDF.type, ex.Part)]),
        "remove o name": ([], [(ex.o, ex.name, Literal("owner"))]),
        "add n2 next n3": ([(ex.n2, ex.next, ex.n3)], []),
        "remove o owns a": ([], [(ex.o, ex.owns, ex.a)]),
    }
    _path_case(*triples[change])


@pytest.mark.parametrize(
    ("extra", "unsupported"),
    [
        ("ex:ThingShape sh:sparql [ sh:select 'SELECT $this WHERE {}' ] .", True),
        ("ex:ThingShape sh:closed true .", True),
        ("ex:ThingShape sh:closed false .", False),
    ],
)
def test_shapes_the_gate_cannot_follow_validate_everything(extra: str, unsupported: bool) -> None:
    shapes = Graph().parse(data=PATH_SHAPES + extra, format="turtle")
    ex = Namespace("http://example.org/")
    scope = change_scope(Graph(), added=[(ex.x, RDF.type, ex.Thing)], shapes=shapes)
    assert (scope.focus_nodes is None) is unsupported
    assert not unsupported or "sh:" in scope.reason
