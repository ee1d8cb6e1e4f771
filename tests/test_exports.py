"""Dumps: every RDF format round-trips to an isomorphic dataset, and dumps are deterministic."""

from __future__ import annotations

import io

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from scidip_graph.api import KnowledgeGraph
from scidip_graph.rdf.exporters import dump
from scidip_graph.rdf.formats import format_names, get_format

RDF_FORMATS = format_names("graph") + format_names("dataset")


def _describe_diff(expected: Graph, actual: Graph) -> str:
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    return (
        f"missing:\n{only_expected.serialize(format='nt')}\n"
        f"unexpected:\n{only_actual.serialize(format='nt')}"
    )


def _assert_isomorphic(expected: Graph, actual: Graph) -> None:
    assert isomorphic(expected, actual), _describe_diff(expected, actual)


def _reference(kg: KnowledgeGraph) -> Dataset:
    assert kg.sources is not None
    return kg.sources.to_rdflib()


def _union(ds: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _graphs(ds: Dataset) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs.setdefault(str(g), Graph()).add((s, p, o))
    return graphs


@pytest.mark.parametrize("name", RDF_FORMATS)
def test_every_format_round_trips(sample_kg: KnowledgeGraph, name: str) -> None:
    fmt = get_format(name)
    buf = io.BytesIO()
    report = dump(sample_kg.store, name, buf)
    parsed = Dataset()
    parsed.parse(data=buf.getvalue(), format=fmt.rdflib)
    expected = _reference(sample_kg)
    if fmt.keeps_graphs:
        assert report.merged_graphs == []
        want, got = _graphs(expected), _graphs(parsed)
        assert sorted(want) == sorted(got)
        for graph in want:
            _assert_isomorphic(want[graph], got[graph])
    else:
        assert report.merged_graphs == [
            "https://w3id.org/scidip/graph/one",
            "https://w3id.org/scidip/graph/two",
        ]
        _assert_isomorphic(_union(expected), _union(parsed))


@pytest.mark.parametrize("name", RDF_FORMATS)
def test_dumps_are_byte_identical_for_the_same_data(name: str) -> None:
    from scidip_graph.api import open_graph
    from tests.conftest import SAMPLE

    first, second = io.BytesIO(), io.BytesIO()
    dump(open_graph([SAMPLE]).store, name, first)
    dump(open_graph([SAMPLE]).store, name, second)
    assert first.getvalue() == second.getvalue()


def test_jsonld_is_compact(sample_kg: KnowledgeGraph) -> None:
    buf = io.BytesIO()
    dump(sample_kg.store, "jsonld", buf)
    text = buf.getvalue().decode()
    assert '"schema:name"' in text
    assert '"http://schema.org/' not in text.split('"@graph"', 1)[1]


def test_bundled_data_round_trips_as_trig(bundled_kg: KnowledgeGraph) -> None:
    buf = io.BytesIO()
    dump(bundled_kg.store, "trig", buf)
    parsed = Dataset()
    parsed.parse(data=buf.getvalue(), format="trig")
    want, got = _graphs(_reference(bundled_kg)), _graphs(parsed)
    assert sorted(want) == sorted(got)
    for graph in want:
        _assert_isomorphic(want[graph], got[graph])
