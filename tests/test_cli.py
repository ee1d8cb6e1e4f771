"""The command line: outputs and documented exit codes (0 ok, 1 not conforming, 2 usage/load)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scidip_graph.cli import EXIT_CLOSED_PIPE, EXIT_OK, EXIT_USAGE, main
from tests.apps import sample_client
from tests.conftest import SAMPLE


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_query_prints_a_table() -> None:
    code, out = run(
        "query",
        "SELECT ?n WHERE { ?c a <http://schema.org/Country> ; "
        "<http://schema.org/name> ?n FILTER(lang(?n) = 'fr') }",
        "--data",
        str(SAMPLE),
    )
    assert code == EXIT_OK
    assert out.splitlines()[2] == '"Suisse"@fr'


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "n\r\n2\r\n"),
        ("tsv", "?n\n2\n"),
    ],
)
def test_query_formats(fmt: str, expected: str) -> None:
    code, out = run(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g {} }",
        "--format",
        fmt,
        "--data",
        str(SAMPLE),
    )
    assert (code, out) == (EXIT_OK, expected)


def test_query_json_and_file(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("# count graphs\nSELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g {} }\n")
    code, out = run("query", str(query), "--format", "json", "--data", str(SAMPLE))
    assert code == EXIT_OK
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "2"


def test_construct_as_turtle() -> None:
    code, out = run(
        "query",
        "CONSTRUCT WHERE { ?s <http://schema.org/foundingDate> ?d }",
        "--format",
        "turtle",
        "--data",
        str(SAMPLE),
    )
    assert code == EXIT_OK
    assert '"1954"^^xsd:gYear' in out


def test_query_syntax_error_exits_2_with_position(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("query", "SELECT * WHERE {\n ?s ?p }", "--data", str(SAMPLE))
    assert code == EXIT_USAGE
    assert "line 2, column 9" in capsys.readouterr().err


def test_malformed_file_exits_2_with_file_line_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('<http://a> <http://b> "unterminated .\n')
    code, out = run("query", "ASK {}", "--data", str(bad))
    assert (code, out) == (EXIT_USAGE, "")
    assert capsys.readouterr().err.startswith(f"{bad}:1:")


@pytest.mark.parametrize(
    "argv",
    [
        ("export", "--format", "yaml"),
        ("query", "ASK {}", "--format", "yaml"),
        ("stats", "--format", "yaml"),
        ("validate", "--format", "yaml"),
    ],
)
def test_unknown_format_exits_2_listing_valid_names(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(*argv)
    assert (code, out) == (EXIT_USAGE, "")
    assert "valid names:" in capsys.readouterr().err


def test_export_says_what_it_merged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "dump.ttl"
    code, _ = run("export", "--format", "turtle", "-o", str(target), "--data", str(SAMPLE))
    assert code == EXIT_OK
    assert "merged 2 graphs" in capsys.readouterr().err
    assert target.read_text().startswith("@prefix")


def test_stats_counts_graphs_and_classes() -> None:
    code, out = run("stats", "--format", "json", "--data", str(SAMPLE))
    stats = json.loads(out)
    assert code == EXIT_OK
    assert stats["graphs"] == {
        "": 3,
        "https://w3id.org/scidip/graph/one": 12,
        "https://w3id.org/scidip/graph/two": 7,
    }
    assert stats["classes"]["http://schema.org/Country"] == 1


def test_usage_error_exits_2() -> None:
    assert run("frobnicate")[0] == EXIT_USAGE


def test_console_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scidip_graph", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("scidip-graph ")


@pytest.mark.parametrize(
    "argv",
    [
        ("stats", "--data", str(SAMPLE)),
        ("query", "SELECT * WHERE { ?s ?p ?o }", "--data", str(SAMPLE)),
        ("export", "--format", "nquads", "--data", str(SAMPLE)),
        ("validate", str(SAMPLE)),
    ],
    ids=lambda argv: argv[0],
)
def test_a_closed_pipe_stops_quietly(argv: tuple[str, ...]) -> None:
    """``scidip-graph stats | head``: the reader closes the pipe; no traceback, exit 141."""
    process = subprocess.Popen(
        [sys.executable, "-m", "scidip_graph", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line is written
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == EXIT_CLOSED_PIPE, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p }",  # the engine's parser finds it
        "SELECT ?x WHERE { ?x foo:bar ?y }",  # the endpoint's lexer finds these
        "SELEC * WHERE {}",
        "SELECT * WHERE { ?s ?p 'unterminated }",
    ],
)
def test_the_cli_and_the_server_give_the_same_syntax_error(
    query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("query", query, "--data", str(SAMPLE))
    assert code == EXIT_USAGE
    printed = capsys.readouterr().err.splitlines()[0].removeprefix("error: ")
    answer = sample_client().get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 400
    assert answer.get_json()["error"]["message"] == printed
