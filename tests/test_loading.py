"""Loading: one named graph per file, stable blank nodes, syntax errors with positions."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from scidip_graph.errors import DataSyntaxError, UsageError
from scidip_graph.ingest.loading import DEFAULT_GRAPH, load_sources, parse_bytes
from tests.conftest import SAMPLE

BROKEN = [
    # (format, document, line, column)
    ("turtle", b'@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "x .\n', 3, 11),
    ("turtle", b"<http://a> <http://b> .\n", 1, 23),
    ("trig", b"<http://g> {\n  <http://a> <http://b> <http://c>\n", 3, 1),
    ("ntriples", b"<http://a> <http://b> <http://c> .\n<http://a> <b> <http://c> .\n", 2, 12),
    ("nquads", b"<http://a> <http://b> <http://c> <http://g> <http://h> .\n", 1, 45),
    (
        "rdfxml",
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#">\n<rdf:Description rdf:about="http://a">\n</rdf:RDF>\n',
        4,
        3,
    ),
    (
        "rdfxml",
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#">\n<rdf:Description rdf:about="a b"/>\n</rdf:RDF>\n',
        3,
        29,
    ),
    ("jsonld", b'{"@id": "http://a",\n "http://b": [1, }', 2, 18),
]


@pytest.mark.parametrize(("fmt", "doc", "line", "column"), BROKEN)
def test_syntax_errors_carry_file_line_and_column(fmt, doc, line, column) -> None:
    with pytest.raises(DataSyntaxError) as caught:
        parse_bytes(doc, format=fmt, source="broken.x")
    err = caught.value
    assert (err.source, err.line) == ("broken.x", line)
    if column is not None:
        assert err.column == column
    assert err.message.startswith(f"broken.x:{line}:")
    assert err.to_dict()["error"]["detail"]["line"] == line


def test_jsonld_never_fetches_remote_contexts() -> None:
    doc = b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://a", "b": 1}'
    with pytest.raises(DataSyntaxError, match="remote context"):
        parse_bytes(doc, format="jsonld")


def test_each_file_keeps_its_named_graphs_and_default_block() -> None:
    sources = load_sources([SAMPLE])
    assert sources.graph_names() == [
        "https://w3id.org/scidip/graph/one",
        "https://w3id.org/scidip/graph/two",
    ]
    assert sources.origins[DEFAULT_GRAPH] == str(SAMPLE)
    defaults = [q for q in sources.quads if isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(defaults) == 3


def test_graph_files_become_a_named_graph_of_their_stem(tmp_path: Path) -> None:
    path = tmp_path / "notes.ttl"
    path.write_text("<http://a> <http://b> <http://c> .\n")
    sources = load_sources([path])
    assert sources.graph_names() == ["https://w3id.org/scidip/graph/notes"]


def test_blank_nodes_are_relabelled_in_document_order() -> None:
    first = load_sources([SAMPLE]).quads
    second = load_sources([SAMPLE]).quads
    assert first == second
    labels = sorted(
        {t.value for q in first for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    )
    assert labels == ["sample-1", "sample-2"]


def test_a_graph_defined_twice_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "copy.trig"
    copy.write_bytes(SAMPLE.read_bytes())
    with pytest.raises(UsageError, match="already defined"):
        load_sources([SAMPLE, copy])


@pytest.mark.parametrize("path", ["missing.ttl", "tests/conftest.py"])
def test_unusable_paths_are_usage_errors(path: str) -> None:
    with pytest.raises(UsageError):
        load_sources([path])
