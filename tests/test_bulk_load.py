"""``scidip-graph load``: files into a data folder as one changeset, through the SHACL gate.

Bad input (a malformed file, a shape violation, a graph the load does not name) changes
nothing: the N-Quads dump and the change log are the same before and after.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from scidip_graph.cli import main
from scidip_graph.console import ProgressBar
from scidip_graph.rdf.exporters import dump
from scidip_graph.settings import Settings
from scidip_graph.store.durable import open_durable
from scidip_graph.store.startup import prepare_store

PREFIXES = """@prefix schema: <http://schema.org/> .
@prefix sd: <https://w3id.org/scidip/ontology#> .
@prefix person: <https://w3id.org/scidip/id/person/> .
"""
ADA = "https://w3id.org/scidip/id/person/ada"
PEOPLE = "https://w3id.org/scidip/graph/people"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder built from the bundled data once; each test gets a copy."""
    data_dir = tmp_path_factory.mktemp("load") / "var"
    prepare_store(Settings(data_dir=data_dir, validate=False)).close()
    return data_dir


@pytest.fixture
def data_dir(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "var"))


def state(data_dir: Path) -> tuple[bytes, int]:
    """The folder's N-Quads dump and its number of changesets."""
    store = open_durable(data_dir)
    out = io.BytesIO()
    dump(store, "nquads", out)
    try:
        return out.getvalue(), len(store.changesets())
    finally:
        store.close()


def write(path: Path, text: str) -> Path:
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def load(data_dir: Path, *args: str | Path) -> int:
    return main(["load", *map(str, args), "--data-dir", str(data_dir), "--curator", "ada"])


def test_a_load_is_one_changeset_naming_the_curator_and_the_files(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = write(tmp_path / "people.ttl", 'person:ada a schema:Person ; schema:name "Ada"@en .')
    more = write(tmp_path / "more.ttl", 'person:bob a schema:Person ; schema:name "Bob"@en .')
    assert load(data_dir, people, more) == 0
    said = capsys.readouterr()
    assert "loaded 2 files (4 quads)" in said.out and "changeset 1 by ada" in said.out
    store = open_durable(data_dir)
    [changeset] = store.changesets()
    assert changeset.author == "ada"
    assert changeset.message.startswith("load: people.ttl (")
    assert "sha256 " in changeset.message and "more.ttl" in changeset.message
    assert store.query(f"ASK {{ GRAPH <{PEOPLE}> {{ <{ADA}> ?p ?o }} }}")  # graph:STEM
    modified = f"ASK {{ <{PEOPLE}> <http://purl.org/dc/terms/modified> ?t }}"
    assert store.query(modified)
    store.close()
    # Not a terminal: one line per step, on standard error.
    lines = said.err.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "load parse",
        "load parse",
        "load parse",
        "load compare",
        "load compare",
        "load validate",
        "load validate",
        "load commit",
        "load commit",
    ]
    assert lines[-3].startswith("load validate: conforms")


def test_a_malformed_file_changes_nothing_and_names_file_line_and_column(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path / "good.ttl", 'person:ada a schema:Person ; schema:name "Ada"@en .')
    bad = write(tmp_path / "bad.ttl", 'person:bob a schema:Person ;\n  schema:name "Bob"@en ,, .')
    before = state(data_dir)
    assert load(data_dir, good, bad) == 2
    assert f"{bad}:5:" in capsys.readouterr().err  # 3 prefix lines, then the second line
    assert state(data_dir) == before


def test_a_shape_violation_changes_nothing_and_prints_the_results(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nameless = write(tmp_path / "people.ttl", "person:ada a schema:Person .")
    before = state(data_dir)
    assert load(data_dir, nameless) == 1
    err = capsys.readouterr().err
    assert "the load would break" in err and "nothing was written" in err
    assert f"<{ADA}>  ({nameless})" in err  # the focus node, and the file it came from
    assert "Violation schema:name: Needs a name in English" in err  # path and message
    assert state(data_dir) == before


def test_a_graph_named_by_the_load_takes_every_triple_and_replace_empties_it(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path / "a.ttl", 'person:ada a schema:Person ; schema:name "Ada"@en .')
    second = write(tmp_path / "b.ttl", 'person:bob a schema:Person ; schema:name "Bob"@en .')
    graph = "https://w3id.org/scidip/graph/curated"
    assert load(data_dir, first, "--graph", "graph:curated") == 0
    assert load(data_dir, second, "--graph", "graph:curated", "--replace") == 0
    store = open_durable(data_dir)
    names = store.select(f"SELECT ?n {{ GRAPH <{graph}> {{ ?s <http://schema.org/name> ?n }} }}")
    assert [row["n"].value for row in names] == ["Bob"]
    assert store.changesets()[-1].message.startswith(f"load --replace into <{graph}>: b.ttl")
    store.close()
    capsys.readouterr()


def test_a_dataset_file_naming_another_graph_than_the_load_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trig = tmp_path / "other.trig"
    trig.write_text(f'<{PEOPLE}> {{ <{ADA}> <http://schema.org/name> "Ada"@en . }}\n')
    before = state(data_dir)
    assert load(data_dir, trig, "--graph", "graph:curated") == 2
    assert f"{trig}: the file has triples in graph <{PEOPLE}>" in capsys.readouterr().err
    assert state(data_dir) == before


def test_an_unknown_extension_or_a_missing_file_is_a_usage_error(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    assert load(data_dir, tmp_path / "notes.txt") == 2
    assert ".txt" in capsys.readouterr().err
    assert load(data_dir, tmp_path / "missing.ttl") == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_new_data_folder_is_built_from_the_source_data_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "base.ttl").write_text(
        PREFIXES + 'person:bob a schema:Person ; schema:name "Bob"@en .'
    )
    people = write(tmp_path / "people.ttl", 'person:ada a schema:Person ; schema:name "Ada"@en .')
    new = tmp_path / "new"
    assert load(new, people, "--source-dir", source) == 0
    assert "is a new data folder: building it from" in capsys.readouterr().err
    store = open_durable(new)
    assert len(store.graph_names()) == 2 and store.head == 1
    store.close()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_redrawn_in_place() -> None:
    screen = Terminal()
    bar = ProgressBar(screen, prefix="load ")
    bar.update("parse", 50, 100, unit="bytes", note="a.ttl")
    bar.update("parse", 100, 100, unit="bytes", note="1 file", seconds=1.0)
    bar.update("validate", 0, 1, note="4 changed quads")
    bar.close()
    text = screen.getvalue()
    assert text.count("\r\033[K") == 3 and "[###############---------------]" in text
    assert "100 B of 100 B 1 file, 1.0 s\n" in text
    assert text.endswith("4 changed quads\n")  # close() ends the line left open
