"""INSERT DATA / DELETE DATA read without the engine: the same change as the engine's, or none.

:func:`~scidip_graph.sparql.quad_data.data_change` (the fast path) against
:func:`~scidip_graph.sparql.update.engine_change` (the update run by pyoxigraph on a copy), on a
table of updates and on random ones: the same quads added and removed (blank nodes up to their
names), and where the engine refuses an update, the fast path leaves it to the engine, so the
write path gives the engine's error.
"""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scidip_graph.errors import ScidipError
from scidip_graph.sparql.quad_data import data_change
from scidip_graph.sparql.update import engine_change, update_change
from scidip_graph.store import OxigraphStore

BASE = "http://127.0.0.1:8000/sparql"
EX = "http://ex/"
XSD = "http://www.w3.org/2001/XMLSchema#"
G1 = f"<{EX}g1>"
A, P = f"<{EX}a>", f"<{EX}p>"


def _store() -> OxigraphStore:
    store = OxigraphStore()
    a, p, g1 = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "g1")
    store.add(
        [
            ox.Quad(a, p, ox.Literal("x")),
            ox.Quad(a, p, ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")), g1),
            ox.Quad(ox.BlankNode("old"), p, a, g1),
            ox.Quad(a, p, ox.NamedNode("http://127.0.0.1:8000/rel")),
        ]
    )
    return store


STORE = _store()


def _shape(quads: list[ox.Quad]) -> tuple[Counter[str], int]:
    """The quads with blank nodes unnamed, and how many blank nodes: equal up to renaming
    (enough here: a quad names at most the blank nodes of one operation)."""
    blanks = {t.value for q in quads for t in q if isinstance(t, ox.BlankNode)}
    return Counter(_unlabelled(str(q)) for q in quads), len(blanks)


def _unlabelled(text: str) -> str:
    return re.sub(r"_:\S+", "_:", text)


def _compare(text: str, store: OxigraphStore = STORE) -> bool:
    """Assert the fast path agrees with the engine; whether it took the update."""
    try:
        engine = engine_change(store, text, base_iri=BASE)
    except ScidipError as err:
        assert data_change(store.view(), text, base_iri=BASE) is None, text
        with pytest.raises(type(err)) as raised:
            update_change(store, text, base_iri=BASE)
        # (which label the engine names, of several shared ones, varies from run to run)
        assert _unlabelled(raised.value.message) == _unlabelled(err.message)
        return False
    fast = data_change(store.view(), text, base_iri=BASE)
    if fast is None:
        return False
    assert [_shape(q) for q in fast] == [_shape(q) for q in engine], text
    return True


FAST = [
    "",
    f'INSERT DATA {{ <{EX}a> <{EX}p> "y" }}',
    f'insert data {{ <{EX}a> <{EX}p> "x" }}',  # already there: nothing
    f'DELETE DATA {{ <{EX}a> <{EX}p> "x" }}',
    f'DELETE DATA {{ <{EX}a> <{EX}p> "nope" }}',  # not there: nothing
    f'DELETE DATA {{ <{EX}a> <{EX}p> "x" }} ; INSERT DATA {{ <{EX}a> <{EX}p> "x" }}',
    f'INSERT DATA {{ <{EX}a> <{EX}p> "z" }} ; DELETE DATA {{ <{EX}a> <{EX}p> "z" }} ;',
    f"PREFIX ex: <{EX}> PREFIX xsd: <{XSD}> "
    'DELETE DATA { GRAPH ex:g1 { ex:a ex:p "01"^^xsd:integer } }',
    f'INSERT DATA {{ GRAPH {G1} {{ {A} {P} 1.50, 1E0, true, "t"@EN }} . {A} a <{EX}C> }}',
    f"INSERT DATA {{ {A} {P} 2 GRAPH {G1} {{ {A} {P} 3 . }} . {A} {P} 4 . }}",
    f"INSERT DATA {{ _:b <{EX}p> 1 . GRAPH {G1} {{ _:b <{EX}p> 2 }} }}",  # one node
    f"INSERT DATA {{ _:old <{EX}p> <{EX}a> }}",  # fresh, not the store's _:old
    f"INSERT DATA {{ [ <{EX}p> ( 1 2 ) ] <{EX}q> [] }} ; INSERT DATA {{ [] <{EX}p> 1 }}",
    f"BASE <{EX}base/> INSERT DATA {{ <a> <{EX}p> <b> }}",
    f"INSERT DATA {{ <{EX}a> <{EX}p> <rel> }}",  # the endpoint's base: already there
    f'INSERT DATA {{ # a comment }} with a brace\n {A} {P} "#not" ; <{EX}q> """long\n""" }}',
    f"INSERT DATA {{ GRAPH {G1} {{ }} }}",
]

GENERAL = [
    "CLEAR ALL",
    f"INSERT {{ <{EX}a> <{EX}p> 9 }} WHERE {{}}",
    f"DELETE WHERE {{ <{EX}a> <{EX}p> ?o }}",
    f"INSERT DATA {{ <{EX}a> <{EX}p> ?x }}",  # a variable: the engine's error
    f"DELETE DATA {{ _:b <{EX}p> 1 }}",  # a blank node: the engine's error
    f"DELETE DATA {{ [] <{EX}p> 1 }}",
    f"INSERT DATA {{ _:b <{EX}p> 1 }} ; INSERT DATA {{ _:b <{EX}p> 2 }}",  # one label, two ops
    f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }} ; PREFIX ex: <{EX}> INSERT DATA {{ ex:a ex:p 2 }}",
    f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }} ; ;",
    f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }} INSERT DATA {{ <{EX}a> <{EX}p> 2 }}",
    f"INSERT DATA {{ GRAPH {G1} {{ <{EX}a> <{EX}p> 1 }} . . }}",
    f"INSERT DATA {{ GRAPH ?g {{ <{EX}a> <{EX}p> 1 }} }}",
    f"INSERT DATA {{ <{EX}a> <{EX}p> TRUE }}",
    f"INSERT DATA {{ <{EX}a> <{EX}p> << <{EX}a> <{EX}p> 1 >> }}",
    f"INSERT DATA {{ undeclared:a <{EX}p> 1 }}",
    "PREFIX ex: <http://ex/>",
    f"WITH {G1} INSERT {{ <{EX}a> <{EX}p> 9 }} WHERE {{}}",
]


@pytest.mark.parametrize("text", FAST)
def test_the_fast_path_takes_data_updates_and_agrees_with_the_engine(text: str) -> None:
    assert _compare(text), text


@pytest.mark.parametrize("text", GENERAL)
def test_anything_else_goes_to_the_engine_with_its_errors(text: str) -> None:
    assert not _compare(text), text


def test_the_fast_path_reads_the_live_store_and_a_blank_node_is_fresh_each_time() -> None:
    store = _store()
    text = f"INSERT DATA {{ _:b <{EX}p> 7 }}"
    first = data_change(store.view(), text, base_iri=BASE)
    second = data_change(store.view(), text, base_iri=BASE)
    assert first is not None and second is not None
    assert first[0][0].subject != second[0][0].subject
    store.add(first[0])
    assert data_change(store.view(), f"INSERT DATA {{ <{EX}a> <{EX}p> 7 }}") is not None
    again = data_change(store.view(), f'DELETE DATA {{ <{EX}a> <{EX}p> "x" }}')
    assert again is not None and len(again[1]) == 1


_SUBJECTS = [f"<{EX}a>", "ex:b", "<rel>", "_:x", "[]", f"[ <{EX}q> 1 ]", "_:z"]
_PREDICATES = [f"<{EX}p>", "a", "ex:q"]
_OBJECTS = [
    '"x"',
    '"x"@en',
    '"01"^^xsd:integer',
    "1",
    "1.50",
    "true",
    f"<{EX}a>",
    "<rel>",
    "( 1 )",
    "_:y",
]
_GRAPHS = [None, None, G1, "ex:g2"]


def _no_blank(terms: list[str]) -> list[str]:
    return [t for t in terms if not t.startswith(("_:", "[", "("))]


@st.composite
def _updates(draw: st.DrawFn) -> str:
    """Random updates of INSERT DATA and DELETE DATA over the store's terms (most of them in
    what the fast path takes; some with a blank node in DELETE DATA, or one label in two
    operations: the engine's errors)."""
    operations = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["INSERT DATA", "DELETE DATA"]))
        blank = kind == "INSERT DATA" or draw(st.integers(0, 9)) == 0
        subjects = _SUBJECTS if blank else _no_blank(_SUBJECTS)
        objects = _OBJECTS if blank else _no_blank(_OBJECTS)
        blocks = []
        for _ in range(draw(st.integers(0, 3))):
            triples = [
                " ".join(
                    (
                        draw(st.sampled_from(subjects)),
                        draw(st.sampled_from(_PREDICATES)),
                        draw(st.sampled_from(objects)),
                    )
                )
                for _ in range(draw(st.integers(1, 3)))
            ]
            body = " . ".join(triples) + draw(st.sampled_from(["", " .", " # c\n"]))
            graph = draw(st.sampled_from(_GRAPHS))
            dot = draw(st.sampled_from(["", " ."]))
            blocks.append(body if graph is None else f"GRAPH {graph} {{ {body} }}{dot}")
        operations.append(f"{kind} {{ {' '.join(blocks)} }}")
    prologue = f"PREFIX ex: <{EX}> PREFIX xsd: <{XSD}>\n"
    return prologue + " ;\n".join(operations)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_updates())
def test_random_data_updates_agree_with_the_engine(text: str) -> None:
    _compare(text)
